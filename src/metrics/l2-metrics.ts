// The speaker's Layer-2 metrics: MetalLB's names (reference §8) under barelb_, plus drop reasons,
// duplicate answers, heartbeat rejections and the live speaker count.

import { Counter, Gauge, type Registry } from 'prom-client';
import type { IP } from '../net/ip.ts';
import type { HeartbeatRejectReason } from '../speaker/l2/heartbeat/membership.ts';
import type { ResponderDropReason } from '../speaker/l2/responder.ts';
import { announcedReporter, type Announced } from './speaker-announced.ts';

export type L2Metrics = {
  /** An ARP request or NS for an address this node announces, answered. */
  readonly answered: (ip: IP) => void;
  /** One gratuitous ARP / unsolicited NA round for `ip` on one interface. */
  readonly gratuitousSent: (ip: IP) => void;
  readonly dropped: (reason: ResponderDropReason) => void;
  /** Another MAC claimed an address this node announces. */
  readonly duplicate: (ip: IP) => void;
  readonly heartbeatRejected: (reason: HeartbeatRejectReason) => void;
  /** Speakers alive, this one included. */
  readonly membersAlive: (count: number) => void;
  readonly announced: (announced: readonly Announced[]) => void;
};

/**
 * A counter with one label whose increments are plain additions to a Map, copied into the
 * Prometheus counter when scraped: the responder counts every frame, and prom-client hashes the
 * labels on each inc (about 1 µs, a third of the cost of answering).
 */
function frameCounter(registry: Registry, name: string, help: string, label: string): (value: string) => void {
  const counts = new Map<string, number>();
  new Counter({
    name,
    help,
    labelNames: [label],
    registers: [registry],
    collect() {
      this.reset();
      for (const [value, n] of counts) this.inc({ [label]: value }, n);
    },
  });
  return (value) => void counts.set(value, (counts.get(value) ?? 0) + 1);
}

export function l2Metrics(registry: Registry, node: string): L2Metrics {
  const reg = { registers: [registry] };
  const requests = frameCounter(registry, 'barelb_layer2_requests_received', 'Number of layer2 requests received for owned IPs', 'ip');
  const responses = frameCounter(registry, 'barelb_layer2_responses_sent', 'Number of layer2 responses sent for owned IPs', 'ip');
  const dropped = frameCounter(registry, 'barelb_layer2_dropped_frames_total', 'Received ARP/NDP frames not answered, by reason', 'reason');
  const gratuitous = new Counter({ name: 'barelb_layer2_gratuitous_sent', help: 'Number of gratuitous layer2 packets sent for owned IPs', labelNames: ['ip'], ...reg });
  const duplicates = new Counter({ name: 'barelb_layer2_duplicate_answers_total', help: 'Frames from another MAC claiming an address this node announces', labelNames: ['ip'], ...reg });
  const rejected = new Counter({ name: 'barelb_layer2_heartbeats_rejected_total', help: 'Heartbeats rejected, by reason (bad-mac: wrong key or forged)', labelNames: ['reason'], ...reg });
  const alive = new Gauge({ name: 'barelb_speaker_members_alive', help: 'Speakers alive according to heartbeats, this one included', ...reg });
  return {
    answered: (ip) => {
      requests(ip);
      responses(ip);
    },
    gratuitousSent: (ip) => gratuitous.inc({ ip }),
    dropped: (reason) => dropped(reason),
    duplicate: (ip) => duplicates.inc({ ip }),
    heartbeatRejected: (reason) => rejected.inc({ reason }),
    membersAlive: (count) => alive.set(count),
    announced: announcedReporter(registry, 'layer2', node),
  };
}

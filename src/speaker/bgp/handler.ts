// The speaker's BGP handler: each valid view becomes this node's frr.conf, handed to the
// single FRR writer (the apply queue). A view that cannot be rendered changes nothing in FRR.

import { allocatedIPs } from '../../controller/allocated-ips.ts';
import type { ServiceKey } from '../../api/model.ts';
import type { IP } from '../../net/ip.ts';
import type { Logger } from '../../log/logger.ts';
import type { ProtocolHandler, SpeakerView } from '../loop.ts';
import type { BGPSnapshot, IPAnnouncement, NodeAnnouncement } from './announce.ts';
import type { FrrLogLevel } from './log-level.ts';
import { NodeRenderer } from './render.ts';
import { secretPasswords } from './secret-passwords.ts';
import { sameItems } from '../../core/same-items.ts';

/** Where rendered configurations go: the apply queue (coalesces, applies, repairs). */
export type ConfigSink = { readonly submit: (frrConf: string) => void };

/** Reports which addresses this node announces, for `barelb_speaker_announced`. */
export type AnnouncedReporter = (announced: readonly { readonly service: ServiceKey; readonly ip: IP; readonly announced?: boolean }[]) => void;

export type BgpHandlerOptions = {
  readonly hostname: string;
  readonly logLevel: FrrLogLevel;
  readonly ignoreExcludeLB: boolean;
  readonly sink: ConfigSink;
  readonly logger: Logger;
  readonly onAnnounced?: AnnouncedReporter;
  /** This node's announcement decisions, after each rendered view (for ServiceBGPStatus). */
  readonly onNodeAnnouncement?: (node: NodeAnnouncement) => void;
};

export function bgpHandler(o: BgpHandlerOptions): ProtocolHandler & { readonly lastRendered: () => string | null } {
  let last: string | null = null;
  let lastError = '';
  // Services unchanged since the last view are not decided again, nor an unchanged node rendered.
  const renderer = new NodeRenderer();
  /** The announcements last reported; the decision cache keeps an unchanged Service's objects. */
  let reported: readonly IPAnnouncement[] | null = null;
  return {
    name: 'bgp',
    lastRendered: () => last,
    update: async (view: SpeakerView) => {
      const snap: BGPSnapshot = {
        config: view.input.config,
        services: view.input.services,
        allocations: allocatedIPs(view.allocations),
        nodes: view.input.nodes,
        endpointSlices: view.input.endpointSlices,
        options: { ignoreExcludeLB: o.ignoreExcludeLB },
      };
      const node = renderer.announce(snap, view.node);
      const rendered = renderer.render({
        config: view.input.config,
        node,
        hostname: o.hostname,
        logLevel: o.logLevel,
        secretPasswords: secretPasswords(view.input.config.bgpPeers, view.input.secrets),
        extraConfig: null,
      });
      if (!rendered.ok) {
        const e = rendered.error;
        const key = JSON.stringify(e);
        if (key !== lastError) o.logger.error({ object: e.object, field: e.field, reason: e.reason }, `cannot render frr.conf, FRR keeps its current config: ${e.message}`);
        lastError = key;
        return;
      }
      lastError = '';
      // Reported only when an announcement changed: each report walks every Service (metrics,
      // ServiceBGPStatus), and most rounds at scale are an endpoint or a status changing elsewhere.
      if (reported === null || !sameItems(reported, node.ips)) {
        // The decisions as they are (the reporter skips the ones not announced): a copy of 10 000 was 0.5 MB kept.
        o.onAnnounced?.(node.ips);
        o.onNodeAnnouncement?.(node);
        reported = node.ips;
      }
      if (rendered.value === last) return;
      last = rendered.value;
      o.sink.submit(rendered.value);
    },
  };
}

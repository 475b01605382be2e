// barelb_speaker_announced{service,protocol,node,ip}: MetalLB's speaker gauge (reference §8), shared
// by the BGP and L2 handlers of one speaker. Each protocol sets and removes only its own series.

import { Gauge, type Registry } from 'prom-client';
import type { ServiceKey } from '../api/model.ts';
import type { IP } from '../net/ip.ts';

export const announcedMetricName = 'barelb_speaker_announced';
export const announcedProtocols = ['bgp', 'layer2'] as const;
export type AnnouncedProtocol = (typeof announcedProtocols)[number];

export type Announced = { readonly service: ServiceKey; readonly ip: IP };

/** The registry's gauge, created on first use so either protocol may come first. */
function announcedGauge(registry: Registry): Gauge {
  const existing = registry.getSingleMetric(announcedMetricName);
  if (existing instanceof Gauge) return existing;
  return new Gauge({
    name: announcedMetricName,
    help: 'Services being announced from this node (1) by protocol',
    labelNames: ['service', 'protocol', 'node', 'ip'],
    registers: [registry],
  });
}

/** A reporter for one protocol: each call replaces that protocol's series with `announced`. */
export function announcedReporter(registry: Registry, protocol: AnnouncedProtocol, node: string): (announced: readonly Announced[]) => void {
  const gauge = announcedGauge(registry);
  let present = new Map<string, Announced>();
  return (announced) => {
    const next = new Map(announced.map((a) => [`${a.service} ${a.ip}`, a]));
    for (const [key, a] of present) if (!next.has(key)) gauge.remove({ service: a.service, protocol, node, ip: a.ip });
    // Only new series: the others already read 1, and setting 10 000 labelled series costs a hash each.
    for (const [key, a] of next) if (!present.has(key)) gauge.set({ service: a.service, protocol, node, ip: a.ip }, 1);
    present = next;
  };
}

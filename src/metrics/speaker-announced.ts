// barelb_speaker_announced{service,protocol,node,ip}: MetalLB's speaker gauge (reference §8), shared
// by the BGP and L2 handlers of one speaker. Each protocol replaces only its own series.
//
// The series are made when the registry is scraped, from the list each protocol last reported;
// nothing per series is kept in between. A labelled prom-client Gauge keeps a label object, a
// hash string and an entry per series: ~2.5 MB at 10 000 Services, in every speaker, for a value
// that is always 1.

import type { Metric, Registry } from 'prom-client';
import type { ServiceKey } from '../api/model.ts';
import type { IP } from '../net/ip.ts';

export const announcedMetricName = 'barelb_speaker_announced';
export const announcedProtocols = ['bgp', 'layer2'] as const;
export type AnnouncedProtocol = (typeof announcedProtocols)[number];

/** An entry with `announced: false` is skipped: a protocol may pass its whole decision list as it keeps it. */
export type Announced = { readonly service: ServiceKey; readonly ip: IP; readonly announced?: boolean };

type Series = { readonly value: number; readonly labels: Readonly<Record<string, string>> };

/** A gauge whose series are the announced lists, read at scrape time (prom-client's Metric interface). */
class AnnouncedMetric {
  readonly name = announcedMetricName;
  readonly help = 'Services being announced from this node (1) by protocol';
  readonly type = 'gauge';
  readonly aggregator = 'sum';
  readonly #lists = new Map<AnnouncedProtocol, { readonly node: string; readonly list: readonly Announced[] }>();

  set(protocol: AnnouncedProtocol, node: string, list: readonly Announced[]): void {
    this.#lists.set(protocol, { node, list });
  }

  get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: Series[] }> {
    const values: Series[] = [];
    for (const [protocol, { node, list }] of this.#lists) {
      const seen = new Set<string>();
      for (const a of list) {
        if (a.announced === false) continue;
        const key = `${a.service} ${a.ip}`;
        if (seen.has(key)) continue;
        seen.add(key);
        values.push({ value: 1, labels: { service: a.service, protocol, node, ip: a.ip } });
      }
    }
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values });
  }

  reset(): void {
    this.#lists.clear();
  }
}

/** The registry's metric, created on first use so either protocol may come first. */
function announcedMetric(registry: Registry): AnnouncedMetric {
  const existing = registry.getSingleMetric(announcedMetricName) as unknown;
  if (existing instanceof AnnouncedMetric) return existing;
  const metric = new AnnouncedMetric();
  registry.registerMetric(metric as unknown as Metric);
  return metric;
}

/** A reporter for one protocol: each call replaces that protocol's series with `announced`. */
export function announcedReporter(registry: Registry, protocol: AnnouncedProtocol, node: string): (announced: readonly Announced[]) => void {
  const metric = announcedMetric(registry);
  return (announced) => metric.set(protocol, node, announced);
}

import { expect } from 'chai';
import { Registry } from 'prom-client';
import { bgpMetrics } from './bgp-metrics.ts';

async function values(registry: Registry, name: string) {
  return (await registry.getSingleMetric(name)?.get())?.values ?? [];
}

describe('bgpMetrics: FRR apply metrics', function () {
  it('starts every apply and query-failure series at zero', async function () {
    const registry = new Registry();
    bgpMetrics(registry);
    for (const name of ['barelb_frr_config_applies_total', 'barelb_frr_apply_failures_total']) {
      expect((await values(registry, name)).map((v) => [v.labels['kind'], v.value])).to.deep.equal([['incremental', 0], ['full', 0]]);
    }
    expect((await values(registry, 'barelb_frr_query_failures_total')).map((v) => [v.labels['source'], v.value])).to.deep.equal([['bgp', 0], ['bfd', 0]]);
  });

  it('counts every apply, counts failures apart, and buckets durations from 1 ms to 10 s', async function () {
    const registry = new Registry();
    const metrics = bgpMetrics(registry);
    metrics.observeApply({ kind: 'incremental', seconds: 0.004, ok: true });
    metrics.observeApply({ kind: 'incremental', seconds: 0.02, ok: false });
    metrics.observeApply({ kind: 'full', seconds: 3, ok: true });
    const applies = await values(registry, 'barelb_frr_config_applies_total');
    const failures = await values(registry, 'barelb_frr_apply_failures_total');
    expect(applies.find((v) => v.labels['kind'] === 'incremental')?.value).to.equal(2);
    expect(failures.find((v) => v.labels['kind'] === 'incremental')?.value).to.equal(1);
    expect(failures.find((v) => v.labels['kind'] === 'full')?.value).to.equal(0);
    const buckets = (await values(registry, 'barelb_frr_apply_duration_seconds')).filter((v) => v.labels['kind'] === 'incremental' && v.labels['le'] !== undefined);
    expect(buckets[0]?.labels['le']).to.equal(0.001);
    expect(buckets.map((b) => b.labels['le']).slice(-2)).to.deep.equal([10, '+Inf']);
    expect(buckets.find((b) => b.labels['le'] === 0.005)?.value).to.equal(1);
    expect(buckets.find((b) => b.labels['le'] === 0.025)?.value).to.equal(2);
  });
});

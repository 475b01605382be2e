import { expect } from 'chai';
import { Registry } from 'prom-client';
import type { ServiceKey } from '../api/model.ts';
import type { IP } from '../net/ip.ts';
import { l2Metrics } from './l2-metrics.ts';
import { announcedReporter } from './speaker-announced.ts';

const web = { service: 'demo/web' as ServiceKey, ip: '192.0.2.200' as IP };
const api = { service: 'demo/api' as ServiceKey, ip: '192.0.2.201' as IP };

describe('L2 metrics', () => {
  it('exports MetalLB\'s layer2 counters under barelb_', async () => {
    const registry = new Registry();
    const m = l2Metrics(registry, 'node-1');
    m.answered(web.ip);
    m.gratuitousSent(web.ip);
    m.dropped('not-owned');
    m.duplicate(web.ip);
    m.membersAlive(3);
    const text = await registry.metrics();
    for (const line of [
      'barelb_layer2_requests_received{ip="192.0.2.200"} 1',
      'barelb_layer2_responses_sent{ip="192.0.2.200"} 1',
      'barelb_layer2_gratuitous_sent{ip="192.0.2.200"} 1',
      'barelb_layer2_dropped_frames_total{reason="not-owned"} 1',
      'barelb_layer2_duplicate_answers_total{ip="192.0.2.200"} 1',
      'barelb_speaker_members_alive 3',
    ]) expect(text).to.include(line);
  });

  it('shares barelb_speaker_announced between protocols, each replacing only its own series', async () => {
    const registry = new Registry();
    const bgp = announcedReporter(registry, 'bgp', 'node-1');
    const l2 = l2Metrics(registry, 'node-1');
    bgp([web]);
    l2.announced([web, api]);
    l2.announced([api]);
    const series = (await registry.getSingleMetric('barelb_speaker_announced')?.get())?.values.map((v) => `${v.labels['protocol']} ${v.labels['service']}`);
    expect(series?.sort()).to.deep.equal(['bgp demo/web', 'layer2 demo/api']);
  });

  it('writes barelb_speaker_announced in the exposition text, one series per address, none after an empty report', async () => {
    const registry = new Registry();
    const bgp = announcedReporter(registry, 'bgp', 'node-1');
    // A decision list as the BGP handler keeps it: the entries not announced make no series.
    bgp([web, { service: 'demo/pending' as ServiceKey, ip: '192.0.2.202' as IP, announced: false }, web, { ...api, announced: true }]);
    const text = await registry.metrics();
    expect(text).to.include('# TYPE barelb_speaker_announced gauge');
    const lines = text.split('\n').filter((l) => l.startsWith('barelb_speaker_announced{'));
    expect(lines).to.deep.equal([
      `barelb_speaker_announced{service="demo/web",protocol="bgp",node="node-1",ip="${web.ip}"} 1`,
      `barelb_speaker_announced{service="demo/api",protocol="bgp",node="node-1",ip="${api.ip}"} 1`,
    ]);
    bgp([]);
    expect((await registry.metrics()).split('\n').filter((l) => l.startsWith('barelb_speaker_announced{'))).to.deep.equal([]);
  });
});

import { expect } from 'chai';
import type { Advertisement, NodeAnnouncement } from '../speaker/bgp/announce.ts';
import { bgpAnnouncements } from './speaker-bgp.ts';

const ad = (peers: readonly string[]): Advertisement => ({ advertisement: 'ad', prefix: null as never, localPref: null, communities: [], peers });
const announced = (service: string, ...ads: Advertisement[]) => ({ service, ip: '192.0.2.1', announced: true, pool: 'p', advertisements: ads });

describe('bgpAnnouncements (what the status writer records)', () => {
  it('names, per announced Service, the BGPPeers its prefixes go to, merged, sorted and distinct', () => {
    const r1 = ['r1'];
    const both = ['r1', 'r2'];
    const n = {
      node: 'n1',
      sessions: [],
      ips: [
        announced('shop/web', ad(r1)),
        announced('shop/web', ad(['r2', 'r3']), ad(both)),
        announced('demo/api', ad(r1)),
        announced('demo/none'),
        { service: 'demo/pending', ip: '192.0.2.9', announced: false, reason: 'noEndpoints' },
      ],
    } as unknown as NodeAnnouncement;
    const out = bgpAnnouncements(n);
    expect(out).to.deep.equal([
      { protocol: 'bgp', namespace: 'shop', name: 'web', targets: ['r1', 'r2', 'r3'] },
      { protocol: 'bgp', namespace: 'demo', name: 'api', targets: ['r1'] },
      { protocol: 'bgp', namespace: 'demo', name: 'none', targets: [] },
    ]);
    // Equal lists are one list: what 10 000 Services keep between rounds.
    expect(out[1]?.targets).to.equal(r1);
  });
});

import { expect } from 'chai';
import type { ServiceKey } from '../api/model.ts';
import { parseIP, type IP } from '../net/ip.ts';
import { allocatedIPs } from './allocated-ips.ts';
import type { Allocations } from './reconcile.ts';

const ip = (text: string): IP => {
  const r = parseIP(text);
  if (!r.ok) throw new Error(text);
  return r.value;
};
const key = (k: string) => k as ServiceKey;

describe('allocatedIPs', () => {
  const a1 = [ip('192.0.2.1')];
  const a2 = [ip('2001:db8::1'), ip('198.51.100.7')];
  const allocations: Allocations = new Map([
    [key('ns/b'), { ips: a1, pool: 'p' }],
    [key('ns/a'), { ips: a2, pool: 'q' }],
  ]);

  it("reads each Service's addresses through the allocations, in their order, as a map would", () => {
    const ips = allocatedIPs(allocations);
    expect(ips.size).to.equal(2);
    expect(ips.get(key('ns/a'))).to.equal(a2);
    expect(ips.get(key('ns/none'))).to.equal(undefined);
    expect(ips.has(key('ns/b'))).to.equal(true);
    expect(ips.has(key('ns/none'))).to.equal(false);
    expect([...ips]).to.deep.equal([[key('ns/b'), a1], [key('ns/a'), a2]]);
    expect([...ips.entries()]).to.deep.equal([...ips]);
    expect([...ips.keys()]).to.deep.equal([key('ns/b'), key('ns/a')]);
    expect([...ips.values()]).to.deep.equal([a1, a2]);
    const seen: [ServiceKey, readonly IP[]][] = [];
    ips.forEach((v, k, m) => {
      expect(m).to.equal(ips);
      seen.push([k, v]);
    });
    expect(seen).to.deep.equal([...ips]);
  });

  it('gives the same object for the same allocations (the announcement code compares by identity)', () => {
    expect(allocatedIPs(allocations)).to.equal(allocatedIPs(allocations));
    expect(allocatedIPs(new Map(allocations))).to.not.equal(allocatedIPs(allocations));
  });
});

import { expect } from 'chai';
import fc from 'fast-check';
import { announceForNode } from './announce.ts';
import { aConfig, anAdvertisement, aSnapshot, tor, web, type SnapshotSpec } from './builders.ts';
import { buildFrrModel, type FrrRouter } from './frr-model.ts';
import { frrLogLevelFor, parseFrrLogLevel } from './log-level.ts';
import { policyTag, routerPolicy } from './policy.ts';

function routerOf(spec: SnapshotSpec): FrrRouter {
  const model = buildFrrModel(aConfig(spec), announceForNode(aSnapshot(spec), 'node-1'), { hostname: 'h', logLevel: 'informational', secretPasswords: new Map(), extraConfig: null });
  if (!model.ok || model.value.routers[0] === undefined) throw new Error('no router');
  return model.value.routers[0];
}

const policyOf = (spec: SnapshotSpec) => {
  const p = routerPolicy(routerOf(spec));
  if (!p.ok) throw new Error(p.error.message);
  return p.value;
};

describe('outbound policy by origination tag', () => {
  const peers = [tor(), tor({ name: 'tor-b', address: '192.0.2.253' })];
  const api = { name: 'api', ips: ['203.0.113.11'] };

  it('gives prefixes with the same neighbors and attributes one tag', () => {
    const p = policyOf({ peers, ads: [anAdvertisement({ communities: ['1:1'] })], services: [web, api] });
    expect(p.policies).to.have.length(1);
    expect(p.networks.map((n) => n.tag)).to.deep.equal([p.policies[0]?.tag, p.policies[0]?.tag]);
  });

  it('gives prefixes that go to different neighbors different tags', () => {
    const bySvc = (app: string) => [{ matchLabels: { app }, matchExpressions: [] }];
    const ads = [anAdvertisement({ name: 'a', peers: ['tor'], serviceSelectors: bySvc('web') }), anAdvertisement({ name: 'b', serviceSelectors: bySvc('api') })];
    const p = policyOf({ peers, ads, services: [{ ...web, labels: { app: 'web' } }, { ...api, labels: { app: 'api' } }] });
    expect(p.policies.map((x) => x.members.map((m) => m.neighborId))).to.have.deep.members([['192.0.2.254'], ['192.0.2.253', '192.0.2.254']]);
  });

  it('keeps a tag stable when other Services come and go', () => {
    const ads = [anAdvertisement({ communities: ['1:1'] })];
    const alone = policyOf({ peers, ads, services: [web] });
    const crowded = policyOf({ peers, ads: [...ads, anAdvertisement({ name: 'agg', aggregationLength: 24 })], services: [web, api] });
    expect(crowded.policies.map((x) => x.tag)).to.include(alone.policies[0]?.tag);
  });

  it('maps every signature into FRR tag range 1..4294967295', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      const t = policyTag(s);
      expect(Number.isInteger(t) && t >= 1 && t <= 0xffff_ffff).to.equal(true);
    }));
  });
});

describe('FRR log levels', () => {
  it("maps the speaker's levels as MetalLB does", () => {
    expect((['all', 'debug', 'info', 'warn', 'error', 'none'] as const).map(frrLogLevelFor)).to.deep.equal(['debugging', 'debugging', 'informational', 'warnings', 'errors', 'emergencies']);
  });

  it('reads an override as an FRR level or a speaker level, and nothing else', () => {
    expect([parseFrrLogLevel('Notifications'), parseFrrLogLevel('warn'), parseFrrLogLevel('loud')]).to.deep.equal(['notifications', 'warnings', null]);
  });
});

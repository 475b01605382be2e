import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { err } from '../../core/result.ts';
import { announceForNode } from './announce.ts';
import { aBFDProfile, aConfig, aNode, aPeer, anAdvertisement, aSnapshot, tor, web, type SnapshotSpec } from './builders.ts';
import type { RenderOptions } from './frr-model.ts';
import { maxExtraConfigBytes } from './extra-config.ts';
import { renderAllNodes, renderFrrConfig, renderNode } from './render.ts';
import { compileTemplates, precompiledModule } from './template-compile.ts';
import { readTemplateSources } from './template-files.ts';
import { frrTemplate } from './templates.ts';

const options: RenderOptions = { hostname: 'node-1', logLevel: 'informational', secretPasswords: new Map(), extraConfig: null };
const render = (spec: SnapshotSpec, o: Partial<RenderOptions> = {}) => renderNode(aSnapshot(spec), 'node-1', { ...options, ...o });
const text = (spec: SnapshotSpec, o: Partial<RenderOptions> = {}): string => {
  const r = render(spec, o);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};
const lines = (spec: SnapshotSpec, o: Partial<RenderOptions> = {}) => text(spec, o).split('\n');
const all = anAdvertisement({ name: 'all' });

describe('renderFrrConfig: expected failures are values', () => {
  type Row = { readonly name: string; readonly spec: SnapshotSpec; readonly options?: Partial<RenderOptions>; readonly want: { reason: string; object: string; field: string } };
  const rows: readonly Row[] = [
    { name: 'fails with missing-secret when a passwordSecret was not resolved', spec: { peers: [tor({ passwordSecret: 'ns/auth' })] }, want: { reason: 'missing-secret', object: 'BGPPeer/tor', field: 'spec.passwordSecret' } },
    { name: 'fails with invalid-password when the Secret holds two words', spec: { peers: [tor({ passwordSecret: 'ns/auth' })] }, options: { secretPasswords: new Map([['ns/auth', 'two words']]) }, want: { reason: 'invalid-password', object: 'BGPPeer/tor', field: 'spec.passwordSecret' } },
    { name: 'fails with router-conflict when two peers of one VRF have different ASNs', spec: { peers: [tor(), tor({ name: 'tor-z', address: '192.0.2.9', myASN: 300 })] }, want: { reason: 'router-conflict', object: 'BGPPeer/tor-z', field: 'spec.myASN' } },
    { name: 'fails with router-conflict when two peers of one VRF have different router IDs', spec: { peers: [tor(), tor({ name: 'tor-z', address: '192.0.2.9', routerID: '192.0.2.99' })] }, want: { reason: 'router-conflict', object: 'BGPPeer/tor-z', field: 'spec.routerID' } },
    { name: 'fails with router-conflict when two peers of one VRF peer with the same address', spec: { peers: [tor(), tor({ name: 'tor-z', port: 1179 })] }, want: { reason: 'router-conflict', object: 'BGPPeer/tor-z', field: 'spec.peerAddress' } },
    { name: 'fails with invalid-extra-config on a carriage return', spec: { peers: [tor()] }, options: { extraConfig: { source: 'ConfigMap/x/extras', text: 'a\r\nb\n' } }, want: { reason: 'invalid-extra-config', object: 'ConfigMap/x/extras', field: '' } },
    { name: 'fails with invalid-extra-config on a NUL', spec: {}, options: { extraConfig: { source: 'extras', text: 'a\u0000' } }, want: { reason: 'invalid-extra-config', object: 'extras', field: '' } },
    { name: 'fails with invalid-extra-config when larger than the limit', spec: {}, options: { extraConfig: { source: 'extras', text: '!'.repeat(maxExtraConfigBytes + 1) } }, want: { reason: 'invalid-extra-config', object: 'extras', field: '' } },
    { name: 'fails with invalid-token when the hostname holds a space', spec: {}, options: { hostname: 'node 1' }, want: { reason: 'invalid-token', object: 'render input', field: 'hostname' } },
    { name: 'fails with invalid-token when an inline password holds a newline', spec: { peers: [tor({ password: 'a\nrouter bgp 1' })] }, want: { reason: 'invalid-token', object: 'BGPPeer/tor', field: 'spec.password' } },
    { name: 'fails with invalid-token when an interface name holds a space', spec: { peers: [tor({ iface: 'eth 0' })] }, want: { reason: 'invalid-token', object: 'BGPPeer/tor', field: 'spec.interface' } },
    { name: 'fails with invalid-token when a VRF name holds a newline', spec: { peers: [tor({ vrf: 'red\nexit' })] }, want: { reason: 'invalid-token', object: 'BGPPeer/tor', field: 'spec.vrf' } },
    { name: 'fails with invalid-token when a BFD profile name holds a tab', spec: { bfdProfiles: [aBFDProfile({ name: 'a\tb' })] }, want: { reason: 'invalid-token', object: 'BFDProfile/a\tb', field: 'metadata.name' } },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const r = render(row.spec, row.options);
      expect(r.ok).to.equal(false);
      if (!r.ok) expect({ reason: r.error.reason, object: r.error.object, field: r.error.field }).to.deep.equal(row.want);
    });
  }

  it('accepts an extra config with tabs, trims trailing blanks and blank edge lines', () => {
    expect(text({}, { extraConfig: { source: 'x', text: '\n\nline vty\n\texec-timeout 0 0  \n\n' } }).endsWith('line vty\n\texec-timeout 0 0\n')).to.equal(true);
  });
});

describe('renderFrrConfig: neighbors', () => {
  type Row = { readonly name: string; readonly peer: Parameters<typeof tor>[0]; readonly present: readonly string[]; readonly absent?: readonly string[] };
  const rows: readonly Row[] = [
    { name: 'disables the connected check for single-hop IPv6 eBGP', peer: { address: '2001:db8::254' }, present: [' neighbor 2001:db8::254 disable-connected-check'] },
    { name: 'keeps the connected check for multi-hop IPv6 eBGP', peer: { address: '2001:db8::254', ebgpMultiHop: true }, present: [' neighbor 2001:db8::254 ebgp-multihop 255'], absent: [' neighbor 2001:db8::254 disable-connected-check'] },
    { name: 'keeps the connected check for IPv6 iBGP', peer: { address: '2001:db8::254', remoteASN: 100 }, present: [], absent: [' neighbor 2001:db8::254 disable-connected-check'] },
    { name: 'keeps the connected check for a dual-stack IPv6 neighbor', peer: { address: '2001:db8::254', dualStackAddressFamily: true }, present: [' address-family ipv4 unicast'], absent: [' neighbor 2001:db8::254 disable-connected-check'] },
    { name: 'disables the connected check for remote-as external over IPv6', peer: { address: '2001:db8::254', remoteASN: 'external' }, present: [' neighbor 2001:db8::254 disable-connected-check'] },
    { name: 'does not write the default port 179', peer: { port: 179 }, present: [], absent: [' neighbor 192.0.2.254 port 179'] },
    { name: 'writes any other port', peer: { port: 1179 }, present: [' neighbor 192.0.2.254 port 1179'] },
    { name: 'writes keepalive then hold', peer: { timers: { holdSeconds: 90, keepaliveSeconds: 30 } }, present: [' neighbor 192.0.2.254 timers 30 90'] },
    { name: 'turns BFD on with the profile', peer: { bfdProfile: 'fast' }, present: [' neighbor 192.0.2.254 bfd', ' neighbor 192.0.2.254 bfd profile fast'] },
    { name: 'prints a password with HTML characters as it is (no escaping)', peer: { password: `p&<>"'=` }, present: [` neighbor 192.0.2.254 password p&<>"'=`] },
    { name: 'uses the password a Secret resolved to', peer: { passwordSecret: 'ns/auth' }, present: [' neighbor 192.0.2.254 password from-secret'] },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const got = lines({ peers: [tor(row.peer)] }, { secretPasswords: new Map([['ns/auth', 'from-secret']]) });
      for (const l of row.present) expect(got).to.include(l);
      for (const l of row.absent ?? []) expect(got).to.not.include(l);
    });
  }

  it('activates a neighbor in its families whether or not anything is advertised', () => {
    const none = lines({ peers: [tor({ dualStackAddressFamily: true })] });
    expect(none.filter((l) => l.endsWith(' activate'))).to.deep.equal(['  neighbor 192.0.2.254 activate', '  neighbor 192.0.2.254 activate']);
  });

  it('ends every out route-map with an explicit deny, even when nothing is advertised', () => {
    expect(text({ peers: [tor()] })).to.contain('route-map 192.0.2.254-out deny 65535\nexit\n');
  });
});

describe('renderFrrConfig: outbound policy', () => {
  const peers = [tor(), tor({ name: 'tor-b', address: '192.0.2.253' })];

  it('adds exactly one line when a Service with an existing policy gets an address', () => {
    const before = lines({ peers, ads: [all], services: [web] });
    const after = lines({ peers, ads: [all], services: [web, { name: 'api', ips: ['203.0.113.11'] }] });
    expect(after.filter((l) => !before.includes(l))).to.have.length(1);
    expect(after.filter((l) => !before.includes(l))[0]).to.match(/^ {2}network 203\.0\.113\.11\/32 route-map barelb-tag-\d+$/);
    expect(before.filter((l) => !after.includes(l))).to.deep.equal([]);
  });

  it('merges two advertisements of one prefix to one neighbor: communities united, the highest LOCAL_PREF', () => {
    // Two Services share one IP; each is matched by its own advertisement.
    const bySvc = (s: string) => [{ matchLabels: { s }, matchExpressions: [] }];
    const ads = [anAdvertisement({ name: 'a', localPref: 100, communities: ['2:2'], serviceSelectors: bySvc('1') }), anAdvertisement({ name: 'b', localPref: 200, communities: ['1:1'], serviceSelectors: bySvc('2') })];
    const services = [{ ...web, labels: { s: '1' } }, { name: 'web2', ips: ['203.0.113.10'], labels: { s: '2' } }];
    const out = text({ peers, ads, services });
    expect(out).to.contain(' set local-preference 200\n set community 1:1 2:2 additive\n');
    expect(out).to.not.contain('set local-preference 100');
    expect(out.match(/ {2}network 203\.0\.113\.10\/32 /g)).to.have.length(1);
  });

  it('does not originate a prefix that no neighbor of the router carries', () => {
    expect(text({ peers: [tor()], ads: [all], services: [{ name: 'v6', families: ['ipv6'], ips: ['2001:db8:100::1'] }] })).to.not.contain('  network ');
  });

  it('returns the first invariant failure as a value from renderFrrConfig too', () => {
    const node = announceForNode(aSnapshot({ peers: [tor({ passwordSecret: 'a/b' })] }), 'node-1');
    const r = renderFrrConfig({ ...options, config: aConfig(), node });
    expect(r.ok ? 'ok' : r.error.reason).to.equal(err({ reason: 'missing-secret' }).error.reason);
  });
});

describe('compileTemplates', () => {
  it('throws on a field the view model lacks (strict), which renderFrrConfig turns into template-failed', () => {
    const broken = compileTemplates(new Map([['frr.conf', 'hostname {{hostnme}}\n']]));
    const view = { logLevel: 'informational', debugLines: [], hostname: 'h', routeMaps: [], routers: [], bfd: [], extraLines: [] };
    expect(() => broken(view)).to.throw(/hostnme/);
  });

  it('needs the entry template', () => {
    expect(() => compileTemplates(new Map([['router', 'x']]))).to.throw(/frr\.conf\.hbs/);
    expect(() => precompiledModule(new Map([['router', 'x']]))).to.throw(/frr\.conf\.hbs/);
  });

  it('the processes run exactly templates/*.hbs, precompiled (npm run gen:templates)', () => {
    const generated = readFileSync(new URL('./templates-precompiled.ts', import.meta.url), 'utf8');
    expect(generated === precompiledModule(readTemplateSources()), 'templates-precompiled.ts is stale: run npm run gen:templates').to.equal(true);
  });

  it('renders with the precompiled templates what the compiler renders (the golden files check full configs)', () => {
    const view = { logLevel: 'informational', debugLines: [], hostname: 'h', routeMaps: [], routers: [], bfd: [], extraLines: [] };
    expect(frrTemplate()(view)).to.equal(compileTemplates(readTemplateSources())(view));
  });
});

describe('renderAllNodes: the controller dry run', () => {
  it('renders every known node, each with its own sessions, and reports an unrenderable node as a value', () => {
    const snap = aSnapshot({ peers: [aPeer({ name: 'a', nodeSelectors: [{ matchLabels: { rack: 'a' }, matchExpressions: [] }] }), aPeer({ name: 'b', address: '192.0.2.2', passwordSecret: 'ns/s', nodeSelectors: [{ matchLabels: { rack: 'b' }, matchExpressions: [] }] })], ads: [all], services: [web] });
    const nodes = [aNode('node-2', { rack: 'b' }), aNode('node-1', { rack: 'a' })];
    const out = renderAllNodes(snap.config, snap.services, snap.allocations, nodes, snap.endpointSlices);
    expect([...out.keys()]).to.deep.equal(['node-1', 'node-2']);
    const one = out.get('node-1');
    expect(one?.ok && one.value.includes('hostname node-1') && one.value.includes('neighbor 192.0.2.1 remote-as 64501')).to.equal(true);
    const two = out.get('node-2');
    expect(two?.ok === false && two.error.reason).to.equal('missing-secret');
    const withSecret = renderAllNodes(snap.config, snap.services, snap.allocations, nodes, snap.endpointSlices, { secretPasswords: new Map([['ns/s', 'pw']]) });
    expect(withSecret.get('node-2')?.ok).to.equal(true);
  });
});

import { expect } from 'chai';
import { sanitizeName } from './names.ts';
import { noteCodeList, severityOf } from './notes.ts';
import { renderManifests, renderReportText } from './render.ts';
import { aMetalLB, aSecret, aService, noteRows, objectRows, run, type Manifest } from './testing.ts';

const peerWithSecret = (name: string, secret: Manifest): Manifest =>
  aMetalLB('BGPPeer', name, { myASN: 64512, peerASN: 64513, peerAddress: '10.0.0.1', passwordSecret: secret });

describe('migrate: what happens to each input object', () => {
  it('keeps the input order, replacing each MetalLB object where it stood', () => {
    const r = run([aService('a', undefined), aMetalLB('IPAddressPool', 'p', { addresses: ['192.0.2.0/28'] }), { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'x' } }]);
    expect(r.objects.map((o) => o['kind'])).to.deep.equal(['Service', 'IPAddressPool', 'Deployment']);
  });

  it('unwraps Lists, as kubectl get -o yaml writes them, also nested', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [aMetalLB('BFDProfile', 'b', {}), { apiVersion: 'v1', kind: 'IPAddressPoolList', items: [aMetalLB('IPAddressPool', 'p', { addresses: ['192.0.2.0/28'] })] }] };
    expect(objectRows(run([list])).map((o) => o[2])).to.deep.equal(['barelb-system/b', 'barelb-system/p']);
  });

  it('passes barelb objects and other kinds through unchanged, without notes', () => {
    const input = [
      { apiVersion: 'barelb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'p', namespace: 'metallb-system', uid: 'u' }, spec: { typo: 1 } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'metallb-system' } },
      { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'speaker', namespace: 'metallb-system' } },
      aSecret('memberlist'),
    ];
    const r = run(input);
    expect(r.objects).to.deep.equal(input);
    expect(r.notes).to.deep.equal([]);
    expect(r.summary).to.deep.include({ converted: 0, rewritten: 0, passedThrough: 4, leftOut: 0 });
  });

  it('drops the status objects MetalLB writes at run time', () => {
    const r = run(['ServiceL2Status', 'ServiceBGPStatus', 'ConfigurationState'].map((k) => aMetalLB(k, 'x', undefined)));
    expect(r.objects).to.deep.equal([]);
    expect(noteRows(r).map((n) => n[0])).to.deep.equal(['runtime-object-dropped', 'runtime-object-dropped', 'runtime-object-dropped']);
    expect(r.incomplete).to.equal(false);
  });

  it('leaves out MetalLB kinds and versions it does not know, and documents that are not objects', () => {
    const r = run([aMetalLB('IPAddressPool', 'p', {}, 'v1alpha1'), aMetalLB('Frobnicator', 'f', {}), 42]);
    expect(noteRows(r)).to.deep.equal([
      ['unsupported-object', '(document)', ''],
      ['unsupported-object', 'Frobnicator/metallb-system/f', 'apiVersion'],
      ['unsupported-object', 'IPAddressPool/metallb-system/p', 'apiVersion'],
    ]);
    expect(r.objects).to.deep.equal([]);
    expect(r.summary.leftOut).to.equal(3);
    expect(r.incomplete).to.equal(true);
  });

  it('converts the AddressPool of MetalLB 0.13 into a pool and the advertisements its protocol implied', () => {
    const pool = aMetalLB('AddressPool', 'old', { protocol: 'bgp', addresses: ['192.0.2.0/28'], autoAssign: false, bgpAdvertisements: [{ aggregationLength: 32, localPref: 100, communities: ['65535:65282'] }] });
    const r = run([pool]);
    expect(objectRows(r)).to.deep.equal([
      ['barelb.io/v1beta1', 'IPAddressPool', 'barelb-system/old', { addresses: ['192.0.2.0/28'], autoAssign: false }],
      ['barelb.io/v1beta1', 'BGPAdvertisement', 'barelb-system/bgpadvertisement1', { ipAddressPools: ['old'], aggregationLength: 32, localPref: 100, communities: ['65535:65282'] }],
    ]);
    expect(noteRows(r)).to.deep.equal([['legacy-converted', 'AddressPool/metallb-system/old', '']]);
  });

  it('reports MetalLB ConfigMaps and frr-k8s objects barelb does not read, and passes them through', () => {
    const extras = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bgpextras', namespace: 'metallb-system' }, data: { extras: 'router bgp 64512\n' } };
    const exclude = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'metallb-excludel2', namespace: 'metallb-system' }, data: { 'excludel2.yaml': 'announcedInterfacesToExclude: ["^docker.*"]\n' } };
    const frr = { apiVersion: 'frrk8s.metallb.io/v1beta1', kind: 'FRRConfiguration', metadata: { name: 'extra', namespace: 'metallb-system' }, spec: {} };
    const r = run([extras, exclude, frr]);
    expect(r.objects).to.deep.equal([extras, exclude, frr]);
    expect(noteRows(r).map((n) => [n[0], n[1]])).to.deep.equal([
      ['no-equivalent', 'ConfigMap/metallb-system/bgpextras'],
      ['no-equivalent', 'ConfigMap/metallb-system/metallb-excludel2'],
      ['no-equivalent', 'FRRConfiguration/metallb-system/extra'],
    ]);
  });
});

describe('migrate: Secrets of BGP peers', () => {
  it('moves the Secret a peer names into the target namespace, once, and keeps the others where they are', () => {
    const r = run([peerWithSecret('a', { name: 'auth' }), peerWithSecret('b', { name: 'auth', namespace: 'metallb-system' }), aSecret('auth'), aSecret('memberlist')]);
    expect(r.objects.slice(2).map((o) => o['metadata'])).to.deep.equal([{ name: 'auth', namespace: 'barelb-system' }, { name: 'memberlist', namespace: 'metallb-system' }]);
    expect(noteRows(r)).to.deep.equal([['secret-moved', 'Secret/metallb-system/auth', 'metadata.namespace']]);
    expect(r.incomplete).to.equal(false);
  });

  it('says so when the Secret is not among the inputs', () => {
    const r = run([peerWithSecret('a', { name: 'auth' })]);
    expect(noteRows(r)).to.deep.equal([['secret-not-found', 'BGPPeer/metallb-system/a', 'spec.passwordSecret']]);
    expect(r.incomplete).to.equal(true);
  });

  it('leaves Secrets alone when the target namespace is MetalLB\'s own', () => {
    const r = run([peerWithSecret('a', { name: 'auth' }), aSecret('auth')], 'metallb-system');
    expect(r.objects[1]).to.deep.equal(aSecret('auth'));
    expect(r.notes).to.deep.equal([]);
  });

  it('keeps a reference to a Secret in another namespace as written', () => {
    const r = run([peerWithSecret('a', { name: 'auth', namespace: 'vault' }), aSecret('auth', 'vault')]);
    expect((r.objects[0]?.['spec'] as Manifest)['passwordSecret']).to.deep.equal({ name: 'auth', namespace: 'vault' });
    expect(r.objects[1]).to.deep.equal(aSecret('auth', 'vault'));
    expect(r.notes).to.deep.equal([]);
  });
});

describe('migrate: names and printing', () => {
  const names = [
    ['Production_Public', 'production-public'],
    ['01-numbered-addresspool', '01-numbered-addresspool'],
    ['-x-', 'x'],
    ['a.b', 'a-b'],
    ['___', ''],
  ] as const;
  for (const [from, to] of names) {
    it(`sanitises ${JSON.stringify(from)} to ${JSON.stringify(to)}`, () => expect(sanitizeName(from)).to.equal(to));
  }

  it('quotes strings kubectl would read as numbers or booleans', () => {
    const text = renderManifests([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { community: '64512:1', flag: 'yes', other: '65535:65282' } }]);
    expect(text).to.contain('community: "64512:1"');
    expect(text).to.contain('flag: "yes"');
    expect(text).to.contain('other: 65535:65282');
  });

  it('prints left-out notes before changed ones and says what to do', () => {
    const r = run([aMetalLB('BFDProfile', 'b', { typo: 1 }), aService('web', { 'metallb.io/address-pool': 'p' })]);
    const text = renderReportText(r);
    expect(text.indexOf('Left out')).to.be.lessThan(text.indexOf('Changed'));
    expect(text).to.contain('1 thing was left out: review it before applying.');
    expect(text).to.contain('\n  unknown-field  BFDProfile/metallb-system/b spec.typo: not a field');
  });

  it('gives every code a severity', () => {
    for (const code of noteCodeList) expect(['left-out', 'changed']).to.include(severityOf(code));
  });
});

// barelb's CRDs (helm/barelb/crds) on a real kube-apiserver: they install, accept every example,
// apply their defaults, refuse invalid objects naming the field (structural schema and each CEL
// rule), keep status behind the /status subresource, and print their columns.
import * as k8s from '@kubernetes/client-node';
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { barelbCrds, crdDirectory, crdFileName } from '../../src/k8s/crds.ts';
import { startControlPlane } from '../cluster/control-plane.ts';
import type { ControlPlane } from '../cluster/control-plane.ts';
import { anObject, BarelbObjects, contains, exampleDirs, exampleObjects, getTable, installCrds, refusal, repoRoot, type Body } from './crds-helpers.ts';
import { invalidObjects } from './crds-invalid-helpers.ts';

const NS = `blb-crds-${randomBytes(3).toString('hex')}`;

describe('barelb CRDs on kube-apiserver', function () {
  let cp: ControlPlane | undefined;
  let objects: BarelbObjects;
  let core: k8s.CoreV1Api;
  let installed: readonly k8s.V1CustomResourceDefinition[] = [];

  const plane = (): ControlPlane => {
    if (cp === undefined) throw new Error('control plane not started');
    return cp;
  };

  async function ensureNamespace(name: string): Promise<void> {
    try {
      await core.createNamespace({ body: { metadata: { name } } });
    } catch (error) {
      if (!(error instanceof k8s.ApiException && error.code === 409)) throw error;
    }
  }

  before(async function () {
    this.timeout(50 * 60_000); // a cold machine compiles kube-apiserver first
    cp = await startControlPlane();
    objects = new BarelbObjects(cp.kubeConfig);
    core = cp.kubeConfig.makeApiClient(k8s.CoreV1Api);
    installed = await installCrds(cp.kubeConfig);
    await ensureNamespace(NS);
  });

  after(async function () {
    this.timeout(60_000);
    await cp?.stop();
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed' && cp !== undefined) console.error(`--- kube-apiserver log ---\n${cp.logTail('apiserver', 40)}`);
  });

  it('installs every CRD of the chart, each Established with its names accepted', () => {
    expect(installed.map((c) => c.metadata?.name)).to.deep.equal(barelbCrds.map((d) => `${d.plural}.barelb.io`));
    for (const crd of installed) {
      const conditions = (crd.status?.conditions ?? []).filter((c) => c.status === 'True').map((c) => c.type);
      expect(conditions, crd.metadata?.name).to.include.members(['Established', 'NamesAccepted']);
    }
  });

  it('stores the schemas, CEL rules, defaults, printer columns and status subresources exactly as the files say', () => {
    for (const def of barelbCrds) {
      const file = parse(readFileSync(join(repoRoot, crdDirectory, crdFileName(def)), 'utf8')) as { spec: { versions: Body[] } };
      const crd = installed.find((c) => c.spec.names.kind === def.kind);
      // Through the client's serialiser and back: proves nothing (x-kubernetes-*, default) was dropped.
      const stored = parse(k8s.dumpYaml(crd)) as { spec: { versions: Body[] } };
      expect(stored.spec.versions, def.kind).to.deep.equal(file.spec.versions);
    }
  });

  // examples/metallb-migrated holds metallb.io objects only: nothing of ours to create.
  for (const dir of exampleDirs().filter((d) => exampleObjects(d).length > 0)) {
    it(`accepts every barelb.io object of examples/${dir} unchanged, with strict field validation`, async function () {
      const created: Body[] = [];
      try {
        for (const { where, object } of exampleObjects(dir)) {
          await ensureNamespace(String((object['metadata'] as Body)['namespace']));
          const { object: stored } = await objects.create(object);
          created.push(object);
          expect(contains(stored['spec'], object['spec']), `${where}: spec came back as ${JSON.stringify(stored['spec'])}`).to.equal(true);
        }
      } finally {
        for (const object of created) await objects.delete(object);
      }
    });
  }

  it('applies the declared defaults', async () => {
    const pool = await objects.create(anObject('IPAddressPool', 'defaults', NS, { spec: { addresses: ['203.0.113.0/28'] } }));
    expect(pool.object['spec']).to.deep.equal({ addresses: ['203.0.113.0/28'], autoAssign: true, avoidBuggyIPs: false });
    const ad = await objects.create(anObject('BGPAdvertisement', 'defaults', NS, { spec: {} }));
    expect(ad.object['spec']).to.deep.equal({ aggregationLength: 32, aggregationLengthV6: 128 });
    const peer = await objects.create(anObject('BGPPeer', 'defaults', NS, { spec: { myASN: 64512, peerASN: 64500, peerAddress: '192.0.2.1' } }, 'v1beta2'));
    expect(peer.object['spec']).to.deep.equal({
      myASN: 64512, peerASN: 64500, peerAddress: '192.0.2.1', peerPort: 179, enableGracefulRestart: false, disableMP: false, dualStackAddressFamily: false,
    });
  });

  it('serves BGPPeer v1beta1 with a deprecation warning and reads it back as v1beta2', async () => {
    const v1 = anObject('BGPPeer', 'legacy', NS, { spec: { myASN: 64512, peerASN: 64500, peerAddress: '192.0.2.9', holdTime: '9s' } }, 'v1beta1');
    const { warnings } = await objects.create(v1);
    expect(warnings).to.include('barelb.io/v1beta1 BGPPeer is deprecated, please use barelb.io/v1beta2');
    const v2 = await objects.get(v1, 'v1beta2');
    expect(v2['apiVersion']).to.equal('barelb.io/v1beta2');
    expect(v2['spec']).to.deep.include({ myASN: 64512, peerASN: 64500, peerAddress: '192.0.2.9', holdTime: '9s', peerPort: 179 });
  });

  describe('refusing invalid objects, naming the field', () => {
    invalidObjects().forEach((row, i) => {
      it(`refuses ${row.name}`, async () => {
        const parts = row.spec === undefined ? {} : { spec: row.spec };
        const got = await refusal(objects.create(anObject(row.kind, `invalid-${i}`, NS, parts, row.version)));
        // 422: the Status lists the fields; 400 (strict decoding) only names them in the message.
        expect(got.code, got.message).to.be.oneOf([400, 422]);
        if (got.code === 422) expect(got.fields).to.include(row.field);
        expect(got.message).to.include(row.field).and.include(row.message);
      });
    });

    it('refuses changing enableGracefulRestart after creation (CEL self == oldSelf), but not other fields', async () => {
      const peer = anObject('BGPPeer', 'graceful', NS, { spec: { myASN: 64512, peerASN: 64500, peerAddress: '192.0.2.3' } }, 'v1beta2');
      await objects.create(peer);
      const current = await objects.get(peer);
      const spec = current['spec'] as Body;
      const got = await refusal(objects.replace({ ...current, spec: { ...spec, enableGracefulRestart: true } }));
      expect(got.message).to.include('spec.enableGracefulRestart').and.include('enableGracefulRestart cannot be changed after creation');
      const edited = await objects.replace({ ...current, spec: { ...spec, holdTime: '30s' } });
      expect(edited['spec']).to.deep.include({ holdTime: '30s', enableGracefulRestart: false });
    });

    for (const kind of ['ServiceL2Status', 'ServiceBGPStatus']) {
      it(`keeps node, serviceName and serviceNamespace of a ${kind} fixed once written (CEL self == oldSelf)`, async () => {
        const o = anObject(kind, `fixed-${kind.toLowerCase()}`, NS, { spec: {} });
        await objects.create(o);
        const first = { node: 'node-a', serviceName: 'web', serviceNamespace: 'default' };
        await objects.setStatus(o, first);
        for (const [field, value] of [['node', 'node-b'], ['serviceName', 'api'], ['serviceNamespace', 'prod']] as const) {
          const got = await refusal(objects.setStatus(o, { ...first, [field]: value }));
          expect(got.message).to.include(`status.${field}`).and.include(`${field} is immutable`);
        }
        const extra = kind === 'ServiceL2Status' ? { interfaces: [{ name: 'eth0' }] } : { peers: ['tor-a'] };
        expect((await objects.setStatus(o, { ...first, ...extra }))['status']).to.deep.equal({ ...first, ...extra });
      });
    }
  });

  describe('the status subresource', () => {
    const counters = { assignedIPv4: 2, assignedIPv6: 0, availableIPv4: 14, availableIPv6: 0 };

    it('drops status on create, writes it through /status, and keeps it through spec updates', async () => {
      const pool = anObject('IPAddressPool', 'status', NS, { spec: { addresses: ['203.0.113.16/28'] }, status: counters });
      expect((await objects.create(pool)).object['status']).to.equal(undefined);
      const written = await objects.setStatus(pool, counters);
      expect(written['status']).to.deep.equal(counters);
      const generation = (written['metadata'] as Body)['generation'];

      const current = await objects.get(pool);
      const bogus = { ...counters, assignedIPv4: 9 };
      const updated = await objects.replace({ ...current, spec: { ...(current['spec'] as Body), autoAssign: false }, status: bogus });
      expect(updated['spec']).to.deep.include({ autoAssign: false });
      expect(updated['status'], 'status after a spec update').to.deep.equal(counters);
      expect((updated['metadata'] as Body)['generation']).to.equal(Number(generation) + 1);

      const viaStatus = await objects.replaceStatus({ ...updated, spec: { addresses: ['203.0.113.0/24'] }, status: bogus });
      expect(viaStatus['spec'], 'spec after a status update').to.deep.equal(updated['spec']);
      expect(viaStatus['status']).to.deep.equal(bogus);
    });

    it('refuses an IPAddressPool status missing a counter', async () => {
      const pool = anObject('IPAddressPool', 'partial-status', NS, { spec: { addresses: ['203.0.113.32/28'] } });
      await objects.create(pool);
      const got = await refusal(objects.setStatus(pool, { assignedIPv4: 1 }));
      expect(got.message).to.include('status.availableIPv4').and.include('Required value');
    });

    it('records a ConfigurationState (result, lastError, observedGeneration, conditions) and refuses an unknown result', async () => {
      const state = anObject('ConfigurationState', 'controller', NS, {});
      await objects.create(state);
      const condition = { type: 'configReconcilerValid', status: 'False', reason: 'ConfigurationError', message: 'IPAddressPool/barelb-system/a spec.addresses[0]: overlaps', lastTransitionTime: '2026-01-01T00:00:00Z' };
      const status = { result: 'Invalid', lastError: condition.message, observedGeneration: 1, conditions: [condition] };
      expect((await objects.setStatus(state, status))['status']).to.deep.equal(status);
      const bad = await refusal(objects.setStatus(state, { ...status, result: 'Broken' }));
      expect(bad.message).to.include('status.result').and.include('Unsupported value: "Broken"');
      const twice = await refusal(objects.setStatus(state, { ...status, conditions: [condition, condition] }));
      expect(twice.message).to.include('status.conditions[1]').and.include('Duplicate value');
    });
  });

  it('prints the declared columns in the Table kubectl reads', async () => {
    const pool = anObject('IPAddressPool', 'printed', NS, { spec: { addresses: ['203.0.113.48/28'], avoidBuggyIPs: true } });
    await objects.create(pool);
    const p = plane();
    const pools = await getTable(p.server, p.caPem, p.adminToken, `/apis/barelb.io/v1beta1/namespaces/${NS}/ipaddresspools/printed`);
    expect(pools.columns).to.deep.equal(['Name', 'Auto Assign', 'Avoid Buggy IPs', 'Addresses', 'Age']);
    expect(pools.rows[0]?.slice(0, 4)).to.deep.equal(['printed', true, true, '["203.0.113.48/28"]']);

    await objects.create(anObject('BGPPeer', 'printed', NS, { spec: { myASN: 64512, peerASN: 64500, peerAddress: '192.0.2.7', bfdProfile: 'fast', ebgpMultiHop: true } }, 'v1beta2'));
    const peers = await getTable(p.server, p.caPem, p.adminToken, `/apis/barelb.io/v1beta2/namespaces/${NS}/bgppeers/printed`);
    expect(peers.columns).to.deep.equal(['Name', 'Address', 'ASN', 'BFD Profile', 'Multi Hops', 'Age']);
    expect(peers.rows[0]?.slice(0, 5)).to.deep.equal(['printed', '192.0.2.7', 64500, 'fast', true]);
  });
});

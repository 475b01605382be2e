// The controller on a real kube-apiserver + etcd: CRDs installed for real, the controller as a
// process (`barelb controller --kubeconfig`), everything asserted through the API: Service status,
// the IPAllocated condition, the pool annotation, Events, pool counters, restarts that change
// nothing (not even a resourceVersion), and two replicas of which only the Lease holder writes.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { ApiError, kubeClient, type KubeClient, type WireObject } from '../../src/k8s/client.ts';
import { startControlPlane, type ControlPlane } from '../cluster/control-plane.ts';
import { BarelbProcess } from '../harness/barelb.ts';
import { Teardown } from '../harness/cleanup.ts';
import { waitFor } from '../harness/wait.ts';
import { installCrds } from './crds-helpers.ts';

const SYSTEM = 'barelb-system';
const NS = `blb-ctl-${randomBytes(3).toString('hex')}`;

const record = (v: unknown): WireObject => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as WireObject) : {});

function pool(name: string, addresses: string[], extra: WireObject = {}): WireObject {
  return { apiVersion: 'barelb.io/v1beta1', kind: 'IPAddressPool', metadata: { name, namespace: SYSTEM }, spec: { addresses, ...extra } };
}

function service(name: string, annotations: Record<string, string> = {}): WireObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: NS, annotations },
    spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80, protocol: 'TCP' }], selector: { app: name } },
  };
}

const ingressOf = (s: WireObject): string[] =>
  ((record(record(s['status'])['loadBalancer'])['ingress'] ?? []) as WireObject[]).map((i) => String(i['ip']));
const conditionOf = (s: WireObject): WireObject | undefined =>
  ((record(s['status'])['conditions'] ?? []) as WireObject[]).find((c) => c['type'] === 'barelb.io/IPAllocated');
const rvOf = (o: WireObject): string => String(record(o['metadata'])['resourceVersion']);

describe('controller on Kubernetes (real kube-apiserver)', function () {
  this.timeout(240_000);
  const teardown = new Teardown();
  let cp: ControlPlane;
  let api: KubeClient;
  const controllers: BarelbProcess[] = [];

  const svcPath = (name = '') => `/api/v1/namespaces/${NS}/services${name === '' ? '' : `/${name}`}`;
  const getService = (name: string) => api.get(svcPath(name));
  const startController = (identity: string): BarelbProcess => {
    const c = BarelbProcess.start(['controller', '--kubeconfig', cp.kubeconfigPath, '--namespace', SYSTEM, '--identity', identity, '--log-level', 'debug'], { label: identity });
    controllers.push(c);
    teardown.defer(async () => void (await c.stop()));
    return c;
  };
  const allocated = (name: string, count = 1) =>
    waitFor(async () => {
      const s = await getService(name);
      return ingressOf(s).length >= count ? s : null;
    }, 30_000, { what: `${name} to get an address` });
  const eventsFor = async (name: string): Promise<WireObject[]> => {
    const list = await api.list(`/apis/events.k8s.io/v1/namespaces/${NS}/events`);
    return list.items.filter((e) => record(e['regarding'])['name'] === name);
  };

  before(async function () {
    cp = await startControlPlane();
    teardown.defer(() => cp.stop());
    api = kubeClient(cp.kubeConfig);
    await installCrds(cp.kubeConfig);
    for (const ns of [SYSTEM, NS]) await api.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await api.create(`/apis/barelb.io/v1beta1/namespaces/${SYSTEM}/ipaddresspools`, pool('main', ['203.0.113.0/29']));
    await api.create(`/apis/barelb.io/v1beta1/namespaces/${SYSTEM}/ipaddresspools`, pool('tiny', ['203.0.113.16/31'], { autoAssign: false }));
    startController('replica-a');
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') for (const c of controllers.filter((x) => !x.exited)) console.error(`--- ${c.label}\n${c.logTail(40)}`);
  });

  after(() => teardown.run());

  it('gives a LoadBalancer Service an address, the IPAllocated condition, the pool annotation and an Event', async () => {
    await api.create(svcPath(), service('web'));
    const s = await allocated('web');
    expect(ingressOf(s)).to.deep.equal(['203.0.113.0']);
    expect(record(record(s['metadata'])['annotations'])['barelb.io/ip-allocated-from-pool']).to.equal('main');
    expect(conditionOf(s)).to.include({ status: 'True', reason: 'IPAllocated' });
    const events = await waitFor(async () => {
      const e = await eventsFor('web');
      return e.length > 0 ? e : null;
    }, 10_000, { what: 'an Event for web' });
    expect(events[0]).to.include({ reason: 'IPAllocated', type: 'Normal', reportingController: 'barelb.io/controller' });
  });

  it('reports a pending Service with a False condition naming the reason, and a Warning Event', async () => {
    await api.create(svcPath(), service('lost', { 'barelb.io/address-pool': 'no-such-pool' }));
    const s = await waitFor(async () => {
      const x = await getService('lost');
      return conditionOf(x) === undefined ? null : x;
    }, 30_000, { what: 'a condition on lost' });
    expect(ingressOf(s)).to.deep.equal([]);
    const c = conditionOf(s) ?? {};
    expect(c['status']).to.equal('False');
    expect(String(c['message'])).to.contain('no-such-pool');
    const warning = await waitFor(async () => (await eventsFor('lost')).find((e) => e['type'] === 'Warning') ?? null, 10_000, { what: 'a Warning Event for lost' });
    expect(warning['reason']).to.equal('AllocationFailed');
  });

  it('writes the pool counters into IPAddressPool status', async () => {
    const p = await waitFor(async () => {
      const x = await api.get(`/apis/barelb.io/v1beta1/namespaces/${SYSTEM}/ipaddresspools/main`);
      return record(x['status'])['assignedIPv4'] === 1 ? x : null;
    }, 20_000, { what: 'pool main status' });
    expect(record(p['status'])).to.include({ assignedIPv4: 1, availableIPv4: 7 });
  });

  it('gives a pending Service its address as soon as another Service is deleted', async () => {
    const inTiny = { 'barelb.io/address-pool': 'tiny' };
    await api.create(svcPath(), service('t1', inTiny));
    await allocated('t1');
    await api.create(svcPath(), service('t2', inTiny));
    await allocated('t2');
    await api.create(svcPath(), service('t3', inTiny));
    await waitFor(async () => (conditionOf(await getService('t3'))?.['status'] === 'False' ? true : null), 20_000, { what: 't3 pending' });
    const freed = ingressOf(await getService('t1'));
    await api.delete(svcPath('t1'));
    const t3 = await allocated('t3');
    expect(ingressOf(t3)).to.deep.equal(freed);
    expect(conditionOf(t3)).to.include({ status: 'True' });
  });

  it('reports an invalid configuration in ConfigurationState and a Warning Event, keeping the last valid one in force', async () => {
    const pools = `/apis/barelb.io/v1beta1/namespaces/${SYSTEM}/ipaddresspools`;
    // Overlaps pool main: valid for the API server (no webhook), invalid for barelb.
    await api.create(pools, pool('overlap', ['203.0.113.4/30']));
    const state = await waitFor(async () => {
      const x = await api.get(`/apis/barelb.io/v1beta1/namespaces/${SYSTEM}/configurationstates/controller`).catch(() => null);
      return x !== null && record(x['status'])['result'] === 'Invalid' ? x : null;
    }, 20_000, { what: 'ConfigurationState controller to say Invalid' });
    expect(String(record(state['status'])['lastError'])).to.contain('IPAddressPool/barelb-system/');
    const warning = await waitFor(async () => {
      const list = await api.list(`/apis/events.k8s.io/v1/namespaces/${SYSTEM}/events`);
      return list.items.find((e) => e['reason'] === 'InvalidConfiguration') ?? null;
    }, 10_000, { what: 'an InvalidConfiguration Event' });
    expect(record(warning['regarding'])['kind']).to.equal('IPAddressPool');
    expect(String(warning['note'])).to.contain('spec.addresses');
    // The last valid configuration stays: a new Service still gets an address from main.
    await api.create(svcPath(), service('during-invalid'));
    expect(ingressOf(await allocated('during-invalid'))[0]).to.match(/^203\.0\.113\.[0-7]$/);
    await api.delete(`${pools}/overlap`);
    await waitFor(async () => {
      const x = await api.get(`/apis/barelb.io/v1beta1/namespaces/${SYSTEM}/configurationstates/controller`);
      return record(x['status'])['result'] === 'Valid' ? true : null;
    }, 20_000, { what: 'ConfigurationState back to Valid' });
  });

  it('keeps every address across SIGKILL restarts and writes nothing when nothing changed', async () => {
    const names = ['web', 't2', 't3', 'during-invalid'];
    // Let the last writes settle, then remember every resourceVersion.
    await new Promise((r) => setTimeout(r, 2_000));
    const before = new Map(await Promise.all(names.map(async (n) => [n, await getService(n)] as const)));
    for (let round = 0; round < 3; round++) {
      const victim = controllers.find((c) => !c.exited);
      await victim?.kill();
      const next = startController(`replica-restart-${round}`);
      await waitFor(async () => (next.logLines().some((l) => String(l['msg']).includes('became the leader')) ? true : null), 60_000, { what: 'the new replica to lead' });
      // A random point: sometimes right after it leads, sometimes after its first round.
      await new Promise((r) => setTimeout(r, [0, 1_500, 3_000][round]));
    }
    await new Promise((r) => setTimeout(r, 3_000));
    for (const n of names) {
      const now = await getService(n);
      const was = before.get(n) ?? {};
      expect(ingressOf(now), n).to.deep.equal(ingressOf(was));
      expect(rvOf(now), `${n} was written to`).to.equal(rvOf(was));
    }
  });

  it('lets only the Lease holder write: a second replica stands by, and takes over when the leader dies', async () => {
    const leader = controllers.find((c) => !c.exited) as BarelbProcess;
    const standby = startController('replica-standby');
    await new Promise((r) => setTimeout(r, 5_000));
    expect(standby.logLines().some((l) => String(l['msg']).includes('became the leader')), 'standby led while the leader lives').to.equal(false);
    const lease = await api.get(`/apis/coordination.k8s.io/v1/namespaces/${SYSTEM}/leases/barelb-controller`);
    expect(record(lease['spec'])['holderIdentity']).to.equal(leader.label);
    await leader.kill();
    await api.create(svcPath(), service('after-failover'));
    const s = await waitFor(async () => {
      const x = await getService('after-failover');
      return ingressOf(x).length > 0 ? x : null;
    }, 60_000, { what: 'the standby to take over and allocate' });
    expect(ingressOf(s)).to.have.length(1);
    expect(standby.logLines().some((l) => String(l['msg']).includes('became the leader'))).to.equal(true);
  });

  it('hands the Lease back on SIGTERM so a standby leads at once', async () => {
    const leader = controllers.find((c) => !c.exited) as BarelbProcess;
    const standby = startController('replica-fast');
    await new Promise((r) => setTimeout(r, 3_000));
    const t0 = Date.now();
    await leader.stop(true);
    await waitFor(async () => (standby.logLines().some((l) => String(l['msg']).includes('became the leader')) ? true : null), 20_000, { what: 'the standby to lead' });
    const ms = Date.now() - t0;
    console.log(`      takeover after SIGTERM: ${ms} ms`);
    expect(ms).to.be.below(8_000);
    await expectNoError(api.get(`/apis/coordination.k8s.io/v1/namespaces/${SYSTEM}/leases/barelb-controller`));
  });
});

async function expectNoError(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (e) {
    expect.fail(e instanceof ApiError ? e.message : String(e));
  }
}

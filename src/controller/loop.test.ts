import { expect } from 'chai';
import { Registry } from 'prom-client';
import { recordingLogger, type LogRecord } from '../log/logger.ts';
import { controllerMetrics } from '../metrics/controller-metrics.ts';
import { parseInput } from '../api/input.ts';
import { dryRunRender, type DryRunProblem } from './dry-run.ts';
import { Controller, type ControllerSnapshot, type ControllerStore } from './loop.ts';
import type { Allocations, Reconciled } from './reconcile.ts';

const pool = (addresses: string[]) => ({
  apiVersion: 'barelb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'p', namespace: 'barelb-system' }, spec: { addresses },
});
const service = (name: string, created: string) => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', creationTimestamp: created },
  spec: { type: 'LoadBalancer', clusterIPs: ['172.20.0.1'], ports: [{ port: 80 }] },
});

/** A store that replays scripted snapshots and records what is persisted. */
function scriptedStore(snapshots: ControllerSnapshot[]): ControllerStore & { persisted: Reconciled[] } {
  const persisted: Reconciled[] = [];
  return {
    persisted,
    watch: async (onSnapshot) => {
      for (const s of snapshots) await onSnapshot(s);
    },
    persist: async (r) => void persisted.push(r),
  };
}

const snap = (objects: unknown[], held: Allocations | null = new Map()): ControllerSnapshot => ({
  objects, loadErrors: [], held, heldError: held === null ? 'state.json: unexpected end of JSON input' : null,
});

function run(snapshots: ControllerSnapshot[]) {
  const store = scriptedStore(snapshots);
  const logger = recordingLogger();
  const registry = new Registry();
  const c = new Controller({ store, logger, metrics: controllerMetrics(registry), options: { loadBalancerClass: null } });
  return { store, logger, registry, done: c.run(new AbortController().signal), controller: c };
}

const ipsOf = (r: Reconciled | undefined) => Object.fromEntries([...(r?.allocations ?? new Map())].map(([k, a]) => [k, a.ips]));

describe('Controller loop', () => {
  it('allocates and persists once, then persists nothing while nothing changes', async () => {
    const objects = [pool(['192.0.2.0/30']), service('a', '2026-01-01T00:00:00Z')];
    const { store, done } = run([snap(objects), snap(objects), snap(objects)]);
    await done;
    expect(store.persisted).to.have.length(1);
    expect(ipsOf(store.persisted[0])).to.deep.equal({ 'default/a': ['192.0.2.0'] });
  });

  it('keeps every allocation in force when the configuration becomes invalid', async () => {
    const good = [pool(['192.0.2.0/30']), service('a', '2026-01-01T00:00:00Z')];
    const bad = [pool(['192.0.2.0/33']), service('a', '2026-01-01T00:00:00Z'), service('b', '2026-01-02T00:00:00Z')];
    const { store, logger, registry, done } = run([snap(good), snap(bad)]);
    await done;
    // The last valid pool stays in force: a keeps its address, and the new Service b gets one from it.
    expect(store.persisted).to.have.length(2);
    expect(ipsOf(store.persisted[1])).to.deep.equal({ 'default/a': ['192.0.2.0'], 'default/b': ['192.0.2.1'] });
    expect(logger.records.some((r) => r.level === 'warn' && r.fields['object'] === 'IPAddressPool/barelb-system/p' && r.fields['field'] === 'spec.addresses[0]')).to.equal(true);
    const stale = await registry.getSingleMetric('barelb_k8s_client_config_stale_bool')?.get();
    expect(stale?.values[0]?.value).to.equal(1);
  });

  it('moves nothing while some manifests could not be read (their Services may be missing)', async () => {
    const good = [pool(['192.0.2.0/30']), service('a', '2026-01-01T00:00:00Z')];
    const partial: ControllerSnapshot = { ...snap([pool(['192.0.2.0/30'])]), loadErrors: [{ object: 'file services.yaml', field: '', message: 'YAML syntax error' }] };
    const { store, done } = run([snap(good), partial]);
    await done;
    expect(store.persisted).to.have.length(1);
  });

  it('does not allocate on an invalid configuration when no valid one was ever read', async () => {
    const bad = [pool(['192.0.2.0/33']), service('a', '2026-01-01T00:00:00Z')];
    const { store, done } = run([snap(bad)]);
    await done;
    expect(store.persisted).to.have.length(0);
  });

  it('re-claims the addresses the store holds instead of allocating anew (restart)', async () => {
    const held: Allocations = new Map([['default/a' as never, { ips: ['192.0.2.3' as never], pool: 'p' }]]);
    const objects = [pool(['192.0.2.0/30']), service('b', '2025-01-01T00:00:00Z'), service('a', '2026-01-01T00:00:00Z')];
    const { store, done } = run([snap(objects, held)]);
    await done;
    expect(ipsOf(store.persisted[0])).to.deep.equal({ 'default/a': ['192.0.2.3'], 'default/b': ['192.0.2.0'] });
  });

  it('writes nothing on restart when every Service already holds its address', async () => {
    const held: Allocations = new Map([['default/a' as never, { ips: ['192.0.2.0' as never], pool: 'p' }]]);
    const { store, done, controller } = run([snap([pool(['192.0.2.0/30']), service('a', '2026-01-01T00:00:00Z')], held)]);
    await done;
    expect(store.persisted).to.have.length(0);
    expect(controller.status.ready).to.equal(true);
  });

  it('refuses to allocate while the allocation state cannot be read', async () => {
    const { store, logger, done, controller } = run([snap([pool(['192.0.2.0/30']), service('a', '2026-01-01T00:00:00Z')], null)]);
    await done;
    expect(store.persisted).to.have.length(0);
    expect(controller.status.ready).to.equal(false);
    expect(logger.records.map((r) => r.msg)).to.include('cannot read the allocation state; not allocating until it is readable');
  });

  it('gives a pending Service the address another Service frees', async () => {
    const objects = [pool(['192.0.2.0/32']), service('a', '2026-01-01T00:00:00Z'), service('b', '2026-01-02T00:00:00Z')];
    const { store, done } = run([snap(objects), snap([objects[0], objects[2]])]);
    await done;
    expect(ipsOf(store.persisted.at(-1))).to.deep.equal({ 'default/b': ['192.0.2.0'] });
    const events = store.persisted.at(-1)?.events.map((e) => [e.key, e.reason]);
    expect(events).to.deep.include.members([['default/b', 'IPAllocated'], ['default/a', 'IPReleased']]);
  });
});

describe('Controller: dry run of every node frr.conf', function () {
  const node = (name: string) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } } });
  const objects = [pool(['203.0.113.0/28']), service('web', '2026-01-01T00:00:00Z'), node('n1'), node('n2'), node('n3')];
  const problem: DryRunProblem = { error: { reason: 'invalid-extra-config', object: 'ConfigMap/barelb-system/frr-extra', field: 'data.frr.conf', message: 'holds a NUL byte' }, nodes: ['n1', 'n2'] };
  /** A dry run that fails while `failing` says so. */
  function runWith(snapshots: ControllerSnapshot[], failing: () => boolean) {
    const store = scriptedStore(snapshots);
    const logger = recordingLogger();
    const registry = new Registry();
    const c = new Controller({ store, logger, metrics: controllerMetrics(registry), options: { loadBalancerClass: null }, dryRun: () => (failing() ? [problem] : []) });
    return { store, logger, registry, done: c.run(new AbortController().signal) };
  }
  const renderErrors = (records: readonly LogRecord[]) => records.filter((r) => r.level === 'error' && String(r.msg).includes('frr.conf cannot be rendered'));

  it('reports a failure once, naming the object, field and nodes, and keeps allocating', async () => {
    const { logger, registry, store, done } = runWith([snap(objects), snap(objects)], () => true);
    await done;
    const lines = renderErrors(logger.records);
    expect(lines).to.have.length(1);
    expect(lines[0]?.fields).to.include({ object: 'ConfigMap/barelb-system/frr-extra', field: 'data.frr.conf', reason: 'invalid-extra-config' });
    expect(lines[0]?.fields['nodes']).to.deep.equal(['n1', 'n2']);
    expect(await registry.getSingleMetricAsString('barelb_controller_frr_render_failures')).to.match(/ 2$/m);
    expect(ipsOf(store.persisted[0])).to.deep.equal({ 'default/web': ['203.0.113.0'] });
  });

  it('says so when every node renders again', async () => {
    let calls = 0;
    const { logger, registry, done } = runWith([snap(objects), snap(objects)], () => ++calls === 1);
    await done;
    expect(renderErrors(logger.records)).to.have.length(1);
    expect(logger.records.some((r) => r.level === 'info' && String(r.msg).includes('renders again'))).to.equal(true);
    expect(await registry.getSingleMetricAsString('barelb_controller_frr_render_failures')).to.match(/ 0$/m);
  });
});

describe('dryRunRender', function () {
  it('renders every node and groups nodes by failure: a password Secret the controller cannot see', () => {
    const parsed = parseInput([
      { apiVersion: 'barelb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'p', namespace: 'barelb-system' }, spec: { addresses: ['203.0.113.0/28'] } },
      ...['n2', 'n1'].map((name) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } } })),
      { apiVersion: 'barelb.io/v1beta2', kind: 'BGPPeer', metadata: { name: 'router', namespace: 'barelb-system' }, spec: { myASN: 64512, peerASN: 64500, peerAddress: '192.0.2.1', passwordSecret: { name: 'gone', namespace: 'barelb-system' } } },
    ]);
    const problems = dryRunRender(parsed, new Map());
    expect(problems).to.have.length(1);
    expect(problems[0]?.error).to.include({ reason: 'missing-secret', object: 'BGPPeer/router', field: 'spec.passwordSecret' });
    expect(problems[0]?.nodes).to.deep.equal(['n1', 'n2']);
  });

  it('renders nothing without BGP peers', () => {
    const parsed = parseInput([{ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } }]);
    expect(dryRunRender(parsed, new Map())).to.deep.equal([]);
  });

  it('answers the same with renderers kept across rounds, as inputs change', () => {
    const pool = { apiVersion: 'barelb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'p', namespace: 'barelb-system' }, spec: { addresses: ['203.0.113.0/28'] } };
    const nodeObj = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' } } };
    const peer = { apiVersion: 'barelb.io/v1beta2', kind: 'BGPPeer', metadata: { name: 'router', namespace: 'barelb-system' }, spec: { myASN: 64512, peerASN: 64500, peerAddress: '192.0.2.1', passwordSecret: { name: 'pw', namespace: 'barelb-system' } } };
    const ad = { apiVersion: 'barelb.io/v1beta1', kind: 'BGPAdvertisement', metadata: { name: 'all', namespace: 'barelb-system' }, spec: {} };
    const secret = { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/basic-auth', metadata: { name: 'pw', namespace: 'barelb-system' }, stringData: { password: 'secret' } };
    const web = service('web', '2026-01-01T00:00:00Z');
    const allocated: Allocations = new Map([['default/web' as never, { ips: ['203.0.113.1' as never], pool: 'p' }]]);
    const renderers = new Map();
    for (const [objects, allocations] of [
      [[pool, nodeObj, peer, ad, web], new Map()],
      [[pool, nodeObj, peer, ad, web], allocated],
      [[pool, nodeObj, peer, ad, web, secret], allocated],
      [[pool, nodeObj, peer, ad, secret], new Map()],
    ] as const) {
      const parsed = parseInput([...objects]);
      expect(dryRunRender(parsed, allocations, {}, renderers)).to.deep.equal(dryRunRender(parsed, allocations));
    }
    expect([...renderers.keys()]).to.deep.equal(['n1']);
  });
});

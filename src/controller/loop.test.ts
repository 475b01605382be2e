import { expect } from 'chai';
import { Registry } from 'prom-client';
import { recordingLogger } from '../log/logger.ts';
import { controllerMetrics } from '../metrics/controller-metrics.ts';
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
    expect(store.persisted).to.have.length(1);
    expect(logger.records.some((r) => r.level === 'warn' && r.fields['object'] === 'IPAddressPool/barelb-system/p' && r.fields['field'] === 'spec.addresses[0]')).to.equal(true);
    const stale = await registry.getSingleMetric('barelb_k8s_client_config_stale_bool')?.get();
    expect(stale?.values[0]?.value).to.equal(1);
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

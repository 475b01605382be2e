import { expect } from 'chai';
import { parseInput, PreRead } from '../api/input.ts';
import { canonicalJson } from '../api/wire.ts';
import type { SpeakerSnapshot } from '../speaker/loop.ts';
import type { WireObject } from './client.ts';
import { FakeKube } from './fake-client.ts';
import { allocationsFromServices, POOL_ANNOTATION } from './service-status.ts';
import { k8sSpeakerStore, speakerPaths } from './speaker-store.ts';
import { recordingLogger } from '../log/logger.ts';

const tick = () => new Promise((r) => setImmediate(r));
const NS = 'barelb-system';

const service = (name: string, rv: string, ip: string | null, pool?: string): WireObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'shop', uid: `uid-${name}`, resourceVersion: rv, managedFields: [{ manager: 'kubectl' }], ...(pool === undefined ? {} : { annotations: { [POOL_ANNOTATION]: pool } }) },
  spec: { type: 'LoadBalancer', ports: [{ port: 80, protocol: 'TCP' }], selector: { app: name } },
  status: ip === null ? {} : { loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } },
});
const slice = (name: string, rv: string, node: string): WireObject => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: `${name}-1`, namespace: 'shop', resourceVersion: rv, labels: { 'kubernetes.io/service-name': name } },
  addressType: 'IPv4',
  endpoints: [{ addresses: ['10.1.0.5'], nodeName: node, conditions: { ready: true } }],
});
const pool: WireObject = { apiVersion: 'barelb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'main', namespace: NS, resourceVersion: '1' }, spec: { addresses: ['203.0.113.0/24'] } };

describe('k8sSpeakerStore', () => {
  it('keeps Services and EndpointSlices as readings: the same parse and allocations as from the objects', async () => {
    const kube = new FakeKube();
    const services = [service('web', '10', '203.0.113.1', 'main'), service('db', '11', '203.0.113.2'), service('new', '12', null)];
    const slices = [slice('web', '20', 'n1'), slice('db', '21', 'n2')];
    const lists: Record<string, readonly WireObject[]> = { services, endpointslices: slices, pools: [pool] };
    for (const kind of Object.keys(speakerPaths(NS))) kube.lists.push({ items: lists[kind] ?? [], resourceVersion: '30' });
    const store = k8sSpeakerStore({ client: kube, namespace: NS, logger: recordingLogger(), clock: { sleep: async () => undefined } });
    const abort = new AbortController();
    const snapshots: SpeakerSnapshot[] = [];
    const run = store.watch(async (s) => void snapshots.push(s), abort.signal);
    while (snapshots.length === 0) await tick();
    const [s] = snapshots;
    const kept = s?.objects.filter((o) => o instanceof PreRead) ?? [];
    expect(kept, 'every Service and EndpointSlice is kept as its reading, not as the object').to.have.length(5);
    expect(s?.objects.filter((o) => !(o instanceof PreRead)).map((o) => (o as WireObject)['kind'])).to.deep.equal(['IPAddressPool']);
    const direct = parseInput([...services, ...slices, pool]);
    const viaStore = parseInput(s?.objects ?? []);
    expect(canonicalJson(viaStore)).to.equal(canonicalJson(direct));
    expect(canonicalJson(Object.fromEntries(s?.allocations ?? []))).to.equal(canonicalJson(Object.fromEntries(allocationsFromServices(services, direct.config.pools))));
    expect(s?.allocations?.get('shop/db' as never), 'no annotation: the pool holding the address').to.deep.equal({ ips: ['203.0.113.2'], pool: 'main' });

    // A round with nothing changed builds nothing again.
    await kube.watching();
    store.set.poke();
    while (snapshots.length < 2) await tick();
    expect(snapshots[1]?.allocations, 'nothing changed: the same allocations').to.equal(s?.allocations);
    abort.abort();
    await run;
  });

  it('calls onFirstSync once, after every kind is listed and before the first snapshot', async () => {
    const kube = new FakeKube();
    const lists: Record<string, readonly WireObject[]> = { services: [service('web', '10', '203.0.113.1', 'main')], pools: [pool] };
    for (const kind of Object.keys(speakerPaths(NS))) kube.lists.push({ items: lists[kind] ?? [], resourceVersion: '30' });
    const order: string[] = [];
    const store = k8sSpeakerStore({ client: kube, namespace: NS, logger: recordingLogger(), clock: { sleep: async () => undefined }, onFirstSync: () => order.push(`first sync after ${kube.lists.length} lists left`) });
    const abort = new AbortController();
    const run = store.watch(async (s) => void order.push(`snapshot of ${s.objects.length}`), abort.signal);
    while (order.length < 2) await tick();
    await kube.watching();
    store.set.poke();
    while (order.length < 3) await tick();
    expect(order).to.deep.equal(['first sync after 0 lists left', 'snapshot of 2', 'snapshot of 2']);
    abort.abort();
    await run;
  });
});

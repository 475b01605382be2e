import { expect } from 'chai';
import { AnnouncementStatusWriter, statusObject, statusObjectName } from './announcement-status.ts';
import { ApiError } from './client.ts';
import { FakeKube } from './fake-client.ts';

const BASE = '/apis/barelb.io/v1beta1/namespaces/barelb-system';

function setup(existing: { l2?: object[]; bgp?: object[] } = {}, signal?: AbortSignal, retryDelayMs?: (attempt: number) => number) {
  const kube = new FakeKube();
  kube.lists.push({ items: (existing.l2 ?? []) as never, resourceVersion: '1' }, { items: (existing.bgp ?? []) as never, resourceVersion: '1' });
  const errors: unknown[] = [];
  const writer = new AnnouncementStatusWriter({ client: kube, namespace: 'barelb-system', node: 'n1', fieldManager: 'barelb-speaker-n1', onError: (e) => void errors.push(e), ...(signal === undefined ? {} : { signal }), ...(retryDelayMs === undefined ? {} : { retryDelayMs }) });
  return { kube, writer, errors };
}

describe('ServiceL2Status / ServiceBGPStatus', () => {
  it('names objects deterministically and labels them with node and Service', () => {
    expect(statusObjectName({ protocol: 'l2', namespace: 'demo', name: 'web' }, 'n1')).to.equal('l2.demo.web.n1');
    expect(statusObject({ protocol: 'l2', namespace: 'demo', name: 'web', targets: ['eth1'] }, 'n1', 'barelb-system')).to.deep.include({
      kind: 'ServiceL2Status',
      status: { node: 'n1', serviceName: 'web', serviceNamespace: 'demo', interfaces: [{ name: 'eth1' }] },
    });
    expect((statusObject({ protocol: 'bgp', namespace: 'demo', name: 'web', targets: ['r1', 'r2'] }, 'n1', 'ns')['status'] as object)).to.deep.equal({ node: 'n1', serviceName: 'web', serviceNamespace: 'demo', peers: ['r1', 'r2'] });
  });

  it('creates each object, then writes its status through /status, and not again while it is unchanged', async () => {
    const t = setup();
    t.writer.set('bgp', [{ protocol: 'bgp', namespace: 'demo', name: 'web', targets: ['router'] }]);
    await t.writer.settled();
    t.writer.set('bgp', [{ protocol: 'bgp', namespace: 'demo', name: 'web', targets: ['router'] }]);
    await t.writer.settled();
    expect(t.kube.writes.map((w) => `${w.method} ${w.path}`)).to.deep.equal([
      `create ${BASE}/servicebgpstatuses`,
      `patch ${BASE}/servicebgpstatuses/bgp.demo.web.n1/status`,
    ]);
    expect(t.errors).to.deep.equal([]);
  });

  it('after a restart, writes nothing for the objects it finds already right', async () => {
    const found = { ...statusObject({ protocol: 'bgp', namespace: 'demo', name: 'web', targets: ['router'] }, 'n1', 'barelb-system'), metadata: { name: 'bgp.demo.web.n1', managedFields: [{ manager: 'barelb-speaker-n1' }] } };
    const t = setup({ bgp: [found] });
    t.writer.set('bgp', [{ protocol: 'bgp', namespace: 'demo', name: 'web', targets: ['router'] }]);
    await t.writer.settled();
    expect(t.kube.writes).to.deep.equal([]);
    expect(t.errors).to.deep.equal([]);
  });

  it('after a restart, writes again what it finds different: other peers, another Service, fields of its own', async () => {
    const web = { protocol: 'bgp' as const, namespace: 'demo', name: 'web', targets: ['router'] };
    const found = (status: object) => ({ metadata: { name: 'bgp.demo.web.n1' }, status });
    const right = statusObject(web, 'n1', 'barelb-system')['status'] as object;
    for (const status of [{ ...right, peers: ['other'] }, { ...right, serviceName: 'api' }, { ...right, extra: 1 }, { ...right, peers: [1] }]) {
      const t = setup({ bgp: [found(status)] });
      t.writer.set('bgp', [web]);
      await t.writer.settled();
      expect(t.kube.writes.map((w) => w.method), JSON.stringify(status)).to.deep.equal(['create', 'patch']);
    }
  });

  it('deletes what the node no longer announces, leaving the other protocol alone until it reports', async () => {
    const old = (protocol: string, name: string) => ({ metadata: { name: `${protocol}.demo.${name}.n1` }, status: { node: 'n1', serviceName: name, serviceNamespace: 'demo' } });
    const t = setup({ l2: [old('l2', 'gone')], bgp: [old('bgp', 'kept')] });
    t.writer.set('l2', []);
    await t.writer.settled();
    expect(t.kube.writes.map((w) => `${w.method} ${w.path}`)).to.deep.equal([`delete ${BASE}/servicel2statuses/l2.demo.gone.n1`]);
  });

  it('starts no write once stopped: a stopping speaker does not finish a long first sync', async () => {
    const stop = new AbortController();
    const t = setup({}, stop.signal);
    const web = (name: string) => ({ protocol: 'bgp' as const, namespace: 'demo', name, targets: ['router'] });
    const create = t.kube.create.bind(t.kube);
    // The stop arrives while the first object is being written.
    t.kube.create = async (path, body) => {
      stop.abort();
      return create(path, body);
    };
    t.writer.set('bgp', [web('a'), web('b'), web('c')]);
    await t.writer.settled();
    expect(t.kube.writes.map((w) => `${w.method} ${w.path}`)).to.deep.equal([
      `create ${BASE}/servicebgpstatuses`,
      `patch ${BASE}/servicebgpstatuses/bgp.demo.a.n1/status`,
    ]);
    t.writer.set('bgp', [web('d')]);
    await t.writer.settled();
    expect(t.kube.writes).to.have.length(2);
    expect(t.errors).to.deep.equal([]);
  });

  it('retries a failed sync with growing delays until it succeeds, without waiting for the next change', async () => {
    const delays: number[] = [];
    const t = setup({}, undefined, (attempt) => {
      delays.push(attempt);
      return 1;
    });
    // The first list fails twice (API server still starting), then answers.
    t.kube.lists.unshift(new ApiError(429, 'storage is (re)initializing'), new ApiError(429, 'storage is (re)initializing'));
    t.writer.set('bgp', [{ protocol: 'bgp', namespace: 'demo', name: 'web', targets: ['router'] }]);
    await t.writer.settled();
    expect(t.errors).to.have.length(2);
    expect(delays).to.deep.equal([1, 2]);
    expect(t.kube.writes.map((w) => `${w.method} ${w.path}`)).to.deep.equal([
      `create ${BASE}/servicebgpstatuses`,
      `patch ${BASE}/servicebgpstatuses/bgp.demo.web.n1/status`,
    ]);
  });

  it('stops retrying once stopped', async () => {
    const stop = new AbortController();
    const t = setup({}, stop.signal, () => 60_000);
    t.kube.lists.unshift(new ApiError(429, 'storage is (re)initializing'));
    t.writer.set('bgp', [{ protocol: 'bgp', namespace: 'demo', name: 'web', targets: ['router'] }]);
    setTimeout(() => stop.abort(), 5);
    await t.writer.settled();
    expect(t.errors).to.have.length(1);
    expect(t.kube.writes).to.deep.equal([]);
  });
});

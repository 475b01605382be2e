import { expect } from 'chai';
import { recordingLogger } from '../log/logger.ts';
import { ApiError, type WireObject } from './client.ts';
import { FakeKube } from './fake-client.ts';
import { LeaderElection } from './leader.ts';

const LEASES = '/apis/coordination.k8s.io/v1/namespaces/barelb-system/leases';

/** A manual clock: sleep advances time and yields. */
function manualClock() {
  let now = 1_000_000;
  return { now: () => now, sleep: async (ms: number, signal: AbortSignal) => { if (!signal.aborted) { now += ms; await new Promise((r) => setImmediate(r)); } }, advance: (ms: number) => void (now += ms) };
}

function candidate(kube: FakeKube, identity: string, clock = manualClock()) {
  return { clock, election: new LeaderElection({ client: kube, namespace: 'barelb-system', name: 'lease', identity, logger: recordingLogger(), clock }) };
}

/** A FakeKube whose API server can be switched off: every read then fails like a refused connection. */
class SwitchableKube extends FakeKube {
  down = false;
  override async get(path: string): Promise<WireObject> {
    if (this.down) throw new ApiError(0, `GET ${path}: connect ECONNREFUSED 127.0.0.1:6443`);
    return super.get(path);
  }
}

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
};

describe('LeaderElection', () => {
  it('creates the Lease when absent, leads, renews, and hands it back on shutdown', async () => {
    const kube = new FakeKube();
    const { election } = candidate(kube, 'a');
    const abort = new AbortController();
    let led = 0;
    const done = election.run(abort.signal, async (leading) => {
      led += 1;
      await new Promise<void>((resolve) => leading.addEventListener('abort', () => resolve(), { once: true }));
    });
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(led).to.equal(1);
    const lease = kube.objects.get(`${LEASES}/lease`) as { spec: Record<string, unknown> };
    expect(lease.spec['holderIdentity']).to.equal('a');
    expect(String(lease.spec['renewTime'])).to.match(/\.\d{6}Z$/);
    expect(kube.writes.filter((w) => w.method === 'replace').length, 'renewals').to.be.greaterThan(0);
    abort.abort();
    await done;
    expect((kube.objects.get(`${LEASES}/lease`) as { spec: Record<string, unknown> }).spec['holderIdentity']).to.equal('');
  });

  it('waits while another holder renews, and takes over once it has not renewed for the lease duration', async () => {
    const kube = new FakeKube();
    await kube.create(LEASES, { metadata: { name: 'lease' }, spec: { holderIdentity: 'other', leaseDurationSeconds: 15, renewTime: 'T0' } });
    const { election } = candidate(kube, 'b');
    const abort = new AbortController();
    let ledAt = -1;
    let polls = 0;
    const done = election.run(abort.signal, async (leading) => {
      ledAt = polls;
      await new Promise<void>((resolve) => leading.addEventListener('abort', () => resolve(), { once: true }));
    });
    // 2 s retry period: the holder looks alive for 15 s of our clock, so the takeover comes on the 9th poll.
    for (; polls < 40 && ledAt < 0; polls++) await new Promise((r) => setImmediate(r));
    expect(ledAt).to.be.greaterThan(5);
    const lease = kube.objects.get(`${LEASES}/lease`) as { spec: Record<string, unknown> };
    expect(lease.spec).to.include({ holderIdentity: 'b', leaseTransitions: 1 });
    abort.abort();
    await done;
  });

  it('logs an unreachable API server once per outage and its return once, however many retries it takes', async () => {
    const kube = new SwitchableKube();
    const logger = recordingLogger();
    const clock = manualClock();
    const election = new LeaderElection({ client: kube, namespace: 'barelb-system', name: 'lease', identity: 'a', logger, clock });
    const abort = new AbortController();
    let led = 0;
    kube.down = true;
    const done = election.run(abort.signal, async (leading) => {
      led += 1;
      await new Promise<void>((resolve) => leading.addEventListener('abort', () => resolve(), { once: true }));
    });
    await turns(40); // about 20 retry periods without an API server, before ever leading
    kube.down = false;
    await turns(10);
    expect(led, 'leads once the API server is back').to.equal(1);
    kube.down = true; // a second outage, while leading: longer than the renew deadline
    await turns(40);
    expect(election.leading, 'stepped down').to.equal(false);
    kube.down = false;
    await turns(10);
    expect(led, 'leads again').to.equal(2);
    abort.abort();
    await done;
    const lines = logger.records.filter((r) => r.msg?.startsWith('leader election') === true).map((r) => `${r.level}: ${r.msg ?? ''}`);
    expect(lines).to.deep.equal([
      'warn: leader election: cannot read or write the Lease; retrying',
      'info: leader election works again',
      'warn: leader election: cannot read or write the Lease; retrying',
      'info: leader election works again',
    ]);
  });
});

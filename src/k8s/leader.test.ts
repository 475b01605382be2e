import { expect } from 'chai';
import { recordingLogger } from '../log/logger.ts';
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
});

// Smoke test of the real control plane the Kubernetes e2e tests run against (e2e/cluster): the
// calls barelb's controller makes, through @kubernetes/client-node 2.x, against kube-apiserver.
import * as k8s from '@kubernetes/client-node';
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { isAlive } from '../harness/cleanup.ts';
import { waitFor } from '../harness/wait.ts';
import { startControlPlane } from '../cluster/control-plane.ts';
import type { ControlPlane } from '../cluster/control-plane.ts';

const suffix = randomBytes(3).toString('hex');
const NS = `blb-smoke-${suffix}`;

function aLoadBalancerService(name: string): k8s.V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: NS },
    spec: {
      type: 'LoadBalancer',
      ipFamilyPolicy: 'PreferDualStack',
      ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
      selector: { app: name },
    },
  };
}

/** The HTTP status of a failed client-node call (`ApiException.code`), or the error itself. */
async function statusOf(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 200;
  } catch (error) {
    if (error instanceof k8s.ApiException) return error.code;
    throw error;
  }
}

/** PIDs whose command line mentions `text`. */
function processesMentioning(text: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('the e2e control plane (etcd + kube-apiserver)', function () {
  let cp: ControlPlane | undefined;
  let core: k8s.CoreV1Api;

  const plane = (): ControlPlane => {
    if (cp === undefined) throw new Error('control plane not started');
    return cp;
  };

  before(async function () {
    // A cold machine compiles kube-apiserver first (see e2e/cluster/README.md).
    this.timeout(50 * 60_000);
    cp = await startControlPlane();
    core = cp.kubeConfig.makeApiClient(k8s.CoreV1Api);
    await core.createNamespace({ body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } });
  });

  after(async function () {
    this.timeout(60_000);
    await cp?.stop();
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed' && cp !== undefined) {
      console.error(`--- kube-apiserver log ---\n${cp.logTail('apiserver', 60)}\n--- etcd log ---\n${cp.logTail('etcd', 20)}`);
    }
  });

  it('assigns clusterIPs of both families and a nodePort to a new LoadBalancer Service', async function () {
    await core.createNamespacedService({ namespace: NS, body: aLoadBalancerService('web') });
    const svc = await core.readNamespacedService({ namespace: NS, name: 'web' });
    const ips = svc.spec?.clusterIPs ?? [];
    expect(ips).to.have.length(2);
    expect(ips[0]).to.match(/^198\.51\.100\.\d+$/);
    expect(ips[1]).to.match(/^fd00::[0-9a-f:]+$/);
    expect(svc.spec?.ports?.[0]?.nodePort).to.be.within(30000, 32767);
  });

  it('writes status.loadBalancer.ingress through the status subresource with a merge patch', async function () {
    const body = { status: { loadBalancer: { ingress: [{ ip: '203.0.113.10', ipMode: 'VIP' }] } } };
    // Every generated patch call defaults to application/json-patch+json; a merge patch must say so.
    await core.patchNamespacedServiceStatus(
      { namespace: NS, name: 'web', body, fieldManager: 'barelb-e2e' },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    const svc = await core.readNamespacedServiceStatus({ namespace: NS, name: 'web' });
    expect(svc.status?.loadBalancer?.ingress).to.deep.equal([{ ip: '203.0.113.10', ipMode: 'VIP' }]);
  });

  it('delivers add and update events for Services to an informer', async function () {
    const path = `/api/v1/namespaces/${NS}/services`;
    const informer = k8s.makeInformer(plane().kubeConfig, path, () => core.listNamespacedService({ namespace: NS }));
    const seen: string[] = [];
    informer.on('add', (svc) => seen.push(`add ${svc.metadata?.name ?? '?'}`));
    informer.on('update', (svc) => seen.push(`update ${svc.metadata?.name ?? '?'} ${svc.status?.loadBalancer?.ingress?.[0]?.ip ?? '-'}`));
    informer.on('error', (error: unknown) => seen.push(`error ${String(error)}`));
    await informer.start();
    try {
      expect(informer.get('web', NS)?.metadata?.name).to.equal('web');
      await core.createNamespacedService({ namespace: NS, body: aLoadBalancerService('watched') });
      await waitFor(() => seen.includes('add watched'), 30_000, { what: `informer add (seen: ${seen.join('; ')})` });
      await core.patchNamespacedServiceStatus(
        { namespace: NS, name: 'watched', body: { status: { loadBalancer: { ingress: [{ ip: '203.0.113.11' }] } } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      await waitFor(() => seen.includes('update watched 203.0.113.11'), 30_000, { what: `informer update (seen: ${seen.join('; ')})` });
    } finally {
      await informer.stop();
    }
  });

  it('accepts an events.k8s.io/v1 Event whose eventTime is a MicroTime', async function () {
    const events = plane().kubeConfig.makeApiClient(k8s.EventsV1Api);
    const svc = await core.readNamespacedService({ namespace: NS, name: 'web' });
    await events.createNamespacedEvent({
      namespace: NS,
      body: {
        apiVersion: 'events.k8s.io/v1',
        kind: 'Event',
        metadata: { name: `web.${randomBytes(8).toString('hex')}`, namespace: NS },
        // A plain Date serialises with 3 fractional digits, which the server rejects.
        eventTime: new k8s.V1MicroTime(),
        type: 'Normal',
        reason: 'IPAllocated',
        action: 'Allocate',
        note: 'Assigned IP ["203.0.113.10"]',
        reportingController: 'barelb.io/controller',
        reportingInstance: 'barelb-controller-e2e',
        regarding: { apiVersion: 'v1', kind: 'Service', namespace: NS, name: 'web', ...(svc.metadata?.uid === undefined ? {} : { uid: svc.metadata.uid }) },
      },
    });
    const list = await events.listNamespacedEvent({ namespace: NS });
    expect(list.items.map((event) => event.reason)).to.include('IPAllocated');
  });

  it('creates a Lease and renews it with the last seen resourceVersion', async function () {
    const leases = plane().kubeConfig.makeApiClient(k8s.CoordinationV1Api);
    const spec = { holderIdentity: 'node-a', leaseDurationSeconds: 15, acquireTime: new k8s.V1MicroTime(), renewTime: new k8s.V1MicroTime() };
    await leases.createNamespacedLease({ namespace: NS, body: { metadata: { name: 'barelb-controller', namespace: NS }, spec } });
    const read = await leases.readNamespacedLease({ namespace: NS, name: 'barelb-controller' });
    // client-node does not deserialise MicroTime: the value read back is a string despite its type.
    expect(new Date(String(read.spec?.renewTime)).getTime()).to.be.closeTo(Date.now(), 60_000);
    const renewed = await leases.replaceNamespacedLease({
      namespace: NS,
      name: 'barelb-controller',
      body: { ...read, spec: { ...read.spec, renewTime: new k8s.V1MicroTime() } },
    });
    expect(renewed.metadata?.resourceVersion).to.not.equal(read.metadata?.resourceVersion);
    const stale = leases.replaceNamespacedLease({ namespace: NS, name: 'barelb-controller', body: read });
    expect(await statusOf(stale)).to.equal(409);
  });

  it('lets the restricted identity do only what RBAC grants it', async function () {
    const sa = plane().serviceAccount;
    const saCore = sa.kubeConfig.makeApiClient(k8s.CoreV1Api);
    expect(await statusOf(saCore.listNamespacedService({ namespace: NS }))).to.equal(403);
    const rbac = plane().kubeConfig.makeApiClient(k8s.RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({
      namespace: NS,
      body: { metadata: { name: 'read-services' }, rules: [{ apiGroups: [''], resources: ['services'], verbs: ['get', 'list', 'watch'] }] },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: NS,
      body: {
        metadata: { name: 'read-services' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'read-services' },
        subjects: [{ kind: 'ServiceAccount', name: sa.name, namespace: sa.namespace }],
      },
    });
    await waitFor(async () => (await statusOf(saCore.listNamespacedService({ namespace: NS }))) === 200, 10_000, { what: 'the RoleBinding to apply' });
    expect(await statusOf(saCore.deleteNamespacedService({ namespace: NS, name: 'web' }))).to.equal(403);
  });

  it('refuses connections while the apiserver is stopped and serves the same data after it starts again', async function () {
    this.timeout(4 * 60_000);
    await plane().stopApiserver();
    const error = await core.readNamespacedService({ namespace: NS, name: 'web' }).then(() => undefined, (e: unknown) => e);
    expect(String((error as { cause?: { code?: unknown } } | undefined)?.cause?.code ?? error)).to.match(/ECONNREFUSED/);
    await plane().startApiserver();
    const svc = await core.readNamespacedService({ namespace: NS, name: 'web' });
    expect(svc.status?.loadBalancer?.ingress?.[0]?.ip).to.equal('203.0.113.10');
  });

  it('stops etcd and kube-apiserver by PID and removes its directory', async function () {
    this.timeout(60_000);
    const { etcd, apiserver } = plane().pids();
    expect(etcd, 'etcd pid').to.be.a('number');
    expect(apiserver, 'kube-apiserver pid').to.be.a('number');
    const dir = plane().dir;
    await plane().stop();
    expect(isAlive(etcd ?? 0), 'etcd alive').to.equal(false);
    expect(isAlive(apiserver ?? 0), 'kube-apiserver alive').to.equal(false);
    expect(processesMentioning(dir), 'processes using the run directory').to.deep.equal([]);
    expect(existsSync(dir), 'run directory exists').to.equal(false);
  });
});

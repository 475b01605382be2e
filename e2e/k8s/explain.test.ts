// `barelb explain` against a real kube-apiserver + etcd: CRDs installed for real, the controller as
// a process writing status and Events, then `barelb explain NS/NAME --kubeconfig …` as a process,
// asserting its output for an allocated Service announced over L2 and for a pending one, with
// the Events the controller recorded and the ServiceL2Status the cluster holds.
import { expect } from 'chai';
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { kubeClient, type KubeClient, type WireObject } from '../../src/k8s/client.ts';
import { startControlPlane, type ControlPlane } from '../cluster/control-plane.ts';
import { BarelbProcess } from '../harness/barelb.ts';
import { Teardown } from '../harness/cleanup.ts';
import { waitFor } from '../harness/wait.ts';
import { installCrds } from './crds-helpers.ts';

const SYSTEM = 'barelb-system';
const NS = `blb-explain-${randomBytes(3).toString('hex')}`;
const repo = resolve(new URL('../..', import.meta.url).pathname);

const record = (v: unknown): WireObject => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as WireObject) : {});
const barelb = (kind: string, name: string, spec: WireObject): WireObject => ({ apiVersion: 'barelb.io/v1beta1', kind, metadata: { name, namespace: SYSTEM }, spec });

function service(name: string, annotations: Record<string, string> = {}): WireObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: NS, annotations },
    spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80, protocol: 'TCP' }], selector: { app: name } },
  };
}

const node = (name: string, labels: Record<string, string>): WireObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels } });

type Run = { readonly code: number; readonly stdout: string; readonly stderr: string };

describe('barelb explain on Kubernetes (real kube-apiserver)', function () {
  this.timeout(240_000);
  const teardown = new Teardown();
  let cp: ControlPlane;
  let api: KubeClient;
  let controller: BarelbProcess;
  let lastOutput = '';

  const explain = async (...args: string[]): Promise<Run> => {
    const r = await execa(process.execPath, [join(repo, 'src/bin/barelb.ts'), 'explain', ...args, '--kubeconfig', cp.kubeconfigPath, '--namespace', SYSTEM], { reject: false, cwd: repo, timeout: 60_000, stripFinalNewline: false });
    lastOutput = `${String(r.stdout)}${String(r.stderr)}`;
    return { code: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
  };
  const svcPath = (name = '') => `/api/v1/namespaces/${NS}/services${name === '' ? '' : `/${name}`}`;
  const ingressOf = (s: WireObject): unknown[] => (record(record(s['status'])['loadBalancer'])['ingress'] as unknown[] | undefined) ?? [];
  const conditionStatus = (s: WireObject): unknown =>
    ((record(s['status'])['conditions'] ?? []) as WireObject[]).find((c) => c['type'] === 'barelb.io/IPAllocated')?.['status'];
  const eventReasons = async (name: string): Promise<unknown[]> =>
    (await api.list(`/apis/events.k8s.io/v1/namespaces/${NS}/events`)).items.filter((e) => record(e['regarding'])['name'] === name).map((e) => e['reason']);

  before(async function () {
    cp = await startControlPlane();
    teardown.defer(() => cp.stop());
    api = kubeClient(cp.kubeConfig);
    await installCrds(cp.kubeConfig);
    for (const ns of [SYSTEM, NS]) await api.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const base = `/apis/barelb.io/v1beta1/namespaces/${SYSTEM}`;
    await api.create(`${base}/ipaddresspools`, barelb('IPAddressPool', 'main', { addresses: ['203.0.113.0/30'] }));
    await api.create(`${base}/ipaddresspools`, barelb('IPAddressPool', 'tiny', { addresses: ['203.0.113.16/32'], autoAssign: false }));
    await api.create(`${base}/l2advertisements`, barelb('L2Advertisement', 'lan', { ipAddressPools: ['main'], interfaces: ['eth0'], nodeSelectors: [{ matchLabels: { rack: 'r1' } }] }));
    await api.create('/api/v1/nodes', node(`${NS}-a`, { rack: 'r1' }));
    await api.create('/api/v1/nodes', node(`${NS}-b`, { rack: 'r2' }));
    teardown.defer(async () => {
      for (const n of [`${NS}-a`, `${NS}-b`]) await api.delete(`/api/v1/nodes/${n}`).catch(() => undefined);
    });
    await api.create(`/apis/discovery.k8s.io/v1/namespaces/${NS}/endpointslices`, {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'web-x', namespace: NS, labels: { 'kubernetes.io/service-name': 'web' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.244.0.5'], conditions: { ready: true }, nodeName: `${NS}-a` }],
    });
    for (const s of [service('web'), service('first', { 'barelb.io/address-pool': 'tiny' })]) await api.create(svcPath(), s);
    controller = BarelbProcess.start(['controller', '--kubeconfig', cp.kubeconfigPath, '--namespace', SYSTEM, '--no-leader-elect'], { label: 'explain-controller' });
    teardown.defer(async () => void (await controller.stop()));
    await waitFor(async () => ingressOf(await api.get(svcPath('first'))).length > 0, 30_000, { what: 'first to hold the tiny pool' });
    // Created after `first` holds the only address of tiny: pending with pool-exhausted.
    await api.create(svcPath(), service('late', { 'barelb.io/address-pool': 'tiny' }));
    await waitFor(async () => ingressOf(await api.get(svcPath('web'))).length > 0, 30_000, { what: 'web to get an address' });
    await waitFor(async () => conditionStatus(await api.get(svcPath('late'))) === 'False', 30_000, { what: 'late to be pending' });
    await waitFor(async () => (await eventReasons('web')).includes('IPAllocated') && (await eventReasons('late')).includes('AllocationFailed'), 20_000, { what: 'the Events of web and late' });
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.error(`--- barelb explain\n${lastOutput}--- controller\n${controller.logTail(40)}`);
  });

  after(() => teardown.run());

  it('tells an allocated Service\'s story: its address, the L2 owner and interface, the Events; and exits 0', async () => {
    const { code, stdout, stderr } = await explain(`${NS}/web`);
    expect(stderr).to.equal('');
    expect(code, stdout).to.equal(0);
    const lines = stdout.split('\n');
    expect(lines[0]).to.equal(`Service ${NS}/web: 203.0.113.0 from pool main, announced by L2 from ${NS}-a (eth0)`);
    expect(stdout).to.contain('  recorded in the Service status: 203.0.113.0 from pool main\n');
    expect(stdout).to.match(/ {2}condition barelb\.io\/IPAllocated: True \(IPAllocated\) since \S+: /);
    expect(stdout).to.contain('  main (fallback): chosen — ');
    expect(stdout).to.contain('  tiny: auto-assign-disabled — pool "tiny" has autoAssign disabled');
    expect(stdout).to.contain(`  owner: ${NS}-a on eth0\n`);
    expect(stdout).to.contain(`  ${NS}-b: not eligible — not-selected: `);
    expect(stdout).to.contain('  ServiceL2Status: none for this Service\n');
    expect(stdout).to.contain('  session state: unknown (no ServiceL2Status or ServiceBGPStatus names this Service)\n');
    const events = stdout.slice(stdout.indexOf('Events (newest first, at most 10)\n'));
    expect(events).to.match(/\n {2}\S+ Normal IPAllocated: assigned 203\.0\.113\.0 from pool "main"\n/);
  });

  it('tells a pending Service\'s story: the reason, each pool\'s verdict and the Warning Event; and exits 1', async () => {
    const { code, stdout } = await explain(`${NS}/late`);
    expect(code, stdout).to.equal(1);
    expect(stdout.split('\n')[0]).to.equal(`Service ${NS}/late: pending — pool-exhausted: no address available: pool "tiny" exhausted for ipv4`);
    expect(stdout).to.contain('  address: none (pending: pool-exhausted)\n');
    expect(stdout).to.contain('  recorded in the Service status: no address\n');
    expect(stdout).to.match(/ {2}condition barelb\.io\/IPAllocated: False \(PoolExhausted\) since \S+: no address available/);
    expect(stdout).to.contain('  tiny (annotation): pool-exhausted — pool "tiny" exhausted for ipv4\n');
    expect(stdout).to.contain('  main: not-the-requested-pool — the address-pool annotation names pool "tiny", not this one\n');
    expect(stdout).to.contain('  nothing to announce: the Service has no address\n');
    expect(stdout).to.match(/Events \(newest first, at most 10\)\n {2}\S+ Warning AllocationFailed: pool-exhausted: no address available: pool "tiny" exhausted for ipv4\n/);
  });

  it('shows the ServiceL2Status objects the cluster holds for the Service, also in JSON', async () => {
    const path = `/apis/barelb.io/v1beta1/namespaces/${SYSTEM}/servicel2statuses`;
    await api.create(path, { apiVersion: 'barelb.io/v1beta1', kind: 'ServiceL2Status', metadata: { name: 'web-a', namespace: SYSTEM }, spec: {} });
    const status = { node: `${NS}-a`, serviceName: 'web', serviceNamespace: NS, interfaces: [{ name: 'eth0' }] };
    await api.patch(`${path}/web-a/status`, { status }, 'merge', 'explain-e2e');
    const text = await explain(`${NS}/web`);
    expect(text.stdout).to.contain(`  ServiceL2Status ${NS}-a: answers on eth0\n`);
    expect(text.stdout).to.contain('  session state: unknown (not published in the API; each speaker exports barelb_bgp_session_up)\n');
    const json = await explain(`${NS}/web`, '-o', 'json');
    expect(json.code).to.equal(0);
    const e = JSON.parse(json.stdout) as { verdict: { state: string }; cluster: { l2Statuses: unknown[]; events: { reason: string }[] } };
    expect(e.verdict.state).to.equal('announced');
    expect(e.cluster.l2Statuses).to.deep.equal([{ node: `${NS}-a`, interfaces: ['eth0'] }]);
    expect(e.cluster.events.map((x) => x.reason)).to.include('IPAllocated');
  });

  it('exits 2 and names the close match for a Service that does not exist', async () => {
    const { code, stdout, stderr } = await explain(`${NS}/wbe`);
    expect(code).to.equal(2);
    expect(stdout).to.equal('');
    expect(stderr).to.equal(`error: Service ${NS}/wbe not found; did you mean ${NS}/web?\n`);
  });
});

// The Helm chart helm/barelb: `helm lint --strict` and `helm template` (default values, an L2-only
// install, monitoring on) with assertions on the rendered objects; then, on a real kube-apiserver,
// a server-side dry run of everything rendered, and the RBAC proof: the controller and the speaker
// run as their ServiceAccounts with nothing but the chart's rules, do their job without a single
// 403, and are refused everything else.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AnnouncementStatusWriter } from '../../src/k8s/announcement-status.ts';
import { ApiError, kubeClient, type KubeClient, type WireObject } from '../../src/k8s/client.ts';
import { controllerPaths } from '../../src/k8s/controller-store.ts';
import { speakerPaths } from '../../src/k8s/speaker-store.ts';
import { startControlPlane, type ControlPlane } from '../cluster/control-plane.ts';
import { freePorts, get } from '../cluster/probe.ts';
import { BarelbProcess } from '../harness/barelb.ts';
import { Teardown } from '../harness/cleanup.ts';
import { waitFor } from '../harness/wait.ts';
import {
  argsOf, collectionPath, container, ensureHelm, find, renderAgainst, lint, list, nameOf, podSpec, record, render, rulesOf, SYSTEM, warmUpBarelbStorage, type Rule,
} from './chart-helpers.ts';
import { installCrds, repoRoot } from './crds-helpers.ts';

const L2_ONLY = { 'speaker.frr.enabled': false };
const MONITORING = { 'prometheus.podMonitor.enabled': true, 'prometheus.serviceMonitor.enabled': true, 'prometheus.rules.enabled': true };
const CONFIG_KINDS = ['bfdprofiles', 'bgpadvertisements', 'bgppeers', 'communities', 'ipaddresspools', 'l2advertisements'];
const rule = (apiGroups: string[], resources: string[], verbs: string[], resourceNames: string[] = []): Rule =>
  ({ apiGroups, resources: [...resources].sort(), verbs: [...verbs].sort(), resourceNames });

/** What the controller calls (src/k8s/controller-store.ts, events.ts, config-state.ts, leader.ts): nothing more. */
const CONTROLLER_RULES = {
  cluster: [
    rule([''], ['services', 'namespaces', 'nodes'], ['list', 'watch']),
    rule([''], ['services', 'services/status'], ['patch']),
    rule(['events.k8s.io'], ['events'], ['create']),
  ],
  namespace: [
    rule([''], ['secrets'], ['list', 'watch']),
    rule(['barelb.io'], CONFIG_KINDS, ['list', 'watch']),
    rule(['barelb.io'], ['ipaddresspools/status'], ['patch']),
    rule(['barelb.io'], ['configurationstates'], ['create']),
    rule(['barelb.io'], ['configurationstates/status'], ['patch'], ['controller']),
    rule(['coordination.k8s.io'], ['leases'], ['create']),
    rule(['coordination.k8s.io'], ['leases'], ['get', 'update'], ['barelb-controller']),
  ],
};
/** What the speaker calls (src/k8s/speaker-store.ts, events.ts, config-state.ts, announcement-status.ts). */
const SPEAKER_RULES = {
  cluster: [
    rule([''], ['services', 'nodes', 'namespaces'], ['list', 'watch']),
    rule(['discovery.k8s.io'], ['endpointslices'], ['list', 'watch']),
    rule(['events.k8s.io'], ['events'], ['create']),
  ],
  namespace: [
    rule([''], ['secrets'], ['list', 'watch']),
    rule(['barelb.io'], CONFIG_KINDS, ['list', 'watch']),
    rule(['barelb.io'], ['configurationstates'], ['create']),
    rule(['barelb.io'], ['configurationstates/status'], ['patch']),
    rule(['barelb.io'], ['servicel2statuses', 'servicebgpstatuses'], ['list', 'create', 'delete']),
    rule(['barelb.io'], ['servicel2statuses/status', 'servicebgpstatuses/status'], ['patch']),
  ],
};
const pool = (name: string, cidr: string): WireObject => ({ apiVersion: 'barelb.io/v1beta1', kind: 'IPAddressPool', metadata: { name, namespace: SYSTEM }, spec: { addresses: [cidr] } });
const MAIN = pool('main', '203.0.113.0/29');
/** A second pool overlapping `main`: valid for the CRD, invalid for barelb (an InvalidConfiguration Event). */
const OVERLAPPING = pool('overlap', '203.0.113.0/30');

/** (group, resource, scope) of every collection a store reflects, from its path table. */
function reflected(paths: Readonly<Record<string, string>>): string[] {
  return Object.values(paths).map((p) => {
    const m = /^\/(?:api\/v1|apis\/([^/]+)\/[^/]+)\/(?:namespaces\/[^/]+\/)?([^/]+)$/.exec(p);
    if (m === null) throw new Error(`cannot read ${p}`);
    return `${m[1] ?? ''}/${m[2] ?? ''}/${p.includes('/namespaces/') ? 'namespace' : 'cluster'}`;
  }).sort();
}
const listWatchGrants = (roles: { cluster: Rule[]; namespace: Rule[] }): string[] =>
  (['cluster', 'namespace'] as const).flatMap((scope) => roles[scope].filter((r) => r.verbs.includes('list') && r.verbs.includes('watch'))
    .flatMap((r) => r.apiGroups.flatMap((g) => r.resources.map((res) => `${g}/${res}/${scope}`)))).sort();

const rbacOf = (objects: WireObject[], component: 'controller' | 'speaker') => ({
  cluster: rulesOf(find(objects, 'ClusterRole', `barelb-${component}`)),
  namespace: rulesOf(find(objects, 'Role', `barelb-${component}`)),
});

/** Every metric name in the chart's PrometheusRule exists in src/ (a renamed metric breaks this). */
function metricNamesInSource(): string {
  const dirs = ['src/metrics', 'src/cli'];
  return dirs.flatMap((d) => readdirSync(join(repoRoot, d)).filter((f) => f.endsWith('.ts')).map((f) => readFileSync(join(repoRoot, d, f), 'utf8'))).join('\n');
}

describe('Helm chart helm/barelb: lint and template', function () {
  this.timeout(120_000);
  let defaults: WireObject[];
  let l2Only: WireObject[];

  before(async function () {
    this.timeout(45 * 60_000);
    await ensureHelm();
    [defaults, l2Only] = await Promise.all([render(), render(L2_ONLY)]);
  });

  it('passes helm lint --strict with default values, L2-only, and monitoring on', async () => {
    for (const values of [{}, L2_ONLY, MONITORING]) expect(await lint(values)).to.match(/1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  it('runs the controller leader-elected, identified by its pod name, with probes on the metrics port and no privilege', () => {
    const deployment = find(defaults, 'Deployment', 'barelb-controller');
    const c = container(deployment, 'controller');
    expect(argsOf(c)).to.include.members(['controller', `--namespace=${SYSTEM}`, '--lease-name=barelb-controller', '--identity=$(POD_NAME)', '--metrics-address=:7472']);
    expect(list(c['env'])).to.deep.include({ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } });
    expect(list(c['ports'])).to.deep.include({ name: 'metrics', containerPort: 7472, protocol: 'TCP' });
    expect(record(c['livenessProbe'])['httpGet']).to.deep.equal({ path: '/healthz', port: 'metrics' });
    expect(record(c['readinessProbe'])['httpGet']).to.deep.equal({ path: '/readyz', port: 'metrics' });
    expect(c['securityContext']).to.deep.equal({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(podSpec(deployment)['securityContext']).to.include({ runAsNonRoot: true, runAsUser: 65532 });
    expect(podSpec(deployment)['serviceAccountName']).to.equal('barelb-controller');
  });

  it('runs the speaker on the host network with NET_RAW and CHOWN only, in FRR\'s groups, next to an FRR sidecar sharing its directories', () => {
    const ds = find(defaults, 'DaemonSet', 'barelb-speaker');
    const spec = podSpec(ds);
    expect(spec).to.include({ hostNetwork: true, serviceAccountName: 'barelb-speaker' });
    expect(record(spec['securityContext'])['supplementalGroups']).to.deep.equal([101, 102]);
    const s = container(ds, 'speaker');
    expect(argsOf(s)).to.include.members(['speaker', '--node=$(NODE_NAME)', `--heartbeat-secret=${SYSTEM}/barelb-heartbeat`, '--frr-config=/etc/frr/frr.conf', '--frr-run-dir=/var/run/frr']);
    expect(argsOf(s)).to.not.include.members(['--no-bgp', '--no-l2']);
    expect(list(s['env'])).to.deep.include({ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } });
    expect(record(s['securityContext'])).to.deep.include({ runAsUser: 0, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'], add: ['NET_RAW', 'CHOWN'] } });
    expect(record(s['readinessProbe'])['httpGet']).to.deep.equal({ path: '/readyz', port: 'metrics' });
    const frr = container(ds, 'frr');
    expect(frr['image']).to.match(/^quay\.io\/frrouting\/frr:10\./);
    expect(frr['args']).to.deep.equal(['/bin/sh', '/frr-startup/start.sh']);
    const mounts = (c: WireObject) => Object.fromEntries(list(c['volumeMounts']).map((m) => [m['mountPath'], m['name']]));
    for (const c of [s, frr]) expect(mounts(c)).to.include({ '/etc/frr': 'frr-conf', '/var/run/frr': 'frr-sockets' });
    const volumes = list(spec['volumes']);
    for (const v of ['frr-conf', 'frr-sockets', 'frr-startup']) expect(volumes.find((x) => x['name'] === v), v).to.have.property('emptyDir');
    expect(container(ds, 'frr-files', 'initContainers')['command']).to.include.members(['cp', '/usr/share/barelb/frr/start.sh', '/frr-startup/']);
  });

  it('renders an L2-only speaker with speaker.frr.enabled=false: no sidecar, no FRR volumes, --no-bgp, NET_RAW alone', () => {
    const ds = find(l2Only, 'DaemonSet', 'barelb-speaker');
    const spec = podSpec(ds);
    expect(list(spec['containers']).map((c) => c['name'])).to.deep.equal(['speaker']);
    expect(spec).to.not.have.any.keys('initContainers', 'volumes', 'securityContext');
    const s = container(ds, 'speaker');
    expect(argsOf(s)).to.include('--no-bgp').and.not.include('--no-l2');
    expect(argsOf(s).filter((a) => a.startsWith('--frr-'))).to.deep.equal([]);
    expect(record(s['securityContext'])['capabilities']).to.deep.equal({ drop: ['ALL'], add: ['NET_RAW'] });
    expect(s).to.not.have.property('volumeMounts');
  });

  it('passes loadBalancerClass to the controller and to every speaker, and neither gets --lb-class without it', async () => {
    const classed = await render({ loadBalancerClass: 'barelb.io/internal' });
    for (const [objects, want] of [[classed, ['--lb-class=barelb.io/internal']], [defaults, []]] as const) {
      const controller = argsOf(container(find(objects, 'Deployment', 'barelb-controller'), 'controller'));
      const speaker = argsOf(container(find(objects, 'DaemonSet', 'barelb-speaker'), 'speaker'));
      expect(controller.filter((a) => a.startsWith('--lb-class'))).to.deep.equal(want);
      expect(speaker.filter((a) => a.startsWith('--lb-class'))).to.deep.equal(want);
    }
  });

  it('creates the heartbeat Secret with a random 32-character key', () => {
    const key = Buffer.from(String(record(find(defaults, 'Secret', 'barelb-heartbeat')['data'])['key']), 'base64').toString('utf8');
    expect(key).to.match(/^[A-Za-z0-9]{32}$/);
  });

  it('grants exactly the listed RBAC rules, and list/watch on exactly the collections the stores reflect', () => {
    expect(rbacOf(defaults, 'controller')).to.deep.equal(CONTROLLER_RULES);
    expect(rbacOf(defaults, 'speaker')).to.deep.equal(SPEAKER_RULES);
    expect(listWatchGrants(CONTROLLER_RULES)).to.deep.equal(reflected(controllerPaths(SYSTEM)));
    expect(listWatchGrants(SPEAKER_RULES)).to.deep.equal(reflected(speakerPaths(SYSTEM)));
    for (const [kind, name] of [['ClusterRoleBinding', 'barelb-controller'], ['RoleBinding', 'barelb-controller'], ['ClusterRoleBinding', 'barelb-speaker'], ['RoleBinding', 'barelb-speaker']]) {
      const binding = find(defaults, kind as string, name as string);
      expect(binding['subjects'], `${kind}/${name}`).to.deep.equal([{ kind: 'ServiceAccount', name, namespace: SYSTEM }]);
    }
  });

  it('alerts on barelb\'s own metric names: pool nearly exhausted, stale config, BGP session down, duplicate L2 owner', async () => {
    const objects = await render(MONITORING);
    expect(objects.map((o) => o['kind'])).to.include.members(['PodMonitor', 'ServiceMonitor', 'PrometheusRule']);
    const rules = list(record(find(objects, 'PrometheusRule', 'barelb')['spec'])['groups']).flatMap((g) => list(g['rules']));
    const exprs = Object.fromEntries(rules.map((r) => [String(r['alert']), String(r['expr'])]));
    expect(exprs['BarelbAddressPoolNearlyExhausted']).to.contain('barelb_allocator_addresses_in_use_total').and.contain('barelb_allocator_addresses_total');
    expect(exprs['BarelbStaleConfig']).to.contain('barelb_k8s_client_config_stale_bool');
    expect(exprs['BarelbBGPSessionDown']).to.contain('barelb_bgp_session_up == 0');
    expect(exprs['BarelbDuplicateL2Owner']).to.contain('barelb_layer2_duplicate_answers_total');
    const source = metricNamesInSource();
    for (const name of new Set(Object.values(exprs).flatMap((e) => e.match(/barelb_[a-z0-9_]+/g) ?? []))) expect(source, name).to.contain(`'${name}'`);
  });
});

describe('Helm chart helm/barelb on a real kube-apiserver', function () {
  this.timeout(240_000);
  const teardown = new Teardown();
  const NS = `blb-chart-${randomBytes(3).toString('hex')}`;
  let cp: ControlPlane;
  let admin: KubeClient;
  let defaults: WireObject[];
  const processes: BarelbProcess[] = [];

  const create = (o: WireObject, query = '') => admin.create(`${collectionPath(o)}${query}`, o);
  const forbidden = async (what: string, call: Promise<unknown>): Promise<void> => {
    const status = await call.then(() => 200, (e: unknown) => (e instanceof ApiError ? e.status : -1));
    expect(status, what).to.equal(403);
  };
  const start = (args: string[], label: string): BarelbProcess => {
    const p = BarelbProcess.start(args, { label });
    processes.push(p);
    teardown.defer(async () => void (await p.stop()));
    return p;
  };
  /** Log lines of a refused request: a 403 anywhere (reflector, write, Event, Lease). */
  const refusals = (p: BarelbProcess) => p.logLines().filter((l) => /\b403\b|forbidden/i.test(JSON.stringify(l)));

  before(async function () {
    this.timeout(45 * 60_000);
    defaults = await render();
    cp = await startControlPlane({ serviceAccount: { namespace: SYSTEM, name: 'barelb-controller' } });
    teardown.defer(() => cp.stop());
    admin = kubeClient(cp.kubeConfig);
    await installCrds(cp.kubeConfig);
    for (const ns of [SYSTEM, NS]) await admin.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await warmUpBarelbStorage(admin, SYSTEM);
  });

  afterEach(function () {
    if (this.currentTest?.state === 'failed') for (const p of processes) console.error(`--- ${p.label}\n${p.logTail(40)}`);
  });

  after(() => teardown.run());

  it('accepts every rendered object in a server-side dry run with strict field validation (default and L2-only values)', async () => {
    for (const objects of [defaults, await render(L2_ONLY)]) {
      for (const o of objects) {
        const accepted = await create(o, '?dryRun=All&fieldValidation=Strict').catch((e: unknown) => expect.fail(`${String(o['kind'])}/${nameOf(o)}: ${String(e)}`));
        expect(record(accepted['metadata'])['name']).to.equal(nameOf(o));
      }
    }
  });

  it('lets the controller allocate and write Service status, Events, pool status, its ConfigurationState and Lease with the chart\'s RBAC alone', async () => {
    expect(cp.serviceAccount).to.include({ namespace: SYSTEM, name: 'barelb-controller' });
    for (const kind of ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']) await create(find(defaults, kind, 'barelb-controller'));
    await admin.create(`/apis/barelb.io/v1beta1/namespaces/${SYSTEM}/ipaddresspools`, MAIN);
    await admin.create(`/api/v1/namespaces/${NS}/services`, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: NS }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }], selector: { app: 'web' } } });

    // The chart's own arguments, with the pod name, a local metrics port and the identity's kubeconfig.
    const [port] = await freePorts(1);
    const args = argsOf(container(find(defaults, 'Deployment', 'barelb-controller'), 'controller')).map((a) =>
      a === '--identity=$(POD_NAME)' ? '--identity=barelb-controller-rbac' : a.startsWith('--metrics-address=') ? `--metrics-address=127.0.0.1:${String(port)}` : a.startsWith('--log-level=') ? '--log-level=debug' : a);
    const controller = start([...args, '--kubeconfig', cp.serviceAccount.kubeconfigPath], 'chart-controller');

    const web = await waitFor(async () => {
      const s = await admin.get(`/api/v1/namespaces/${NS}/services/web`);
      return list(record(record(s['status'])['loadBalancer'])['ingress']).length > 0 ? s : null;
    }, 60_000, { what: 'web to get an address from the restricted controller' });
    expect(list(record(record(web['status'])['loadBalancer'])['ingress'])[0]).to.include({ ip: '203.0.113.0' });
    expect(record(record(web['metadata'])['annotations'])['barelb.io/ip-allocated-from-pool']).to.equal('main');
    expect(list(record(web['status'])['conditions']).find((c) => c['type'] === 'barelb.io/IPAllocated')).to.include({ status: 'True' });
    await waitFor(async () => (await admin.list(`/apis/events.k8s.io/v1/namespaces/${NS}/events`)).items.find((e) => e['reason'] === 'IPAllocated') ?? null, 20_000, { what: 'an IPAllocated Event' });
    await waitFor(async () => record((await admin.get(`/apis/barelb.io/v1beta1/namespaces/${SYSTEM}/ipaddresspools/main`))['status'])['assignedIPv4'] === 1, 20_000, { what: 'pool main status' });
    const lease = await admin.get(`/apis/coordination.k8s.io/v1/namespaces/${SYSTEM}/leases/barelb-controller`);
    expect(record(lease['spec'])['holderIdentity']).to.equal('barelb-controller-rbac');
    const metrics = `http://127.0.0.1:${String(port)}`;
    expect((await get(`${metrics}/healthz`)).status).to.equal(200);
    await waitFor(async () => (await get(`${metrics}/readyz`)).status === 200, 20_000, { what: '/readyz of the controller' });
    expect((await get(`${metrics}/metrics`)).body).to.contain('barelb_allocator_addresses_in_use_total{pool="main"} 1');

    // An invalid configuration: a Warning Event on the pool and ConfigurationState "controller".
    const configState = async () => String(record((await admin.get(`/apis/barelb.io/v1beta1/namespaces/${SYSTEM}/configurationstates/controller`))['status'])['result']);
    await waitFor(async () => (await configState()) === 'Valid', 20_000, { what: 'ConfigurationState controller Valid' });
    await admin.create(`/apis/barelb.io/v1beta1/namespaces/${SYSTEM}/ipaddresspools`, OVERLAPPING);
    await waitFor(async () => (await configState()) === 'Invalid', 20_000, { what: 'ConfigurationState controller Invalid' });
    await waitFor(async () => (await admin.list(`/apis/events.k8s.io/v1/namespaces/${SYSTEM}/events`)).items.find((e) => e['reason'] === 'InvalidConfiguration' && e['reportingController'] === 'barelb.io/controller') ?? null, 20_000, { what: 'an InvalidConfiguration Event from the controller' });
    await admin.delete(`/apis/barelb.io/v1beta1/namespaces/${SYSTEM}/ipaddresspools/overlap`);
    await waitFor(async () => (await configState()) === 'Valid', 20_000, { what: 'ConfigurationState controller Valid again' });
    expect(refusals(controller), 'requests the API server refused').to.deep.equal([]);
    expect(controller.logLines().filter((l) => String(l['msg']).includes('list/watch failed'))).to.deep.equal([]);
  });

  it('refuses the controller\'s identity everything else: other namespaces\' Secrets, reading a Secret, deleting or replacing Services, other Leases', async () => {
    const sa = kubeClient(cp.serviceAccount.kubeConfig);
    await forbidden('list Secrets in default', sa.list('/api/v1/namespaces/default/secrets'));
    await forbidden('list Secrets cluster-wide', sa.list('/api/v1/secrets'));
    await forbidden('get a Secret by name', sa.get(`/api/v1/namespaces/${SYSTEM}/secrets/barelb-heartbeat`));
    await forbidden('delete a Service', sa.delete(`/api/v1/namespaces/${NS}/services/web`));
    await forbidden('replace a Service', sa.replace(`/api/v1/namespaces/${NS}/services/web`, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: NS } }));
    await forbidden('create a Service', sa.create(`/api/v1/namespaces/${NS}/services`, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'x', namespace: NS } }));
    await forbidden('list Pods', sa.list('/api/v1/pods'));
    await forbidden('update another Lease', sa.replace(`/apis/coordination.k8s.io/v1/namespaces/${SYSTEM}/leases/other`, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'other', namespace: SYSTEM } }));
    await forbidden('list barelb.io pools in another namespace', sa.list(`/apis/barelb.io/v1beta1/namespaces/${NS}/ipaddresspools`));
    await forbidden('write a ServiceL2Status', sa.create(`/apis/barelb.io/v1beta1/namespaces/${SYSTEM}/servicel2statuses`, { apiVersion: 'barelb.io/v1beta1', kind: 'ServiceL2Status', metadata: { name: 'x', namespace: SYSTEM } }));
  });

  describe('the speaker\'s identity', function () {
    let speakerCp: ControlPlane;

    before(async function () {
      this.timeout(5 * 60_000);
      // One restricted identity per control plane: a second one for barelb-system/barelb-speaker.
      speakerCp = await startControlPlane({ serviceAccount: { namespace: SYSTEM, name: 'barelb-speaker' } });
      teardown.defer(() => speakerCp.stop());
      await installCrds(speakerCp.kubeConfig);
      const api = kubeClient(speakerCp.kubeConfig);
      await api.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: SYSTEM } });
      for (const kind of ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding']) {
        const o = find(defaults, kind, 'barelb-speaker');
        await api.create(collectionPath(o), o);
      }
      const secret = find(defaults, 'Secret', 'barelb-heartbeat');
      await api.create(collectionPath(secret), secret);
      await api.create(`/apis/barelb.io/v1beta1/namespaces/${SYSTEM}/ipaddresspools`, MAIN);
      await warmUpBarelbStorage(api, SYSTEM);
    });

    it('lets the speaker sync and report an invalid configuration (ConfigurationState, Warning Event) with the chart\'s RBAC alone', async () => {
      const [port] = await freePorts(1);
      // The chart's arguments without the protocols: L2 and BGP would touch this host's interfaces.
      const args = argsOf(container(find(defaults, 'DaemonSet', 'barelb-speaker'), 'speaker'))
        .filter((a) => !/^--(heartbeat|frr|l2)-/.test(a))
        .map((a) => (a === '--node=$(NODE_NAME)' ? '--node=n1' : a.startsWith('--metrics-address=') ? `--metrics-address=127.0.0.1:${String(port)}` : a));
      const speaker = start([...args, '--no-l2', '--no-bgp', '--kubeconfig', speakerCp.serviceAccount.kubeconfigPath], 'chart-speaker');
      await waitFor(async () => (await get(`http://127.0.0.1:${String(port)}/readyz`)).status === 200, 60_000, { what: '/readyz of the restricted speaker' });
      const api = kubeClient(speakerCp.kubeConfig);
      const configState = async () => String(record((await api.get(`/apis/barelb.io/v1beta1/namespaces/${SYSTEM}/configurationstates/speaker-n1`))['status'])['result']);
      await waitFor(async () => (await configState()) === 'Valid', 20_000, { what: 'ConfigurationState speaker-n1 Valid' });
      // An invalid configuration: the speaker reports it (ConfigurationState, Warning Events).
      await api.create(`/apis/barelb.io/v1beta1/namespaces/${SYSTEM}/ipaddresspools`, OVERLAPPING);
      await waitFor(async () => (await configState()) === 'Invalid', 20_000, { what: 'ConfigurationState speaker-n1 Invalid' });
      await waitFor(async () => (await api.list(`/apis/events.k8s.io/v1/namespaces/${SYSTEM}/events`)).items.find((e) => e['reason'] === 'InvalidConfiguration' && e['reportingController'] === 'barelb.io/speaker') ?? null, 20_000, { what: 'an InvalidConfiguration Event from the speaker' });
      expect(refusals(speaker), 'requests the API server refused').to.deep.equal([]);
      expect(speaker.logLines().filter((l) => String(l['msg']).includes('list/watch failed'))).to.deep.equal([]);
    });

    it('keeps the heartbeat key of an existing Secret on upgrade (helm template --dry-run=server sees it through lookup)', async () => {
      const existing = record(find(defaults, 'Secret', 'barelb-heartbeat')['data'])['key'];
      const planned = await renderAgainst(speakerCp.kubeconfigPath);
      expect(record(find(planned, 'Secret', 'barelb-heartbeat')['data'])['key']).to.equal(existing);
    });

    it('lets the speaker keep its node\'s ServiceL2Status and ServiceBGPStatus objects (AnnouncementStatusWriter as the speaker\'s identity)', async () => {
      const errors: unknown[] = [];
      const writer = new AnnouncementStatusWriter({ client: kubeClient(speakerCp.serviceAccount.kubeConfig), namespace: SYSTEM, node: 'n1', fieldManager: 'barelb-speaker-n1', onError: (e) => errors.push(e) });
      const api = kubeClient(speakerCp.kubeConfig);
      const count = async () => (await Promise.all(['servicel2statuses', 'servicebgpstatuses'].map((p) => api.list(`/apis/barelb.io/v1beta1/namespaces/${SYSTEM}/${p}`)))).reduce((n, l) => n + l.items.length, 0);
      writer.set('l2', [{ protocol: 'l2', namespace: 'default', name: 'web', targets: null }]);
      writer.set('bgp', [{ protocol: 'bgp', namespace: 'default', name: 'web', targets: ['router'] }]);
      await writer.settled();
      expect(errors.map(String)).to.deep.equal([]);
      expect(await count()).to.equal(2);
      writer.set('l2', []);
      writer.set('bgp', []);
      await writer.settled();
      expect(errors.map(String)).to.deep.equal([]);
      expect(await count()).to.equal(0);
    });

    it('refuses the speaker\'s identity anything else: Service writes, reading objects by name, Secrets of other namespaces, Leases', async () => {
      const sa = kubeClient(speakerCp.serviceAccount.kubeConfig);
      await forbidden('patch a Service status', sa.patch('/api/v1/namespaces/default/services/kubernetes/status', { status: {} }, 'merge', 'test'));
      await forbidden('patch a Service', sa.patch('/api/v1/namespaces/default/services/kubernetes', { metadata: {} }, 'merge', 'test'));
      await forbidden('get a ServiceL2Status by name', sa.get(`/apis/barelb.io/v1beta1/namespaces/${SYSTEM}/servicel2statuses/x`));
      await forbidden('delete a ConfigurationState', sa.delete(`/apis/barelb.io/v1beta1/namespaces/${SYSTEM}/configurationstates/speaker-n1`));
      await forbidden('patch an IPAddressPool status', sa.patch(`/apis/barelb.io/v1beta1/namespaces/${SYSTEM}/ipaddresspools/main/status`, { status: {} }, 'merge', 'test'));
      await forbidden('list Secrets in default', sa.list('/api/v1/namespaces/default/secrets'));
      await forbidden('get the heartbeat Secret by name', sa.get(`/api/v1/namespaces/${SYSTEM}/secrets/barelb-heartbeat`));
      await forbidden('create a Lease', sa.create(`/apis/coordination.k8s.io/v1/namespaces/${SYSTEM}/leases`, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'x' } }));
    });
  });
});

// barelb on a real kube-apiserver in the L2 lab: etcd + kube-apiserver (e2e/cluster) with the CRDs,
// Node objects for the lab's nodes and the barelb.io configuration created through the API; an
// upstream FRR router in the router namespace and an FRR per node; the controller in the host
// namespace; one speaker per node inside the node's namespace (raw sockets on its eth0/eth1, BGP
// through its FRR), reaching the API server through api-relay.ts. Services and their
// EndpointSlices are created by hand (no kube-controller-manager).
import { randomBytes } from 'node:crypto';
import { kubeClient, type KubeClient, type WireObject } from '../../src/k8s/client.ts';
import { startControlPlane, type ControlPlane } from '../cluster/control-plane.ts';
import { installCrds } from '../k8s/crds-helpers.ts';
import { ApiRelay } from './api-relay.ts';
import { BarelbProcess, imageRuntime } from './barelb.ts';
import type { Teardown } from './cleanup.ts';
import { FrrInstance } from './frr.ts';
import { bgpRoutes } from './frr-json.ts';
import { frrRoot } from './frr-root.ts';
import { buildL2Lab, type L2Lab, type L2LabNode } from './l2-lab.ts';
import { ROUTER_IPV4 } from './lan.ts';
import { runOk } from './run.ts';
import { startEchoServer } from './udp-echo.ts';
import { waitFor } from './wait.ts';

export const SYSTEM = 'barelb-system';
export const HEARTBEAT_SECRET = 'heartbeat';
export const ROUTER_AS = 64500;
export const NODE_AS = 64512;
const METRICS_PORT = 9120;
const ECHO_PORT = 9000;

/**
 * The pool, on the lab's eth1 segment (203.0.113.0/24, where the client sits at .100 and the nodes
 * at .11-.13): the client reaches these addresses over ARP on eth1, and the router learns them over
 * BGP. Every node holds all of them on kube-ipvs0, as kube-proxy IPVS would.
 */
export const POOL_IPS = Array.from({ length: 8 }, (_, i) => `203.0.113.${200 + i}`);
const POOL_RANGE = `${POOL_IPS[0]}-${POOL_IPS.at(-1)}`;

const record = (v: unknown): WireObject => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as WireObject) : {});

export const ingressOf = (s: WireObject): string[] =>
  ((record(record(s['status'])['loadBalancer'])['ingress'] ?? []) as WireObject[]).map((i) => String(i['ip']));

function routerConfig(nodes: readonly L2LabNode[]): string {
  return [
    'frr defaults traditional',
    `router bgp ${ROUTER_AS}`,
    ` bgp router-id ${ROUTER_IPV4}`,
    ' no bgp ebgp-requires-policy',
    ' no bgp default ipv4-unicast',
    ...nodes.flatMap((n) => [` neighbor ${n.ipv4} remote-as ${NODE_AS}`, ` neighbor ${n.ipv4} timers connect 1`]),
    ' address-family ipv4 unicast',
    '  maximum-paths 8',
    ...nodes.map((n) => `  neighbor ${n.ipv4} activate`),
    ' exit-address-family',
    'exit',
    '',
  ].join('\n');
}

const barelbObjects = (): WireObject[] => [
  { apiVersion: 'barelb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'lab', namespace: SYSTEM }, spec: { addresses: [POOL_RANGE] } },
  { apiVersion: 'barelb.io/v1beta1', kind: 'L2Advertisement', metadata: { name: 'lab', namespace: SYSTEM }, spec: { ipAddressPools: ['lab'] } },
  { apiVersion: 'barelb.io/v1beta1', kind: 'BGPAdvertisement', metadata: { name: 'lab', namespace: SYSTEM }, spec: { ipAddressPools: ['lab'] } },
  { apiVersion: 'barelb.io/v1beta2', kind: 'BGPPeer', metadata: { name: 'router', namespace: SYSTEM }, spec: { myASN: NODE_AS, peerASN: ROUTER_AS, peerAddress: ROUTER_IPV4, connectTime: '1s' } },
];

const plurals: Readonly<Record<string, string>> = { IPAddressPool: 'ipaddresspools', L2Advertisement: 'l2advertisements', BGPAdvertisement: 'bgpadvertisements', BGPPeer: 'bgppeers' };

export class K8sLab {
  /** The namespace of the test's Services. */
  readonly ns = `blb-lab-${randomBytes(3).toString('hex')}`;
  readonly cp: ControlPlane;
  readonly api: KubeClient;
  readonly lab: L2Lab;
  readonly router: FrrInstance;
  readonly #teardown: Teardown;
  readonly #frr: ReadonlyMap<string, FrrInstance>;
  readonly #speakers = new Map<string, BarelbProcess>();
  readonly #all: BarelbProcess[] = [];

  private constructor(teardown: Teardown, cp: ControlPlane, lab: L2Lab, router: FrrInstance, frr: ReadonlyMap<string, FrrInstance>) {
    this.#teardown = teardown;
    this.cp = cp;
    this.api = kubeClient(cp.kubeConfig);
    this.lab = lab;
    this.router = router;
    this.#frr = frr;
  }

  /** Brings everything up; each part is registered on `teardown` as soon as it exists. */
  static async start(teardown: Teardown): Promise<K8sLab> {
    const cp = await startControlPlane();
    teardown.defer(() => cp.stop());
    const lab = await buildL2Lab(3, POOL_IPS);
    teardown.defer(() => lab.destroy());
    const relay = await ApiRelay.start(Number(new URL(cp.server).port));
    teardown.defer(() => relay.stop());
    for (const n of lab.nodes) await relay.into(n.ns);
    const router = await FrrInstance.start({ netns: lab.lan.router, config: routerConfig(lab.nodes), daemons: [] });
    teardown.defer(() => router.stop());
    const frr = new Map<string, FrrInstance>();
    for (const n of lab.nodes) {
      const f = await FrrInstance.start({ netns: n.ns, config: 'frr defaults traditional\n', daemons: ['bfdd'] });
      teardown.defer(() => f.stop());
      frr.set(n.name, f);
    }
    const echo = lab.nodes.map((n) => startEchoServer(n.ns, n.name));
    teardown.defer(async () => {
      for (const s of echo) await s.stop();
    });
    for (const s of echo) await s.ready();
    await K8sLab.#seed(cp, lab);
    const k = new K8sLab(teardown, cp, lab, router, frr);
    k.#start(['controller', '--kubeconfig', cp.kubeconfigPath, '--namespace', SYSTEM, '--identity', 'lab-controller', '--log-level', 'debug'], { label: 'controller' });
    for (const n of lab.nodes) k.startSpeaker(n);
    await k.#waitForSessions(60_000);
    return k;
  }

  /** CRDs, namespaces, the barelb.io objects, the heartbeat Secret and the Nodes. */
  static async #seed(cp: ControlPlane, lab: L2Lab): Promise<void> {
    const api = kubeClient(cp.kubeConfig);
    await installCrds(cp.kubeConfig);
    await api.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: SYSTEM } });
    for (const o of barelbObjects()) {
      const meta = record(o['metadata']);
      await api.create(`/apis/${String(o['apiVersion'])}/namespaces/${String(meta['namespace'])}/${plurals[String(o['kind'])] ?? ''}`, o);
    }
    await api.create(`/api/v1/namespaces/${SYSTEM}/secrets`, {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: HEARTBEAT_SECRET, namespace: SYSTEM }, type: 'Opaque', stringData: { key: 'e2e heartbeat key, 32+ bytes long' },
    });
    for (const n of lab.nodes) {
      await api.create('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: n.name, labels: { 'kubernetes.io/hostname': n.name } } });
      // What a kubelet reports: the address the heartbeats and the BGP next hop use.
      const status = { addresses: [{ type: 'InternalIP', address: n.ipv4 }, { type: 'Hostname', address: n.name }] };
      await api.patch(`/api/v1/nodes/${n.name}/status`, { status }, 'merge', 'e2e-kubelet');
    }
  }

  #start(args: readonly string[], o: { label: string; netns?: L2LabNode['ns'] }): BarelbProcess {
    // The shipped build and V8 settings: this is the e2e run closest to the image.
    const p = BarelbProcess.start(args, { ...o, ...imageRuntime() });
    this.#all.push(p);
    this.#teardown.defer(async () => void (await p.stop()));
    return p;
  }

  /** The speaker of `node`, in its namespace, on BGP and L2. Replaces an earlier one in `speaker()`. */
  startSpeaker(node: L2LabNode): BarelbProcess {
    const root = frrRoot();
    const frr = this.#frr.get(node.name) as FrrInstance;
    const p = this.#start([
      'speaker', '--kubeconfig', this.cp.kubeconfigPath, '--namespace', SYSTEM, '--node', node.name, '--log-level', 'debug',
      '--hostname', node.name, '--vtysh', `chroot ${root} /usr/bin/vtysh`, '--frr-reload', `chroot ${root} /usr/lib/frr/frr-reload.py`,
      '--frr-root', root, '--frr-pathspace', frr.name,
      '--heartbeat-secret', `${SYSTEM}/${HEARTBEAT_SECRET}`, '--metrics-address', `127.0.0.1:${METRICS_PORT}`,
    ], { label: `speaker-${node.index}`, netns: node.ns });
    this.#speakers.set(node.name, p);
    return p;
  }

  speaker(node: L2LabNode): BarelbProcess {
    const p = this.#speakers.get(node.name);
    if (p === undefined) throw new Error(`no speaker on ${node.name}`);
    return p;
  }

  get speakers(): readonly BarelbProcess[] {
    return [...this.#speakers.values()];
  }

  async createNamespace(): Promise<void> {
    await this.api.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: this.ns } });
  }

  /**
   * A Cluster LoadBalancer Service with a ready endpoint on every node, and its EndpointSlice;
   * `spec` adds to (or overrides) the Service's spec.
   */
  async createService(name: string, spec: WireObject = {}): Promise<void> {
    const ports = [{ name: 'echo', port: ECHO_PORT, protocol: 'UDP' }];
    await this.api.create(`/api/v1/namespaces/${this.ns}/services`, {
      apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: this.ns },
      spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Cluster', selector: { app: name }, ports, ...spec },
    });
    await this.api.create(`/apis/discovery.k8s.io/v1/namespaces/${this.ns}/endpointslices`, {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
      metadata: { name: `${name}-lab`, namespace: this.ns, labels: { 'kubernetes.io/service-name': name, 'endpointslice.kubernetes.io/managed-by': 'e2e.barelb.io' } },
      addressType: 'IPv4',
      endpoints: this.lab.nodes.map((n, i) => ({ addresses: [`192.0.2.${30 + i}`], nodeName: n.name, conditions: { ready: true } })),
      ports,
    });
  }

  /** Deletes the Service and its EndpointSlice (no garbage collector runs here). */
  async deleteService(name: string): Promise<void> {
    await this.api.delete(`/apis/discovery.k8s.io/v1/namespaces/${this.ns}/endpointslices/${name}-lab`);
    await this.api.delete(`/api/v1/namespaces/${this.ns}/services/${name}`);
  }

  /** Waits for the controller to write the Service's address into its status. */
  waitForIngress(name: string, timeoutMs = 30_000): Promise<string> {
    return waitFor(async () => ingressOf(await this.api.get(`/api/v1/namespaces/${this.ns}/services/${name}`))[0], timeoutMs, { what: `${name} to get an address\n${this.logs()}` });
  }

  /** The router's IPv4 BGP table: prefix -> sorted next hops of its paths. */
  async routes(): Promise<Map<string, string[]>> {
    const json = await this.router.showJson('show bgp ipv4 unicast json');
    return new Map([...bgpRoutes(json)].map(([prefix, paths]) => [prefix, paths.flatMap((p) => p.nextHops).filter((h) => !h.startsWith('fe80')).sort()]));
  }

  /** Waits until the router has `ip`/32 with exactly these next hops (`[]`: no route at all). */
  async waitForRoute(ip: string, nextHops: readonly string[], timeoutMs: number): Promise<void> {
    const want = JSON.stringify([...nextHops].sort());
    await waitFor(async () => JSON.stringify((await this.routes()).get(`${ip}/32`) ?? []) === want, timeoutMs, {
      what: `${ip}/32 at the router via [${nextHops.join(', ')}] (now: ${JSON.stringify((await this.routes().catch(() => new Map<string, string[]>())).get(`${ip}/32`) ?? null)})`,
      intervalMs: 250,
    });
  }

  /** Waits until the router's session with every node is Established. */
  async #waitForSessions(timeoutMs: number): Promise<void> {
    await waitFor(async () => [...(await this.established()).values()].filter((c) => c > 0).length === this.lab.nodes.length, timeoutMs, {
      what: `the router's BGP sessions with all ${this.lab.nodes.length} nodes\n${this.logs()}`,
      intervalMs: 250,
    });
  }

  /** Per BGP neighbour of the router: how often it reached Established, or -1 when not Established now. */
  async established(): Promise<Map<string, number>> {
    const json = (await this.router.showJson('show bgp neighbors json')) as Record<string, { bgpState?: string; connectionsEstablished?: number }>;
    return new Map(Object.entries(json).map(([peer, n]) => [peer, n.bgpState === 'Established' ? (n.connectionsEstablished ?? -1) : -1]));
  }

  /** One series of the speaker's /metrics (exactly as exposed), fetched inside its namespace; 0 when absent. */
  async metric(node: L2LabNode, series: string): Promise<number> {
    const script = `fetch('http://127.0.0.1:${METRICS_PORT}/metrics').then((r) => r.text()).then((t) => process.stdout.write(t))`;
    const text = (await runOk('ip', ['netns', 'exec', node.ns.name, process.execPath, '-e', script], { timeoutMs: 10_000 })).stdout;
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? 0 : Number(line.slice(series.length + 1));
  }

  /** Log tails of the controller, every speaker (restarted ones included) and the API server. */
  logs(lines = 40): string {
    return [...this.#all.map((p) => `--- ${p.label} (pid ${p.pid})\n${p.logTail(lines)}`), `--- kube-apiserver\n${this.cp.logTail('apiserver', 15)}`].join('\n');
  }
}

// barelb over BGP in local mode on lan.ts's segment: a manifest directory, one FRR per node, the
// controller, and one speaker per node running inside the node's namespace (so it serves its
// metrics there), plus reads of those metrics, of the controller's state file and of the logs.
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BarelbProcess } from './barelb.ts';
import { Teardown, tracked } from './cleanup.ts';
import { FrrInstance, type OptionalDaemon } from './frr.ts';
import { frrRoot } from './frr-root.ts';
import type { Lan, LanNode } from './lan.ts';
import { runOk } from './run.ts';
import { waitFor } from './wait.ts';

const NODE = fileURLToPath(new URL('../../node_modules/.bin/node', import.meta.url));
export const BGP_METRICS_PORT = 9121;

export const nodeName = (n: LanNode): string => `node-${n.index}`;

/** Node objects with InternalIP = eth0's IPv4 address. */
export function bgpNodeManifests(nodes: readonly LanNode[]): string {
  return nodes.map((n) => [
    'apiVersion: v1', 'kind: Node', `metadata: {name: ${nodeName(n)}, labels: {kubernetes.io/hostname: ${nodeName(n)}}}`,
    `status: {addresses: [{type: InternalIP, address: "${n.ipv4}"}]}`,
  ].join('\n')).join('\n---\n') + '\n';
}

/** A Cluster Service with one ready endpoint on each of `nodes`, with its EndpointSlice. */
export function clusterServiceManifest(name: string, nodes: readonly LanNode[], created = '2026-01-01T00:00:00Z'): string {
  const endpoints = nodes.map((n, i) => `  - {addresses: [172.21.0.${i + 1}], nodeName: ${nodeName(n)}, conditions: {ready: true}}`).join('\n');
  return `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: demo, creationTimestamp: "${created}"}
spec: {type: LoadBalancer, externalTrafficPolicy: Cluster, clusterIPs: [172.20.0.1], selector: {app: ${name}}, ports: [{port: 80, protocol: TCP}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: ${name}-1, namespace: demo, labels: {kubernetes.io/service-name: ${name}}}
addressType: IPv4
endpoints:
${endpoints}
`;
}

export class BgpCluster {
  readonly dir: string;
  readonly lan: Lan;
  readonly #frr = new Map<number, FrrInstance>();
  readonly #speakers = new Map<number, BarelbProcess>();
  #controller: BarelbProcess | null = null;
  readonly #teardown = new Teardown();

  /** Makes the manifest directory; `destroy` removes it and everything started through this object. */
  constructor(lan: Lan) {
    this.lan = lan;
    this.dir = mkdtempSync(join(tmpdir(), 'barelb-bgp-'));
    tracked.addPath(this.dir);
    this.#teardown.defer(() => {
      rmSync(this.dir, { recursive: true, force: true });
      tracked.dropPath(this.dir);
    });
  }

  /** Writes a manifest atomically (temp file, then rename), so a watcher never reads half of it. */
  write(file: string, text: string): void {
    writeFileSync(join(this.dir, `${file}.tmp`), text);
    renameSync(join(this.dir, `${file}.tmp`), join(this.dir, file));
  }

  /** Starts the node's FRR empty (the speaker fills it). */
  async startFrr(node: LanNode, daemons: readonly OptionalDaemon[] = ['bfdd']): Promise<FrrInstance> {
    const frr = await FrrInstance.start({ netns: node.ns, config: 'frr defaults traditional\n', daemons });
    this.#teardown.defer(() => frr.stop());
    this.#frr.set(node.index, frr);
    return frr;
  }

  frr(node: LanNode): FrrInstance {
    const f = this.#frr.get(node.index);
    if (f === undefined) throw new Error(`no FRR on ${nodeName(node)}`);
    return f;
  }

  startController(): BarelbProcess {
    const c = BarelbProcess.start(['controller', '--local', this.dir, '--log-level', 'debug'], { label: 'controller' });
    this.#teardown.defer(async () => void (await c.stop()));
    this.#controller = c;
    return c;
  }

  /** The speaker of `node` inside its namespace, driving that node's FRR (start it first). */
  startSpeaker(node: LanNode, extraArgs: readonly string[] = []): BarelbProcess {
    const frr = this.frr(node);
    const root = frrRoot();
    const args = [
      'speaker', '--local', this.dir, '--node', nodeName(node), '--no-l2', '--log-level', 'debug', '--hostname', nodeName(node),
      '--vtysh', `chroot ${root} /usr/bin/vtysh`, '--frr-reload', `chroot ${root} /usr/lib/frr/frr-reload.py`,
      '--frr-root', root, '--frr-pathspace', frr.name, '--frr-poll-interval', '300',
      '--metrics-address', `127.0.0.1:${BGP_METRICS_PORT}`, ...extraArgs,
    ];
    const s = BarelbProcess.start(args, { label: `speaker-${node.index}`, netns: node.ns });
    this.#teardown.defer(async () => void (await s.stop()));
    this.#speakers.set(node.index, s);
    return s;
  }

  speaker(node: LanNode): BarelbProcess {
    const s = this.#speakers.get(node.index);
    if (s === undefined) throw new Error(`no speaker on ${nodeName(node)}`);
    return s;
  }

  /** The allocations the controller wrote, by Service key. */
  state(): Record<string, { ips: string[] }> {
    try {
      return (JSON.parse(readFileSync(join(this.dir, '.barelb', 'state.json'), 'utf8')) as { services: Record<string, { ips: string[] }> }).services;
    } catch {
      return {};
    }
  }

  /** Waits for the controller to allocate `service` (`namespace/name`) and returns its addresses. */
  waitForAllocation(service: string, timeoutMs = 20_000): Promise<string[]> {
    return waitFor(() => {
      const ips = this.state()[service]?.ips;
      return ips !== undefined && ips.length > 0 ? ips : null;
    }, timeoutMs, { what: `the controller to allocate ${service}` });
  }

  /** The speaker's /metrics text, fetched inside its namespace. */
  async metrics(node: LanNode): Promise<string> {
    const script = `fetch('http://127.0.0.1:${BGP_METRICS_PORT}/metrics').then((r) => r.text()).then((t) => process.stdout.write(t))`;
    return (await runOk('ip', ['netns', 'exec', node.ns.name, NODE, '-e', script], { timeoutMs: 10_000 })).stdout;
  }

  /** The value of one series (`name{labels}` exactly as exposed), or null when absent. */
  async metric(node: LanNode, series: string): Promise<number | null> {
    const line = (await this.metrics(node)).split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? null : Number(line.slice(series.length + 1));
  }

  /** The raw text of every log the controller and the speakers wrote, for checks over all of it. */
  allLogText(): string {
    return [this.#controller, ...this.#speakers.values()].filter((p) => p !== null).map((p) => {
      try {
        return readFileSync(p.logPath, 'utf8');
      } catch {
        return '';
      }
    }).join('');
  }

  /** Log tails of every process and FRR, for failure messages. */
  logs(lines = 40): string {
    const procs = [this.#controller, ...this.#speakers.values()].filter((p) => p !== null);
    return [...procs.map((p) => `--- ${p.label}\n${p.logTail(lines)}`), ...[...this.#frr.values()].map((f) => f.logTail(lines))].join('\n');
  }

  /** Stops the speakers, the controller and the node FRRs, and removes the manifest directory. */
  destroy(): Promise<void> {
    return this.#teardown.run();
  }
}

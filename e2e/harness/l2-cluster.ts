// barelb in local mode on the L2 lab: a manifest directory, the controller (in the router
// namespace) and one speaker per node namespace, all real processes stopped by PID, plus reads of
// the speakers' metrics and of the controller's state file.
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BarelbProcess } from './barelb.ts';
import { tracked } from './cleanup.ts';
import type { L2Lab, L2LabNode } from './l2-lab.ts';
import { runOk } from './run.ts';
import { waitFor } from './wait.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NODE = `${ROOT}node_modules/.bin/node`;
export const HEARTBEAT_SECRET = 'barelb-system/heartbeat';
export const METRICS_PORT = 9120;

/** Node objects with InternalIP = eth0's address (the heartbeat peers). */
export function nodeManifests(nodes: readonly L2LabNode[]): string {
  return nodes.map((n) => [
    'apiVersion: v1', 'kind: Node', `metadata: {name: ${n.name}, labels: {kubernetes.io/hostname: ${n.name}}}`,
    `status: {addresses: [{type: InternalIP, address: "${n.ipv4}"}, {type: Hostname, address: ${n.name}}]}`,
  ].join('\n')).join('\n---\n') + '\n';
}

export const heartbeatSecretManifest = [
  'apiVersion: v1', 'kind: Secret', 'metadata: {name: heartbeat, namespace: barelb-system}', 'type: Opaque',
  'stringData: {key: "e2e heartbeat key, 32+ bytes long"}', '',
].join('\n');

export class L2Cluster {
  readonly dir: string;
  readonly lab: L2Lab;
  readonly speakers = new Map<string, BarelbProcess>();
  /** Every process started, restarted ones included: each is stopped and its logs removed at the end. */
  readonly #all: BarelbProcess[] = [];
  controller: BarelbProcess | null = null;
  readonly #extraArgs: readonly string[];
  readonly #logLevel: string;

  /** `logLevel` of every process: debug for tests, info for benchmarks. */
  constructor(lab: L2Lab, extraSpeakerArgs: readonly string[] = [], logLevel = 'debug') {
    this.lab = lab;
    this.dir = mkdtempSync(join(tmpdir(), 'barelb-l2-'));
    tracked.addPath(this.dir);
    this.#extraArgs = extraSpeakerArgs;
    this.#logLevel = logLevel;
  }

  /** Writes a manifest atomically (temp file, then rename), so a watcher never reads half of it. */
  write(file: string, text: string): void {
    writeFileSync(join(this.dir, `${file}.tmp`), text);
    renameSync(join(this.dir, `${file}.tmp`), join(this.dir, file));
  }

  startController(): BarelbProcess {
    this.controller = BarelbProcess.start(['controller', '--local', this.dir, '--log-level', this.#logLevel], { label: 'controller', netns: this.lab.lan.router });
    this.#all.push(this.controller);
    return this.controller;
  }

  startSpeaker(node: L2LabNode): BarelbProcess {
    const args = [
      'speaker', '--local', this.dir, '--node', node.name, '--no-bgp', '--heartbeat-secret', HEARTBEAT_SECRET,
      '--metrics-address', `127.0.0.1:${METRICS_PORT}`, '--log-level', this.#logLevel, ...this.#extraArgs,
    ];
    const p = BarelbProcess.start(args, { label: `speaker-${node.index}`, netns: node.ns });
    this.speakers.set(node.name, p);
    this.#all.push(p);
    return p;
  }

  speaker(node: L2LabNode): BarelbProcess {
    const p = this.speakers.get(node.name);
    if (p === undefined) throw new Error(`no speaker on ${node.name}`);
    return p;
  }

  /** The allocations the controller wrote, by Service key. */
  state(): Record<string, { ips: string[] }> {
    try {
      return (JSON.parse(readFileSync(join(this.dir, '.barelb', 'state.json'), 'utf8')) as { services: Record<string, { ips: string[] }> }).services;
    } catch {
      return {};
    }
  }

  waitForAllocation(service: string, ips: readonly string[]): Promise<true> {
    return waitFor(() => JSON.stringify(this.state()[service]?.ips ?? []) === JSON.stringify(ips), 20_000, { what: `${service} to get ${ips.join(',')} (state: ${JSON.stringify(this.state())})` });
  }

  /**
   * Waits until every running speaker hears all the others and only `owner` announces `ip` for
   * `service`: after a failure and its repair, the next measurement starts from a settled cluster.
   */
  async waitForAgreement(service: string, ip: string, owner: L2LabNode, timeoutMs: number): Promise<void> {
    const nodes = this.lab.nodes;
    const agrees = async (n: L2LabNode): Promise<boolean> => {
      const alive = await this.metric(n, 'barelb_speaker_members_alive');
      const announced = await this.metric(n, `barelb_speaker_announced{service="${service}",protocol="layer2",node="${n.name}",ip="${ip}"}`);
      return alive === nodes.length && announced === (n === owner ? 1 : 0);
    };
    await waitFor(async () => (await Promise.all(nodes.map(agrees))).every(Boolean), timeoutMs, { what: `every speaker to agree that ${owner.name} owns ${ip}\n${this.logs()}`, intervalMs: 100 });
  }

  /** The speaker's /metrics text, fetched inside its namespace. */
  async metrics(node: L2LabNode): Promise<string> {
    const script = `fetch('http://127.0.0.1:${METRICS_PORT}/metrics').then((r) => r.text()).then((t) => process.stdout.write(t))`;
    const r = await runOk('ip', ['netns', 'exec', node.ns.name, NODE, '-e', script], { timeoutMs: 10_000 });
    return r.stdout;
  }

  /** The value of one series (`name{labels}` exactly as exposed), or 0 when absent. */
  async metric(node: L2LabNode, series: string): Promise<number> {
    const text = await this.metrics(node);
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? 0 : Number(line.slice(series.length + 1));
  }

  /** The `barelb_speaker_announced` series this speaker sets to 1 (labels as exposed), sorted. */
  async announced(node: L2LabNode): Promise<string[]> {
    const text = await this.metrics(node);
    return text.split('\n').filter((l) => l.startsWith('barelb_speaker_announced{') && l.endsWith(' 1')).map((l) => l.slice(0, -2)).sort();
  }

  /** Log tails of every process, for failure messages. */
  logs(lines = 40): string {
    return [this.controller, ...this.speakers.values()].filter((p) => p !== null).map((p) => `--- ${p.label}\n${p.logTail(lines)}`).join('\n');
  }

  async destroy(): Promise<void> {
    for (const p of this.#all) await p.stop();
    rmSync(this.dir, { recursive: true, force: true });
    tracked.dropPath(this.dir);
  }
}

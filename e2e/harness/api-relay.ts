// The kube-apiserver of e2e/cluster listens on the host's 127.0.0.1, which a process inside a node
// namespace cannot reach (its 127.0.0.1 is its own). This relays it in without touching the host's
// network: one relay in the host namespace listens on a unix socket (a file, seen from every
// namespace) and connects to 127.0.0.1:PORT; one relay per node namespace listens on that
// namespace's own 127.0.0.1:PORT and connects to the unix socket. The kubeconfig (server
// https://127.0.0.1:PORT, certificate SAN 127.0.0.1) then works unchanged inside the namespace.
// No veth, route or address is added anywhere; every relay is a child stopped by PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tracked } from './cleanup.ts';
import type { Netns } from './netns.ts';
import { waitFor } from './wait.ts';

const CHILD = fileURLToPath(new URL('./api-relay-child.ts', import.meta.url));
/** Each relay exits by itself after this long, even if its owner never stops it. */
const LIFETIME_MS = 30 * 60_000;

class RelayProcess {
  readonly label: string;
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;
  #out = '';

  constructor(label: string, argv: readonly string[]) {
    this.label = label;
    const [file = '', ...args] = argv;
    this.#child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    if (this.#child.pid === undefined) throw new Error(`relay ${label} did not start`);
    tracked.addPid(this.#child.pid);
    this.#exited = new Promise((resolve) => this.#child.once('exit', () => resolve()));
    for (const stream of [this.#child.stdout, this.#child.stderr]) stream?.on('data', (chunk: Buffer) => (this.#out += chunk.toString('utf8')));
  }

  ready(): Promise<true> {
    return waitFor(() => {
      if (this.#child.exitCode !== null) throw new Error(`relay ${this.label} exited: ${this.#out}`);
      return this.#out.includes('"ready"');
    }, 10_000, { what: `relay ${this.label} to listen`, intervalMs: 20 });
  }

  async stop(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
    await this.#exited;
    if (this.#child.pid !== undefined) tracked.dropPid(this.#child.pid);
  }
}

export class ApiRelay {
  readonly port: number;
  readonly #dir: string;
  readonly #socket: string;
  readonly #relays: RelayProcess[] = [];

  private constructor(port: number) {
    this.port = port;
    this.#dir = mkdtempSync(join(tmpdir(), 'barelb-api-relay-'));
    tracked.addPath(this.#dir);
    this.#socket = join(this.#dir, 'api.sock');
  }

  /** Starts the host-side relay to 127.0.0.1:`port`. */
  static async start(port: number): Promise<ApiRelay> {
    const relay = new ApiRelay(port);
    try {
      await relay.#add('host', [process.execPath, CHILD, 'unix-to-tcp', relay.#socket, '127.0.0.1', String(port), String(LIFETIME_MS)]);
    } catch (error) {
      await relay.stop();
      throw error;
    }
    return relay;
  }

  /** Makes 127.0.0.1:`port` inside `ns` lead to the API server. */
  async into(ns: Netns): Promise<void> {
    await this.#add(ns.name, ['ip', 'netns', 'exec', ns.name, process.execPath, CHILD, 'tcp-to-unix', '127.0.0.1', String(this.port), this.#socket, String(LIFETIME_MS)]);
  }

  async #add(label: string, argv: readonly string[]): Promise<void> {
    const r = new RelayProcess(label, argv);
    this.#relays.push(r);
    await r.ready();
  }

  /** Stops every relay by PID and removes the socket's directory. Idempotent. */
  async stop(): Promise<void> {
    for (const r of this.#relays.splice(0).reverse()) await r.stop();
    rmSync(this.#dir, { recursive: true, force: true });
    tracked.dropPath(this.#dir);
  }
}

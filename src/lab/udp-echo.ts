// Traffic that says which node carried it: a UDP server per node answering with the node's name,
// and a bounded client probe that records every answer's sender and arrival time (epoch ms).
// Every child runs with this process's Node, inside a namespace, and is recorded by PID.
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import type { Netns } from './netns.ts';
import { waitFor } from './wait.ts';

const NODE = process.execPath;
/** The child script: `NODE ECHO_CHILD serve NAME PORT` runs a server (see the script's header). */
export const ECHO_CHILD = fileURLToPath(new URL(`./udp-echo-child.${import.meta.url.endsWith('.js') ? 'js' : 'ts'}`, import.meta.url));
const CHILD = ECHO_CHILD;
export const ECHO_PORT = 9000;

export type EchoEvent =
  | { readonly event: 'ready' }
  | { readonly event: 'reply'; readonly from: string; readonly at: number }
  | { readonly event: 'done'; readonly sent: number };

function spawnChild(ns: Netns, args: readonly string[], timeoutMs: number) {
  return execa('ip', ['netns', 'exec', ns.name, NODE, CHILD, ...args], {
    reject: false, timeout: timeoutMs, forceKillAfterDelay: 1_000, stdin: 'ignore', env: { LC_ALL: 'C' },
  });
}

/** One child (server or probe) and the events it printed so far. */
export class EchoProcess {
  readonly events: EchoEvent[] = [];
  readonly #child: ReturnType<typeof spawnChild>;
  #partial = '';

  readonly #ns: Netns;

  constructor(ns: Netns, args: readonly string[], timeoutMs: number) {
    this.#ns = ns;
    this.#child = spawnChild(ns, args, timeoutMs);
    if (this.#child.pid !== undefined) ns.tracker.addPid(this.#child.pid);
    this.#child.stdout.setEncoding('utf8');
    this.#child.stdout.on('data', (chunk: string) => {
      const lines = (this.#partial + chunk).split('\n');
      this.#partial = lines.pop() ?? '';
      for (const line of lines) this.events.push(JSON.parse(line) as EchoEvent);
    });
  }

  ready(): Promise<true> {
    return waitFor(() => this.events.some((e) => e.event === 'ready'), 10_000, { what: 'the UDP echo child to start', intervalMs: 20 });
  }

  /** Replies after `after` (epoch ms), in arrival order. */
  replies(after = 0): { from: string; at: number }[] {
    return this.events.flatMap((e) => (e.event === 'reply' && e.at > after ? [{ from: e.from, at: e.at }] : []));
  }

  /** Waits for the child to end by itself (a probe); a server is killed. */
  async stop(): Promise<void> {
    this.#child.kill('SIGKILL');
    await this.#child;
    if (this.#child.pid !== undefined) this.#ns.tracker.dropPid(this.#child.pid);
  }

  async finished(): Promise<void> {
    await this.#child;
    if (this.#child.pid !== undefined) this.#ns.tracker.dropPid(this.#child.pid);
  }
}

/** One request to `target` from inside `ns`: the name of the node that answered, or null. */
export async function askOnce(ns: Netns, target: string, timeoutMs = 2_000): Promise<string | null> {
  const r = await execa('ip', ['netns', 'exec', ns.name, NODE, CHILD, 'ask', target, String(ECHO_PORT), String(timeoutMs)], {
    reject: false, timeout: timeoutMs + 10_000, stdin: 'ignore', env: { LC_ALL: 'C' },
  });
  if (r.exitCode !== 0) return null;
  const event = JSON.parse(String(r.stdout).trim()) as EchoEvent;
  return event.event === 'reply' ? event.from : null;
}

export function startEchoServer(ns: Netns, name: string): EchoProcess {
  return new EchoProcess(ns, ['serve', name, String(ECHO_PORT)], 60 * 60_000);
}

/** Sends `count` datagrams to `target`, one every `intervalMs`: bounded by construction. */
export function startProbe(ns: Netns, target: string, intervalMs: number, count: number): EchoProcess {
  return new EchoProcess(ns, ['probe', target, String(ECHO_PORT), String(intervalMs), String(count)], intervalMs * count + 15_000);
}

// barelb itself as a process under test: `barelb controller|speaker …` started with the pinned
// Node (optionally inside a namespace), logs to a file, stopped by PID (SIGTERM, then SIGKILL).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { tracked } from './cleanup.ts';
import type { Netns } from './netns.ts';

const repo = resolve(new URL('../..', import.meta.url).pathname);
const nodeBin = process.execPath;
const entry = join(repo, 'src/bin/barelb.ts');
const builtEntry = join(repo, 'dist/bin/barelb.js');
const STOP_GRACE_MS = 5_000;

/**
 * How the image runs barelb (Dockerfile.speaker): the build in dist/ (`npm run build`, part of
 * `npm test`) with the image's environment (NODE_OPTIONS given as node flags) and the node flags of
 * its ENTRYPOINT, read from the Dockerfile so tests cannot drift from what ships.
 */
export function imageRuntime(): { readonly built: true; readonly nodeArgs: readonly string[]; readonly env: Readonly<Record<string, string>> } {
  if (!existsSync(builtEntry)) throw new Error(`${builtEntry} is missing: run \`npm run build\` first (npm test does)`);
  const dockerfile = readFileSync(join(repo, 'Dockerfile.speaker'), 'utf8');
  const env: Record<string, string> = {};
  for (const line of dockerfile.matchAll(/^ENV\s+(.+)$/gm)) {
    for (const pair of (line[1] ?? '').trim().split(/\s+/)) {
      const at = pair.indexOf('=');
      if (at > 0) env[pair.slice(0, at)] = pair.slice(at + 1);
    }
  }
  const { NODE_OPTIONS: options, ...rest } = env;
  if (options === undefined) throw new Error('Dockerfile.speaker sets no NODE_OPTIONS');
  // ENTRYPOINT ["node", <V8 flags>..., "/opt/barelb/dist/bin/barelb.js"]: the flags between.
  const entrypoint = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(dockerfile)?.[1];
  const argv = entrypoint === undefined ? null : (JSON.parse(entrypoint) as unknown);
  if (!Array.isArray(argv) || argv[0] !== 'node' || !String(argv.at(-1)).endsWith('/dist/bin/barelb.js')) {
    throw new Error(`Dockerfile.speaker: expected ENTRYPOINT ["node", flags..., ".../dist/bin/barelb.js"], found ${entrypoint ?? 'none'}`);
  }
  return { built: true, nodeArgs: [...options.split(' '), ...argv.slice(1, -1).map(String)], env: rest };
}

export type BarelbProcessOptions = {
  /** Runs the process inside this namespace (needed for L2; BGP speakers reach FRR via --vtysh). */
  readonly netns?: Netns;
  readonly label: string;
  /** Run the build (dist/bin/barelb.js, `npm run build`) instead of the sources: what the image ships. */
  readonly built?: boolean;
  /** Another build's dist/bin/barelb.js (benchmarks comparing builds); wins over `built`. */
  readonly entry?: string;
  /** Node/V8 flags before the entry, e.g. the image's (imageRuntime). */
  readonly nodeArgs?: readonly string[];
  /** Added to the environment, e.g. the image's. */
  readonly env?: Readonly<Record<string, string>>;
};

export class BarelbProcess {
  readonly label: string;
  readonly logPath: string;
  readonly #child: ChildProcess;
  readonly #dir: string;
  #exit: Promise<number | null>;

  private constructor(label: string, child: ChildProcess, dir: string, logPath: string) {
    this.label = label;
    this.#child = child;
    this.#dir = dir;
    this.logPath = logPath;
    this.#exit = new Promise((res) => child.once('exit', (code, signal) => res(signal === null ? code : null)));
  }

  /** Starts `barelb ARGS…`; the PID is tracked so a failed test still removes it. */
  static start(args: readonly string[], options: BarelbProcessOptions): BarelbProcess {
    const dir = mkdtempSync(join(tmpdir(), `barelb-${options.label}-`));
    tracked.addPath(dir);
    const logPath = join(dir, 'log.jsonl');
    const log = openSync(logPath, 'a');
    const argv = [nodeBin, ...(options.nodeArgs ?? []), options.entry ?? (options.built === true ? builtEntry : entry), ...args];
    const [file, ...rest] = options.netns === undefined ? argv : ['ip', 'netns', 'exec', options.netns.name, ...argv];
    const child = spawn(file ?? nodeBin, rest, { stdio: ['ignore', log, log], cwd: repo, env: { ...process.env, ...options.env } });
    closeSync(log);
    if (child.pid === undefined) throw new Error(`barelb ${args.join(' ')} did not start`);
    tracked.addPid(child.pid);
    return new BarelbProcess(options.label, child, dir, logPath);
  }

  get pid(): number {
    return this.#child.pid ?? -1;
  }

  get exited(): boolean {
    return this.#child.exitCode !== null || this.#child.signalCode !== null;
  }

  /** The structured log lines written so far (unparseable lines are kept as {raw}). */
  logLines(): Record<string, unknown>[] {
    let text = '';
    try {
      text = readFileSync(this.logPath, 'utf8');
    } catch {
      return [];
    }
    return text.split('\n').filter((l) => l !== '').map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        return { raw: l };
      }
    });
  }

  logTail(lines = 30): string {
    return this.logLines().slice(-lines).map((l) => JSON.stringify(l)).join('\n');
  }

  /** SIGKILL, as a crash. */
  async kill(): Promise<void> {
    if (!this.exited) this.#child.kill('SIGKILL');
    await this.#exit;
    tracked.dropPid(this.pid);
  }

  /** SIGTERM, then SIGKILL after a grace period; removes the log directory. Returns the exit code. */
  async stop(keepLogs = false): Promise<number | null> {
    if (!this.exited) this.#child.kill('SIGTERM');
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), STOP_GRACE_MS);
    const code = await this.#exit;
    clearTimeout(timer);
    tracked.dropPid(this.pid);
    if (!keepLogs) {
      rmSync(this.#dir, { recursive: true, force: true });
      tracked.dropPath(this.#dir);
    }
    return code;
  }
}

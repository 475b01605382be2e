// One FRR 10.x instance (mgmtd, zebra, bgpd, and staticd/bfdd) run from the cached chroot inside
// a network namespace: start with an frr.conf, vtysh, JSON shows, config loads, stop by PID.
// Shared by the lab (detached daemons that outlive `barelb lab up`) and the e2e harness.
//
// Start recipe. NAME is the instance's pathspace (= its netns name), so instances share one chroot:
// config in ROOT/etc/frr/NAME/, sockets and pid files in ROOT/run/frr/NAME/ (both created frr:frr
// 0755). For each daemon D, in the order mgmtd, zebra, staticd, bfdd, bgpd, spawn in the foreground
//   ip netns exec NS unshare --mount --propagation private --mount-proc=ROOT/proc \
//     chroot ROOT /usr/lib/frr/D -N NAME -P 0 --log stdout          (stdout+stderr -> ROOT/run/frr/NAME/D.log)
// and wait for ROOT/run/frr/NAME/D.vty. `ip netns exec`, `unshare` and `chroot` all exec, so the
// spawned PID is the daemon's own. /proc is mounted inside a private mount namespace that dies with
// the daemon: nothing is mounted on the host and nothing needs unmounting. -P 0 disables the TCP vty.
// Then `ip netns exec NS chroot ROOT vtysh -N NAME -b` loads the integrated frr.conf into every
// daemon, as frrinit.sh does. mgmtd is required in 10.x: without it vtysh -b still exits 0 but
// static routes are silently dropped (zebra and staticd take config through mgmtd).
// Stop: SIGTERM each PID in reverse order, SIGKILL after 5 s, then remove NAME's directories and
// the per-PID crash-log directories (ROOT/var/tmp/frr/D.PID).
import { chownSync, closeSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { frrRoot, inRoot } from './frr-root.ts';
import type { Netns } from './netns.ts';
import { describeFailure, run } from './run.ts';
import type { RunResult } from './run.ts';
import { waitFor } from './wait.ts';

export interface ConfigCheck {
  readonly ok: boolean;
  /** vtysh's stdout and stderr: `line N: % Unknown command…` and daemon explanations. */
  readonly output: string;
}

export const OPTIONAL_DAEMONS = ['staticd', 'bfdd'] as const;
export type OptionalDaemon = (typeof OPTIONAL_DAEMONS)[number];
export type FrrDaemon = 'mgmtd' | 'zebra' | 'bgpd' | OptionalDaemon;

export interface FrrStartOptions {
  /** The namespace the daemons run in; its name is also the FRR pathspace. */
  readonly netns: Netns;
  /** Integrated frr.conf text, loaded with `vtysh -b` once every daemon is up. */
  readonly config: string;
  /** Daemons besides mgmtd, zebra and bgpd. Default: staticd and bfdd. */
  readonly daemons?: readonly OptionalDaemon[];
  /** Deadline for the whole start. Default 30 s. */
  readonly timeoutMs?: number;
  /**
   * Daemons in their own session, not holding this process open: they outlive it and are stopped
   * by PID from the tracker's record (the lab). Default false.
   */
  readonly detached?: boolean;
}

export interface VtyshOptions {
  /** Default 15 s. */
  readonly timeoutMs?: number;
}

interface RunningDaemon {
  readonly name: FrrDaemon;
  readonly pid: number;
  readonly process: ChildProcess;
  /** Resolves when the daemon has exited, whatever the cause. */
  readonly exit: Promise<void>;
  exited: boolean;
}

const STOP_GRACE_MS = 5_000;
let fileCounter = 0;

/** vtysh access to the FRR instance whose pathspace is the namespace's name, wherever it was started. */
export interface FrrVty {
  readonly name: string;
  /** Runs `vtysh -N NAME args…` (e.g. `['-c', 'show bgp summary json']`); any exit code is returned. */
  vtysh(args: readonly string[], options?: VtyshOptions): Promise<RunResult>;
  /** Runs show/exec commands in one vtysh session and returns stdout; a failure throws. */
  show(...commands: readonly string[]): Promise<string>;
  /** Runs one `show … json` command and parses its output. */
  showJson(command: string): Promise<unknown>;
}

/** vtysh on the instance in `netns` (pathspace = the namespace's name), started by this process or not. */
export function frrVty(netns: Netns): FrrVty {
  const vty: FrrVty = {
    name: netns.name,
    vtysh: (args, options = {}) =>
      netns.exec('chroot', [frrRoot(), '/usr/bin/vtysh', '-N', netns.name, ...args], { timeoutMs: options.timeoutMs ?? 15_000 }),
    async show(...commands) {
      const result = await vty.vtysh(commands.flatMap((command) => ['-c', command]));
      if (result.exitCode !== 0) throw new Error(describeFailure(result));
      return result.stdout;
    },
    async showJson(command) {
      const text = await vty.show(command);
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new Error(`${netns.name}: '${command}' did not print JSON:\n${text.slice(0, 500)}`);
      }
    },
  };
  return vty;
}

export class FrrInstance implements FrrVty {
  /** Pathspace and netns name. */
  readonly name: string;
  readonly netns: Netns;
  readonly #daemons: RunningDaemon[] = [];
  readonly #vty: FrrVty;
  #detached = false;
  #stopped = false;

  private constructor(netns: Netns) {
    this.netns = netns;
    this.name = netns.name;
    this.#vty = frrVty(netns);
  }

  /** Starts the daemons in `options.netns` and loads `options.config`; on failure stops what started. */
  static async start(options: FrrStartOptions): Promise<FrrInstance> {
    const instance = new FrrInstance(options.netns);
    instance.#detached = options.detached ?? false;
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    try {
      await instance.#prepareDirs(options.config);
      const order: FrrDaemon[] = ['mgmtd', 'zebra', ...(options.daemons ?? OPTIONAL_DAEMONS), 'bgpd'];
      for (const daemon of order) await instance.#spawn(daemon, deadline);
      const boot = await instance.vtysh(['-b'], { timeoutMs: Math.max(1_000, deadline - Date.now()) });
      if (boot.exitCode !== 0) throw new Error(`loading frr.conf failed: ${describeFailure(boot)}`);
      return instance;
    } catch (error) {
      const logs = instance.logTail(20);
      await instance.stop();
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`FRR instance ${instance.name} did not start: ${message}\n${logs}`, { cause: error });
    }
  }

  /** Host path of a path inside this instance's runtime directory. */
  get runDir(): string {
    return inRoot(`/run/frr/${this.name}`);
  }

  /** PIDs of the daemons still running, by daemon. */
  get pids(): ReadonlyMap<FrrDaemon, number> {
    return new Map(this.#daemons.filter((d) => !d.exited).map((d) => [d.name, d.pid]));
  }

  vtysh(args: readonly string[], options: VtyshOptions = {}): Promise<RunResult> {
    return this.#vty.vtysh(args, options);
  }

  show(...commands: readonly string[]): Promise<string> {
    return this.#vty.show(...commands);
  }

  showJson(command: string): Promise<unknown> {
    return this.#vty.showJson(command);
  }

  /** Runs `configure terminal` followed by `lines` in one session (stops at the first failure). */
  configure(lines: readonly string[]): Promise<RunResult> {
    return this.vtysh(['configure terminal', ...lines].flatMap((line) => ['-c', line]));
  }

  /** Applies config text to the live daemons with `vtysh -f` (best effort; ok only if every line took). */
  loadConfig(text: string): Promise<ConfigCheck> {
    return this.#withRunFile('load', text, async (inside) => {
      const result = await this.vtysh(['-f', inside], { timeoutMs: 60_000 });
      return { ok: result.exitCode === 0, output: `${result.stdout}${result.stderr}` };
    });
  }

  /**
   * Runs `frr-reload.py --test|--reload -N NAME --stdout` with `text` as the new config. `test`
   * prints "Lines To Delete/Add" and exits 0 even with a diff (1 only for a CLI syntax error).
   */
  frrReload(text: string, mode: 'test' | 'reload'): Promise<RunResult> {
    return this.#withRunFile('reload', text, (inside) =>
      this.netns.exec('chroot', [frrRoot(), '/usr/lib/frr/frr-reload.py', `--${mode}`, '-N', this.name, '--stdout', inside], {
        timeoutMs: 120_000,
      }),
    );
  }

  /** The last `lines` lines of each daemon's log, for failure reports. */
  logTail(lines: number): string {
    return this.#daemons
      .map((d) => {
        let text = '';
        try {
          text = readFileSync(`${this.runDir}/${d.name}.log`, 'utf8');
        } catch {
          text = '(no log)';
        }
        return `--- ${this.name} ${d.name} ---\n${text.split('\n').slice(-lines).join('\n')}`;
      })
      .join('\n');
  }

  /** Stops every daemon by PID (TERM, then KILL after 5 s) and removes the instance's files. Idempotent. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const daemon of [...this.#daemons].reverse()) {
      if (!daemon.exited) daemon.process.kill('SIGTERM');
      if (!(await exitsWithin(daemon, STOP_GRACE_MS))) {
        daemon.process.kill('SIGKILL');
        await daemon.exit;
      }
      this.netns.tracker.dropPid(daemon.pid);
      this.#removeDir(inRoot(`/var/tmp/frr/${daemon.name}.${daemon.pid}`));
    }
    this.#removeDir(inRoot(`/etc/frr/${this.name}`));
    this.#removeDir(this.runDir);
  }

  /** Writes `text` to a regular file in the runtime dir (vtysh -f cannot read pipes) for `use`. */
  async #withRunFile<T>(kind: string, text: string, use: (pathInside: string) => Promise<T>): Promise<T> {
    fileCounter += 1;
    const inside = `/run/frr/${this.name}/${kind}-${fileCounter}.conf`;
    writeFileSync(inRoot(inside), text, { mode: 0o600 });
    try {
      return await use(inside);
    } finally {
      rmSync(inRoot(inside), { force: true });
    }
  }

  #removeDir(path: string): void {
    rmSync(path, { recursive: true, force: true });
    this.netns.tracker.dropPath(path);
  }

  async #prepareDirs(config: string): Promise<void> {
    const etc = `/etc/frr/${this.name}`;
    const runtime = `/run/frr/${this.name}`;
    this.netns.tracker.addPath(inRoot(etc));
    this.netns.tracker.addPath(inRoot(runtime));
    const made = await run('chroot', [frrRoot(), 'install', '-d', '-o', 'frr', '-g', 'frr', '-m', '0755', etc, runtime]);
    if (made.exitCode !== 0) throw new Error(describeFailure(made));
    const { uid, gid } = statSync(inRoot(etc));
    for (const [file, text] of [['vtysh.conf', 'service integrated-vtysh-config\n'], ['frr.conf', config]] as const) {
      writeFileSync(inRoot(`${etc}/${file}`), text, { mode: 0o640 });
      chownSync(inRoot(`${etc}/${file}`), uid, gid);
    }
  }

  async #spawn(name: FrrDaemon, deadline: number): Promise<void> {
    const root = frrRoot();
    const log = openSync(`${this.runDir}/${name}.log`, 'a');
    // A plain spawn, not execa: the daemon must write to the log fd itself (execa pipes numeric fds
    // of non-literal type through Node), and it outlives any timeout. Exit handlers kill it by PID.
    let child: ChildProcess;
    try {
      child = spawn(
        'ip',
        ['netns', 'exec', this.name, 'unshare', '--mount', '--propagation', 'private', `--mount-proc=${root}/proc`,
          'chroot', root, `/usr/lib/frr/${name}`, '-N', this.name, '-P', '0', '--log', 'stdout'],
        { stdio: ['ignore', log, log], env: { ...process.env, LC_ALL: 'C' }, detached: this.#detached },
      );
    } finally {
      closeSync(log);
    }
    if (this.#detached) child.unref();
    const exit = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', () => resolve());
    });
    const pid = child.pid;
    if (pid === undefined) throw new Error(`could not spawn ${name} (is iproute2 installed?)`);
    const daemon: RunningDaemon = { name, pid, process: child, exit, exited: false };
    void exit.then(() => {
      daemon.exited = true;
    });
    this.#daemons.push(daemon);
    this.netns.tracker.addPid(pid);
    this.netns.tracker.addPath(inRoot(`/var/tmp/frr/${name}.${pid}`));
    const socket = `${this.runDir}/${name}.vty`;
    await waitFor(() => daemon.exited || statSafe(socket), Math.max(0, deadline - Date.now()), {
      intervalMs: 50,
      what: `${name}'s vty socket ${socket}`,
    });
    if (daemon.exited) throw new Error(`${name} exited during start-up`);
  }
}

async function exitsWithin(daemon: RunningDaemon, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([daemon.exit.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function statSafe(path: string): boolean {
  try {
    return statSync(path).isSocket();
  } catch {
    return false;
  }
}

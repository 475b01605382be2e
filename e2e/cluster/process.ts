// One long-running child (etcd or kube-apiserver): started with its output in a log file, its PID
// registered with the e2e cleanup registry (killed at exit if its owner never stops it), and
// stopped by that PID alone: SIGTERM, then SIGKILL after a grace period, then reaped.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tracked } from '../harness/cleanup.ts';

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** SIGKILL's reaping is immediate in practice; this only bounds a wait that should not hang. */
const REAP_TIMEOUT_MS = 10_000;

export class ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves when the process has exited, whatever the cause. */
  readonly exited: Promise<Exit>;
  #exit: Exit | undefined;
  readonly #child: ChildProcess;

  private constructor(name: string, child: ChildProcess, pid: number, logFile: string) {
    this.name = name;
    this.#child = child;
    this.pid = pid;
    this.logFile = logFile;
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#exit = { code, signal };
        tracked.dropPid(pid);
        resolve(this.#exit);
      });
    });
  }

  /**
   * Spawns `file args…` with stdout and stderr appended to `logFile`, and writes its PID to
   * `pidFile` (read by the stale-run sweep). Throws when the executable cannot be started.
   */
  static async start(name: string, file: string, args: readonly string[], logFile: string, pidFile: string): Promise<ManagedProcess> {
    const fd = openSync(logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn(file, args, { stdio: ['ignore', fd, fd], env: { ...process.env, LC_ALL: 'C' } });
    } finally {
      closeSync(fd);
    }
    const pid = child.pid;
    if (pid === undefined) {
      const error = await new Promise<Error>((resolve) => child.once('error', resolve));
      throw new Error(`could not start ${name} (${file}): ${error.message}`);
    }
    tracked.addPid(pid);
    writeFileSync(pidFile, `${pid}\n`);
    return new ManagedProcess(name, child, pid, logFile);
  }

  get running(): boolean {
    return this.#exit === undefined;
  }

  /** How it ended, once it has: for error messages. */
  describeExit(): string {
    if (this.#exit === undefined) return `${this.name} (pid ${this.pid}) is running`;
    const how = this.#exit.signal === null ? `code ${String(this.#exit.code)}` : `signal ${this.#exit.signal}`;
    return `${this.name} (pid ${this.pid}) exited with ${how}`;
  }

  /** SIGTERM, SIGKILL after `graceMs`, and waits until the process is reaped. Idempotent. */
  async stop(graceMs: number): Promise<void> {
    if (!this.running) return;
    this.#child.kill('SIGTERM');
    if (await settlesWithin(this.exited, graceMs)) return;
    this.#child.kill('SIGKILL');
    if (!(await settlesWithin(this.exited, REAP_TIMEOUT_MS))) {
      throw new Error(`${this.name} (pid ${this.pid}) survived SIGKILL for ${REAP_TIMEOUT_MS} ms`);
    }
  }

  /** The last `lines` lines of the log. */
  logTail(lines = 40): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}

async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

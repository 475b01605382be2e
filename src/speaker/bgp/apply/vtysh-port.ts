// FrrPort over vtysh and frr-reload.py (FRR 10.x): argument arrays and timeouts, never a shell;
// one `vtysh -f FILE` per batch (README: -c took 25 s for 1,000 lines). The command prefix is
// configurable: tests run `ip netns exec NS chroot ROOT vtysh -N NAME`, production `vtysh`.
import { chown, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { err, ok } from '../../../core/result.ts';
import type { Result } from '../../../core/result.ts';
import type { BatchOptions, FrrPort, PortFailure, PortFailureReason, PortResult } from './frr-port.ts';
import { redact } from './redact.ts';
import { runCommand } from './run-command.ts';
import { readDaemons, readVtyshOutput } from './vtysh-output.ts';

export interface VtyshPortOptions {
  /** Runs vtysh, before its arguments. Default `['vtysh']`. */
  readonly vtysh?: readonly string[];
  /** Runs frr-reload.py, before its arguments. Default `['/usr/lib/frr/frr-reload.py']`. */
  readonly reload?: readonly string[];
  /** FRR pathspace (`-N NAME`) for vtysh and frr-reload.py. */
  readonly pathspace?: string;
  /** Host directory for batch files (regular files, mode 0600, removed after use). */
  readonly scratchDir: string;
  /** The same directory as FRR's commands see it (inside a chroot). Default `scratchDir`. */
  readonly scratchDirInFrr?: string;
  /** The file FRR loads at (re)start, e.g. `/etc/frr/frr.conf`. */
  readonly configPath: string;
  /** Daemons that must be running for config to count as applied. Default `['bgpd']`. */
  readonly requiredDaemons?: readonly string[];
  /** Per vtysh call, ms. Default 30 s. */
  readonly timeoutMs?: number;
  /** Per frr-reload.py call, ms. Default 120 s. */
  readonly reloadTimeoutMs?: number;
}

interface Ran {
  readonly exitCode: number;
  readonly output: string;
}

let fileCounter = 0;

export class VtyshPort implements FrrPort {
  readonly #o: VtyshPortOptions;
  readonly #pathspace: readonly string[];

  constructor(options: VtyshPortOptions) {
    this.#o = options;
    this.#pathspace = options.pathspace === undefined ? [] : ['-N', options.pathspace];
  }

  async runBatch(commands: readonly string[], options: BatchOptions = {}): Promise<PortResult> {
    const daemon = options.target === 'bgpd' ? ['-d', 'bgpd'] : [];
    return this.#withScratchFile('batch', `${commands.join('\n')}\n`, async (file) => {
      const ran = await this.#vtysh([...daemon, '-f', file]);
      if (!ran.ok) return ran;
      const report = readVtyshOutput(ran.value.output, commands);
      if (ran.value.exitCode !== 0) return failure(report.reason ?? 'rejected', `vtysh -f exited ${ran.value.exitCode}`, report.messages);
      // Forked children print `[pid|bgpd] done`; a missing daemon is skipped silently (rc 0) [lab 10.3].
      const missing = daemon.length > 0 ? [] : this.#required().filter((d) => !report.done.has(d));
      if (missing.length > 0) return failure('unreachable', `${missing.join(', ')} did not take the batch (not running?)`, report.messages);
      return ok({ warnings: report.messages });
    });
  }

  async runExec(commands: readonly string[]): Promise<PortResult> {
    const ran = await this.#vtysh(commands.flatMap((c) => ['-c', c]));
    if (!ran.ok) return ran;
    const report = readVtyshOutput(ran.value.output);
    if (ran.value.exitCode !== 0) return failure(report.reason ?? 'rejected', `vtysh -c exited ${ran.value.exitCode}`, report.messages);
    return ok({ warnings: report.messages.filter((m) => m.startsWith('%')) });
  }

  async showRunning(): Promise<Result<string, PortFailure>> {
    const ran = await this.#vtysh(['-c', 'show daemons', '-c', 'show running-config']);
    if (!ran.ok) return ran;
    const { exitCode, output } = ran.value;
    if (exitCode !== 0) return failure(readVtyshOutput(output).reason ?? 'unreachable', `show running-config exited ${exitCode}`, [redact(output.trim())]);
    const newline = output.indexOf('\n');
    const daemons = readDaemons(output.slice(0, Math.max(0, newline)));
    // Without bgpd, vtysh prints the other daemons' config and exits 0 [lab 10.3]: not a baseline.
    const missing = this.#required().filter((d) => !daemons.has(d));
    if (missing.length > 0) return failure('unreachable', `${missing.join(', ')} not running`, []);
    return ok(output.slice(newline + 1));
  }

  async reload(fullText: string): Promise<PortResult> {
    return this.#withScratchFile('reload', fullText, async (file) => {
      const [command, ...prefix] = this.#o.reload ?? ['/usr/lib/frr/frr-reload.py'];
      const args = [...prefix, '--reload', '--overwrite', '--stdout', ...this.#pathspace, file];
      const ran = await execute(command ?? 'frr-reload.py', args, this.#o.reloadTimeoutMs ?? 120_000);
      if (!ran.ok) return ran;
      if (ran.value.exitCode === 0) return ok({ warnings: [] });
      const tail = ran.value.output.trim().split('\n').slice(-15).map(redact);
      return failure('rejected', `frr-reload.py exited ${ran.value.exitCode}`, tail);
    });
  }

  async writeConfigFile(text: string): Promise<Result<void, PortFailure>> {
    const path = this.#o.configPath;
    fileCounter += 1;
    const temp = join(dirname(path), `.${basename(path)}.barelb-${process.pid}-${fileCounter}`);
    try {
      await writeFile(temp, text, { mode: 0o600 });
      // Keep the owner FRR gave the file (frr:frr), so a non-root FRR can still read it.
      const owner = await stat(path).catch(() => undefined);
      if (owner !== undefined) await chown(temp, owner.uid, owner.gid);
      await rename(temp, path);
      return ok(undefined);
    } catch (error) {
      await rm(temp, { force: true });
      return failure('io', `writing ${path}: ${error instanceof Error ? error.message : String(error)}`, []);
    }
  }

  #required(): readonly string[] {
    return this.#o.requiredDaemons ?? ['bgpd'];
  }

  #vtysh(args: readonly string[]): Promise<Result<Ran, PortFailure>> {
    const [command, ...prefix] = this.#o.vtysh ?? ['vtysh'];
    return execute(command ?? 'vtysh', [...prefix, ...this.#pathspace, ...args], this.#o.timeoutMs ?? 30_000);
  }

  async #withScratchFile<T>(kind: string, text: string, use: (pathInFrr: string) => Promise<T | Result<never, PortFailure>>): Promise<T | Result<never, PortFailure>> {
    fileCounter += 1;
    const name = `barelb-${kind}-${process.pid}-${fileCounter}.conf`;
    const host = join(this.#o.scratchDir, name);
    try {
      await writeFile(host, text, { mode: 0o600 });
    } catch (error) {
      return failure('io', `writing ${host}: ${error instanceof Error ? error.message : String(error)}`, []);
    }
    try {
      return await use(join(this.#o.scratchDirInFrr ?? this.#o.scratchDir, name));
    } finally {
      await rm(host, { force: true });
    }
  }
}

async function execute(command: string, args: readonly string[], timeout: number): Promise<Result<Ran, PortFailure>> {
  const result = await runCommand(command, args, { timeoutMs: timeout, killAfterMs: 2_000, env: { LC_ALL: 'C' } });
  const name = [command, ...args.slice(-2)].join(' ');
  if (result.timedOut) return failure('timeout', `${redact(name)} timed out after ${timeout} ms`, []);
  if (result.exitCode === undefined) return failure('unreachable', `could not run ${command}: ${redact(result.message)}`, []);
  return ok({ exitCode: result.exitCode, output: result.all });
}

function failure(reason: PortFailureReason, message: string, details: readonly string[]): Result<never, PortFailure> {
  return err({ reason, message: redact(message), details: details.map(redact) });
}

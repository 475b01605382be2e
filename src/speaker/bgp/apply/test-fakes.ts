// Fakes of the apply path's ports for unit tests: an FRR that applies batches to a config model
// (testing.ts applyLines) and can be told to fail, and a clock that only moves when told to.
import { err, ok } from '../../../core/result.ts';
import type { Result } from '../../../core/result.ts';
import { printFrrConfig } from './frr-config.ts';
import type { FrrConfig } from './frr-config.ts';
import type { BatchOptions, FrrPort, PortFailure, PortResult } from './frr-port.ts';
import type { Clock } from './hooks.ts';
import { readConfig } from './normalise.ts';
import { applyLines } from './testing.ts';

export type FakeCall =
  | { readonly type: 'batch'; readonly lines: readonly string[]; readonly target: string }
  | { readonly type: 'exec'; readonly commands: readonly string[] }
  | { readonly type: 'show' }
  | { readonly type: 'reload'; readonly text: string }
  | { readonly type: 'write'; readonly text: string };

export class FakeFrr implements FrrPort {
  running: FrrConfig = readConfig('');
  readonly calls: FakeCall[] = [];
  readonly files: string[] = [];
  /** Lines FRR refuses (rc 2, "% Unknown command"); the rest of a batch is still applied (vtysh -f). */
  rejects: RegExp | undefined;
  /** The next calls fail with this (consumed one per call) — `unreachable` while "FRR is down". */
  readonly failures: PortFailure[] = [];
  down = false;

  runBatch(lines: readonly string[], options: BatchOptions = {}): Promise<PortResult> {
    this.calls.push({ type: 'batch', lines, target: options.target ?? 'all' });
    const failure = this.#failure();
    if (failure !== undefined) return Promise.resolve(err(failure));
    const bad = lines.filter((l) => this.rejects?.test(l) === true);
    this.running = applyLines(this.running, lines.filter((l) => !bad.includes(l)));
    if (bad.length > 0) return Promise.resolve(err({ reason: 'rejected', message: 'vtysh -f exited 2', details: bad.map((l) => `% Unknown command: ${l.trim()}`) }));
    return Promise.resolve(ok({ warnings: [] }));
  }

  runExec(commands: readonly string[]): Promise<PortResult> {
    this.calls.push({ type: 'exec', commands });
    const failure = this.#failure();
    return Promise.resolve(failure === undefined ? ok({ warnings: [] }) : err(failure));
  }

  showRunning(): Promise<Result<string, PortFailure>> {
    this.calls.push({ type: 'show' });
    const failure = this.#failure();
    return Promise.resolve(failure === undefined ? ok(printFrrConfig(this.running)) : err(failure));
  }

  reload(text: string): Promise<PortResult> {
    this.calls.push({ type: 'reload', text });
    const failure = this.#failure();
    if (failure !== undefined) return Promise.resolve(err(failure));
    // frr-reload.py checks the whole file first (vtysh -m): one bad line and nothing is applied.
    const bad = text.split('\n').filter((l) => this.rejects?.test(l) === true);
    if (bad.length > 0) return Promise.resolve(err({ reason: 'rejected', message: 'frr-reload.py exited 1', details: bad }));
    this.running = readConfig(text);
    return Promise.resolve(ok({ warnings: [] }));
  }

  writeConfigFile(text: string): Promise<Result<void, PortFailure>> {
    this.calls.push({ type: 'write', text });
    this.files.push(text);
    return Promise.resolve(ok(undefined));
  }

  /** Calls of one type, for assertions. */
  callsOf<T extends FakeCall['type']>(type: T): Extract<FakeCall, { type: T }>[] {
    return this.calls.filter((c): c is Extract<FakeCall, { type: T }> => c.type === type);
  }

  #failure(): PortFailure | undefined {
    if (this.down) return { reason: 'unreachable', message: 'Exiting: failed to connect to any daemons.', details: [] };
    return this.failures.shift();
  }
}

/** A clock that moves only with `advance`; sleepers wake in time order. */
export class FakeClock implements Clock {
  #now = 0;
  #sleepers: { at: number; wake: () => void }[] = [];

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) return Promise.resolve();
    return new Promise((resolve) => {
      const sleeper = { at: this.#now + ms, wake: resolve };
      this.#sleepers.push(sleeper);
      signal?.addEventListener('abort', () => {
        this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
        resolve();
      }, { once: true });
    });
  }

  /** Moves time forward and wakes every sleeper whose time has come. */
  async advance(ms: number): Promise<void> {
    this.#now += ms;
    const due = this.#sleepers.filter((s) => s.at <= this.#now);
    this.#sleepers = this.#sleepers.filter((s) => s.at > this.#now);
    for (const s of due) s.wake();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

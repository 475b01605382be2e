// The single writer to FRR: the latest submitted config wins (no debounce), is read back and
// repaired when idle, and is re-applied at once after an FRR restart; transient failures retry with
// backoff on the injected clock.
import type { ApplyFailure, ApplyOutcome, ApplyReport, VerifyReport } from './applier.ts';
import type { Result } from '../../../core/result.ts';
import type { ApplyFailureReason, Clock, Logger } from './hooks.ts';

/** The part of Applier the queue drives (a fake in unit tests). */
export interface ApplyTarget {
  apply(desiredText: string): Promise<ApplyOutcome>;
  verify(desiredText: string): Promise<Result<VerifyReport, ApplyFailure>>;
  forget(): void;
}

export type QueueEvent =
  | { readonly type: 'applied'; readonly report: ApplyReport; readonly restore: boolean }
  | { readonly type: 'failed'; readonly failure: ApplyFailure; readonly retryInMs?: number }
  | { readonly type: 'verified'; readonly report: VerifyReport };

export interface ApplyQueueOptions {
  readonly applier: ApplyTarget;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Backoff after locked/unreachable/timeout/io failures, doubling from `minMs` to `maxMs`. */
  readonly retry?: { readonly minMs: number; readonly maxMs: number };
  /** Read the running config back after applying (when nothing newer waits). Default true. */
  readonly verify?: boolean;
  /** Also read it back this often while idle, to find and repair drift (ms). Default 60 s; 0: never. */
  readonly verifyEveryMs?: number;
  readonly onEvent?: (event: QueueEvent) => void;
}

/** Failures after which FRR's state is unknown (it may have restarted). */
const LOST: ReadonlySet<ApplyFailureReason> = new Set(['unreachable', 'timeout']);

export class ApplyQueue {
  readonly #o: ApplyQueueOptions;
  /** The latest desired config. */
  #target: string | undefined;
  /** `#target` still has to be applied. */
  #dirty = false;
  /** Forget FRR's state before the next apply (restart, or FRR unreachable). */
  #restore = false;
  /** The target failed for good: wait for a new one or a restart. */
  #blocked = false;
  #verifyDue = false;
  #lastVerifyAt = 0;
  #retryAt: number | undefined;
  #failures = 0;
  #wake: AbortController = new AbortController();
  #idle: (() => void)[] = [];
  #running = false;
  #busy = false;

  constructor(options: ApplyQueueOptions) {
    this.#o = options;
  }

  /** Queues `desiredText`, replacing any config not yet applied. Identical resubmissions are no-ops. */
  submit(desiredText: string): void {
    if (desiredText === this.#target && !this.#dirty && !this.#blocked) return;
    this.#target = desiredText;
    this.#dirty = true;
    this.#blocked = false;
    this.#retryAt = undefined;
    this.#wakeUp();
  }

  /** FRR restarted (or came back): re-plan from its running config and re-apply the target now. */
  frrRestarted(): void {
    this.#restore = true;
    this.#dirty = this.#target !== undefined;
    this.#blocked = false;
    this.#retryAt = undefined;
    this.#wakeUp();
  }

  /** Resolves once nothing is left to do now (idle, blocked, or waiting for a retry or a check). */
  settled(): Promise<void> {
    if (this.#running && !this.#busy && !this.#hasWorkNow()) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Runs until `signal` aborts; the only place that talks to the applier. */
  async run(signal: AbortSignal): Promise<void> {
    if (this.#running) throw new Error('ApplyQueue.run: already running');
    this.#running = true;
    const onAbort = (): void => this.#wakeUp();
    signal.addEventListener('abort', onAbort);
    try {
      while (!signal.aborted) {
        if (!this.#hasWorkNow()) {
          await this.#wait(signal);
          continue;
        }
        this.#busy = true;
        try {
          await this.#step();
        } finally {
          this.#busy = false;
        }
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      this.#running = false;
      this.#releaseIdle();
    }
  }

  #hasWorkNow(): boolean {
    const due = this.#dueAt();
    return due !== undefined && due <= this.#o.clock.now();
  }

  /** When there is work next: an apply (after any backoff), or a verification. */
  #dueAt(): number | undefined {
    if (this.#target === undefined || this.#blocked) return undefined;
    if (this.#dirty) return this.#retryAt ?? this.#o.clock.now();
    if (this.#verifyDue) return this.#o.clock.now();
    const every = this.#o.verifyEveryMs ?? 60_000;
    return every > 0 && (this.#o.verify ?? true) ? this.#lastVerifyAt + every : undefined;
  }

  async #step(): Promise<void> {
    const text = this.#target;
    if (text === undefined) return;
    if (!this.#dirty) {
      this.#verifyDue = false;
      this.#lastVerifyAt = this.#o.clock.now();
      await this.#verify(text);
      return;
    }
    const restore = this.#restore;
    this.#dirty = false;
    this.#restore = false;
    if (restore) this.#o.applier.forget();
    const outcome = await this.#o.applier.apply(text);
    if (outcome.ok) {
      this.#succeeded();
      this.#verifyDue = this.#o.verify ?? true;
      this.#o.onEvent?.({ type: 'applied', report: outcome.value, restore });
    } else {
      this.#failed(text, outcome.error);
    }
  }

  async #verify(text: string): Promise<void> {
    const result = await this.#o.applier.verify(text);
    if (result.ok) this.#o.onEvent?.({ type: 'verified', report: result.value });
    else this.#failed(text, result.error);
  }

  #succeeded(): void {
    this.#failures = 0;
    this.#retryAt = undefined;
  }

  #failed(text: string, failure: ApplyFailure): void {
    if (failure.reason === 'rejected' || failure.reason === 'drift') {
      // Applying the same text again gives the same answer: a new config or a restart unblocks.
      // Drift that a repair did not fix is checked again at the next periodic verification.
      if (failure.reason === 'rejected' && text === this.#target && !this.#dirty) this.#blocked = true;
      this.#o.onEvent?.({ type: 'failed', failure });
      return;
    }
    this.#failures += 1;
    const retry = this.#o.retry ?? { minMs: 200, maxMs: 10_000 };
    const delay = Math.min(retry.maxMs, retry.minMs * 2 ** (this.#failures - 1));
    this.#retryAt = this.#o.clock.now() + delay;
    this.#dirty = true;
    if (LOST.has(failure.reason)) this.#restore = true;
    this.#o.logger.warn({ reason: failure.reason, retryInMs: delay, attempt: this.#failures }, 'FRR apply will be retried');
    this.#o.onEvent?.({ type: 'failed', failure, retryInMs: delay });
  }

  async #wait(signal: AbortSignal): Promise<void> {
    this.#releaseIdle();
    if (signal.aborted) return;
    const wake = this.#wake.signal;
    const due = this.#dueAt();
    if (due !== undefined) {
      await this.#o.clock.sleep(Math.max(0, due - this.#o.clock.now()), wake);
    } else {
      await new Promise<void>((resolve) => wake.addEventListener('abort', () => resolve(), { once: true }));
    }
  }

  #wakeUp(): void {
    const previous = this.#wake;
    this.#wake = new AbortController();
    previous.abort();
  }

  #releaseIdle(): void {
    const waiting = this.#idle;
    this.#idle = [];
    for (const resolve of waiting) resolve();
  }
}

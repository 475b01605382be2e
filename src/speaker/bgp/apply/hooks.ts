// What the apply path takes from its caller instead of globals: a pino-compatible logger, a clock
// (so tests never sleep) and a metrics recorder.
import { setTimeout as delay } from 'node:timers/promises';

/** The subset of pino the apply path uses; `obj` fields never hold secrets (see redact.ts). */
export interface Logger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface Clock {
  /** Milliseconds on a monotonic scale. */
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) => delay(ms, undefined, signal === undefined ? {} : { signal }).catch(() => undefined),
};

export const APPLY_KINDS = ['incremental', 'full'] as const;
/** How a change reached FRR: one vtysh batch, or frr-reload.py. */
export type ApplyKind = (typeof APPLY_KINDS)[number];

export const APPLY_FAILURES = ['rejected', 'locked', 'unreachable', 'timeout', 'io', 'drift'] as const;
export type ApplyFailureReason = (typeof APPLY_FAILURES)[number];

/**
 * Metrics hooks. `observeApply` has the shape of `BgpMetrics.observeApply` (src/metrics), so the
 * speaker's metrics object can be passed as it is; the other two are optional extras.
 */
export interface ApplyRecorder {
  /** One attempt to apply a change to FRR: its path, wall time (seconds), and whether FRR took it. */
  observeApply(apply: { readonly kind: ApplyKind; readonly seconds: number; readonly ok: boolean }): void;
  readonly failed?: (reason: ApplyFailureReason) => void;
  /** Hash of the config text FRR now runs (and the file holds). */
  readonly lastApplied?: (hash: string) => void;
}

export const noopRecorder: ApplyRecorder = { observeApply: () => undefined };

export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

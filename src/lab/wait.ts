// Bounded polling for the lab and the e2e tests: retry a probe until it yields a value, the deadline
// passes or the caller aborts.
import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitOptions {
  /** Pause between probes. Default 200 ms. */
  readonly intervalMs?: number;
  /** Names what is awaited in the timeout error. */
  readonly what?: string;
  /** Aborting ends the wait at once with an error. */
  readonly signal?: AbortSignal;
}

type Ready<T> = Exclude<T, false | null | undefined>;

function isReady<T>(value: T): value is Ready<T> {
  return value !== false && value !== null && value !== undefined;
}

/**
 * Calls `probe` until it returns something other than false/null/undefined, and resolves with
 * that value. A probe that throws counts as not ready yet; after `timeoutMs` the wait fails with
 * the last value or error, so a timeout says what was seen.
 */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  timeoutMs: number,
  options: WaitOptions = {},
): Promise<Ready<T>> {
  const deadline = Date.now() + timeoutMs;
  const interval = options.intervalMs ?? 200;
  let last = 'no probe finished';
  for (;;) {
    if (options.signal?.aborted === true) throw new Error(`interrupted while waiting for ${options.what ?? 'a condition'}`);
    try {
      const value = await probe();
      if (isReady(value)) return value;
      last = `last value: ${String(value)}`;
    } catch (error) {
      last = `last error: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (Date.now() + interval > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${options.what ?? 'a condition'} (${last})`);
    }
    await sleep(interval, undefined, options.signal === undefined ? {} : { signal: options.signal }).catch(() => undefined);
  }
}

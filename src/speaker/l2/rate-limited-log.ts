// Warnings that can repeat per frame or per scan (duplicates, send errors, missing interfaces) are
// logged at most once per key and window, so a flood cannot turn into a log flood.

import type { Logger } from '../../log/logger.ts';
import type { Clock } from './ports.ts';

export class RateLimitedLog {
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #windowMs: number;
  readonly #last = new Map<string, number>();

  constructor(logger: Logger, clock: Clock, windowMs: number) {
    this.#logger = logger;
    this.#clock = clock;
    this.#windowMs = windowMs;
  }

  /** Logs unless the same `key` was logged less than the window ago. */
  warn(key: string, fields: object, message: string): void {
    const now = this.#clock();
    const last = this.#last.get(key);
    if (last !== undefined && now - last < this.#windowMs) return;
    // Keys are few (addresses, interfaces); forget old ones so the map cannot grow without bound.
    if (this.#last.size > 1024) for (const [k, t] of this.#last) if (now - t >= this.#windowMs) this.#last.delete(k);
    if (this.#last.size > 4096) return;
    this.#last.set(key, now);
    this.#logger.warn(fields, message);
  }
}

// The sleep the long-running commands hand their loops (reflector backoff, leader election).
// Not a speaker module's system clock: importing one would load FRR's decoders and execa into a
// controller or an L2-only speaker.

import { setTimeout as delay } from 'node:timers/promises';

/** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
export const abortableSleep = (ms: number, signal: AbortSignal): Promise<void> => delay(ms, undefined, { signal }).catch(() => undefined);

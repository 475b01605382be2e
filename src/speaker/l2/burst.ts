// When a newly elected owner repeats its gratuitous ARP / unsolicited NA: a few rounds soon after
// take-over (one lost frame must not strand a neighbour), then an optional slow refresh.

/** Times are milliseconds. */
export type BurstPolicy = {
  /** Offsets from take-over, strictly increasing, the first normally 0. */
  readonly offsetsMs: readonly number[];
  /** After the last offset, repeat every this many ms; null = never. */
  readonly refreshMs: number | null;
};

export const defaultBurstPolicy: BurstPolicy = { offsetsMs: [0, 250, 500, 1000, 2000], refreshMs: null };

/** Per announced IP: when it was taken over and the last slot already sent (null = none). */
export type BurstState = { readonly takeoverAt: number; readonly lastSlotAt: number | null };

export type BurstStep = {
  /** Send one round now. Slots missed while the caller was late collapse into this one. */
  readonly send: boolean;
  readonly state: BurstState;
  /** When the next slot falls due; null when the schedule is finished. */
  readonly nextAt: number | null;
};

export const startBurst = (takeoverAt: number): BurstState => ({ takeoverAt, lastSlotAt: null });

/** The first slot strictly after `t`, or null. */
export function slotAfter(policy: BurstPolicy, takeoverAt: number, t: number): number | null {
  for (const offset of policy.offsetsMs) {
    if (takeoverAt + offset > t) return takeoverAt + offset;
  }
  const last = takeoverAt + (policy.offsetsMs.at(-1) ?? 0);
  if (policy.refreshMs === null || policy.refreshMs <= 0) return null;
  const periods = Math.floor(Math.max(0, t - last) / policy.refreshMs) + 1;
  return last + periods * policy.refreshMs;
}

/** The latest slot at or before `t`, or null when none has come yet. */
export function slotAtOrBefore(policy: BurstPolicy, takeoverAt: number, t: number): number | null {
  if (t < takeoverAt + (policy.offsetsMs[0] ?? 0)) return null;
  const last = takeoverAt + (policy.offsetsMs.at(-1) ?? 0);
  if (t >= last && policy.refreshMs !== null && policy.refreshMs > 0) {
    return last + Math.floor((t - last) / policy.refreshMs) * policy.refreshMs;
  }
  let found: number | null = null;
  for (const offset of policy.offsetsMs) if (takeoverAt + offset <= t) found = takeoverAt + offset;
  return found;
}

/** Advances one IP's schedule to `now`. */
export function burstStep(policy: BurstPolicy, state: BurstState, now: number): BurstStep {
  const due = slotAtOrBefore(policy, state.takeoverAt, now);
  const send = due !== null && (state.lastSlotAt === null || due > state.lastSlotAt);
  const next: BurstState = send ? { ...state, lastSlotAt: due } : state;
  return { send, state: next, nextAt: slotAfter(policy, state.takeoverAt, now) };
}

/** Every slot in [takeoverAt, until), for logs and tests. */
export function burstSlots(policy: BurstPolicy, takeoverAt: number, until: number): number[] {
  const out: number[] = [];
  let t = slotAtOrBefore(policy, takeoverAt, takeoverAt + (policy.offsetsMs[0] ?? 0));
  while (t !== null && t < until) {
    out.push(t);
    t = slotAfter(policy, takeoverAt, t);
  }
  return out;
}

// Which owned addresses are due a gratuitous ARP / unsolicited NA round, per burst.ts: a burst
// starts when an address is taken over, again on every membership change (as MetalLB re-sends on
// every resync), and once more when another host's claims on an owned address have stopped.
// Pure bookkeeping driven by `now` (ms); the handler sends the frames.

import type { IP } from '../../net/ip.ts';
import { burstStep, startBurst, type BurstPolicy, type BurstState } from './burst.ts';
import type { OwnedAddresses } from './responder.ts';

export type OwnershipChange = { readonly taken: readonly IP[]; readonly released: readonly IP[] };

/**
 * After another MAC claimed an owned address: once no claim was seen for `quietMs`, burst again,
 * so neighbours pulled away by a claimant that then vanished (a healed owner failing again before
 * this node heard it, a rogue host) come back. At most once per `minIntervalMs` per address, so
 * two owners that cannot hear each other's heartbeats do not take turns forever.
 */
export type ReclaimPolicy = { readonly quietMs: number; readonly minIntervalMs: number };

/** Quiet for longer than a whole burst of the other owner (2 s by default), then once a minute at most. */
export const reclaimPolicyFor = (burst: BurstPolicy): ReclaimPolicy => ({ quietMs: (burst.offsetsMs.at(-1) ?? 0) + 500, minIntervalMs: 60_000 });

export class Announcements {
  readonly #policy: BurstPolicy;
  readonly #reclaim: ReclaimPolicy;
  #owned: OwnedAddresses = new Map();
  readonly #bursts = new Map<IP, BurstState>();
  /** Owned addresses another MAC claimed: when it last did. */
  readonly #claimedAt = new Map<IP, number>();
  readonly #reclaimedAt = new Map<IP, number>();

  constructor(policy: BurstPolicy, reclaim: ReclaimPolicy = reclaimPolicyFor(policy)) {
    this.#policy = policy;
    this.#reclaim = reclaim;
  }

  get owned(): OwnedAddresses {
    return this.#owned;
  }

  /** Replaces the owned set; newly taken addresses start a burst, released ones stop theirs. */
  setOwned(owned: OwnedAddresses, now: number): OwnershipChange {
    const taken = [...owned.keys()].filter((ip) => !this.#owned.has(ip));
    const released = [...this.#owned.keys()].filter((ip) => !owned.has(ip));
    for (const ip of released) {
      this.#bursts.delete(ip);
      this.#claimedAt.delete(ip);
    }
    for (const ip of taken) this.#bursts.set(ip, startBurst(now));
    this.#owned = owned;
    return { taken, released };
  }

  /** Starts a new burst for every owned address (after a membership change). */
  restartAll(now: number): void {
    for (const ip of this.#owned.keys()) this.#bursts.set(ip, startBurst(now));
  }

  /** Another MAC claimed `ip` (a duplicate); ignored unless this node owns it. */
  claimed(ip: IP, now: number): void {
    if (this.#owned.has(ip)) this.#claimedAt.set(ip, now);
  }

  /** The addresses to announce now, and when to come back (null: nothing pending). */
  due(now: number): { readonly send: readonly IP[]; readonly nextAt: number | null } {
    let nextAt = this.#reclaimDue(now);
    const send: IP[] = [];
    for (const [ip, state] of this.#bursts) {
      const step = burstStep(this.#policy, state, now);
      if (step.send) send.push(ip);
      if (step.nextAt === null) this.#bursts.delete(ip);
      else {
        this.#bursts.set(ip, step.state);
        nextAt = nextAt === null ? step.nextAt : Math.min(nextAt, step.nextAt);
      }
    }
    return { send, nextAt };
  }

  /** Starts the bursts of contested addresses whose claims have stopped; returns the next quiet deadline. */
  #reclaimDue(now: number): number | null {
    let nextAt: number | null = null;
    for (const [ip, at] of this.#claimedAt) {
      const quietAt = at + this.#reclaim.quietMs;
      if (now < quietAt) {
        nextAt = nextAt === null ? quietAt : Math.min(nextAt, quietAt);
        continue;
      }
      this.#claimedAt.delete(ip);
      const last = this.#reclaimedAt.get(ip);
      if (last !== undefined && now - last < this.#reclaim.minIntervalMs) continue;
      this.#reclaimedAt.set(ip, now);
      this.#bursts.set(ip, startBurst(now));
    }
    return nextAt;
  }
}

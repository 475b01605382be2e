// Leader election on a coordination.k8s.io/v1 Lease, as client-go does it (client-node has none):
// take the Lease when it is free or its holder has not renewed it for leaseDuration (judged by our
// own clock since we last saw it change, never by comparing clocks), renew every retry period with
// the last seen resourceVersion (a 409 means someone else won), step down when renewals fail for
// renewDeadline, and hand the Lease back on shutdown so a standby takes over at once.

import { ApiError, record, type KubeClient, type WireObject } from './client.ts';
import { microTime } from './events.ts';

export type LeaderLogger = {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
};

export type LeaderClock = {
  readonly now: () => number;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
};

export type LeaderOptions = {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly name: string;
  readonly identity: string;
  readonly logger: LeaderLogger;
  readonly clock: LeaderClock;
  /** Defaults: client-go's 15 s / 10 s / 2 s. */
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
};

type Observed = { readonly key: string; readonly at: number };

export class LeaderElection {
  readonly #o: LeaderOptions;
  readonly #path: string;
  #lease: WireObject | null = null;
  #observed: Observed | null = null;
  #leading = false;
  /** When the current streak of failed Lease reads/writes began (our clock), or null. */
  #failingSince: number | null = null;

  constructor(options: LeaderOptions) {
    this.#o = options;
    this.#path = `/apis/coordination.k8s.io/v1/namespaces/${options.namespace}/leases`;
  }

  get leading(): boolean {
    return this.#leading;
  }

  get #durationMs(): number {
    return this.#o.leaseDurationMs ?? 15_000;
  }

  /**
   * Campaigns until `signal` aborts; while leading, runs `lead` with a signal that aborts when
   * leadership is lost (or on shutdown). `lead` may be run again after a later win.
   */
  async run(signal: AbortSignal, lead: (leading: AbortSignal) => Promise<void>): Promise<void> {
    const retry = this.#o.retryPeriodMs ?? 2_000;
    while (!signal.aborted) {
      if (!(await this.#tryAcquireOrRenew())) {
        await this.#o.clock.sleep(retry, signal);
        continue;
      }
      this.#leading = true;
      this.#o.logger.info({ lease: `${this.#o.namespace}/${this.#o.name}`, identity: this.#o.identity }, 'became the leader');
      const term = new AbortController();
      const stop = () => term.abort();
      signal.addEventListener('abort', stop, { once: true });
      const work = lead(term.signal).catch((e: unknown) => {
        this.#o.logger.warn({ error: String(e) }, 'the leader work failed; stepping down');
        term.abort();
      });
      await this.#renewLoop(term);
      signal.removeEventListener('abort', stop);
      term.abort();
      await work;
      this.#leading = false;
      if (signal.aborted) await this.#release();
      else this.#o.logger.warn({ lease: `${this.#o.namespace}/${this.#o.name}` }, 'lost the leadership; campaigning again');
    }
  }

  async #renewLoop(term: AbortController): Promise<void> {
    const retry = this.#o.retryPeriodMs ?? 2_000;
    const deadline = this.#o.renewDeadlineMs ?? 10_000;
    let lastRenew = this.#o.clock.now();
    while (!term.signal.aborted) {
      await this.#o.clock.sleep(retry, term.signal);
      if (term.signal.aborted) return;
      if (await this.#tryAcquireOrRenew()) lastRenew = this.#o.clock.now();
      else if (this.#lease !== null && this.#holder(this.#lease) !== this.#o.identity) return; // someone else holds it
      if (this.#o.clock.now() - lastRenew > deadline) return;
    }
  }

  #holder(lease: WireObject): string {
    const h = record(lease['spec'])['holderIdentity'];
    return typeof h === 'string' ? h : '';
  }

  async #tryAcquireOrRenew(): Promise<boolean> {
    const now = this.#o.clock.now();
    const durationSec = Math.ceil(this.#durationMs / 1000);
    let current: WireObject;
    try {
      current = await this.#o.client.get(`${this.#path}/${this.#o.name}`);
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) return this.#fail(e);
      try {
        this.#lease = await this.#o.client.create(this.#path, {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: this.#o.name, namespace: this.#o.namespace },
          spec: { holderIdentity: this.#o.identity, leaseDurationSeconds: durationSec, acquireTime: microTime(now), renewTime: microTime(now), leaseTransitions: 0 },
        });
        return this.#succeeded(true);
      } catch (e2) {
        return this.#fail(e2);
      }
    }
    this.#lease = current;
    const spec = record(current['spec']);
    const holder = this.#holder(current);
    const meta = record(current['metadata']);
    const key = `${holder}|${String(spec['renewTime'])}|${String(meta['resourceVersion'])}`;
    if (this.#observed?.key !== key) this.#observed = { key, at: now };
    const mine = holder === this.#o.identity;
    const holderDuration = typeof spec['leaseDurationSeconds'] === 'number' ? spec['leaseDurationSeconds'] * 1000 : this.#durationMs;
    const expired = holder === '' || now - (this.#observed?.at ?? now) > holderDuration;
    if (!mine && !expired) return this.#succeeded(false);
    const transitions = typeof spec['leaseTransitions'] === 'number' ? spec['leaseTransitions'] : 0;
    const next: WireObject = {
      ...current,
      spec: {
        ...spec,
        holderIdentity: this.#o.identity,
        leaseDurationSeconds: durationSec,
        renewTime: microTime(now),
        ...(mine ? {} : { acquireTime: microTime(now), leaseTransitions: transitions + 1 }),
      },
    };
    try {
      this.#lease = await this.#o.client.replace(`${this.#path}/${this.#o.name}`, next);
      return this.#succeeded(true);
    } catch (e) {
      return this.#fail(e);
    }
  }

  /**
   * A 409 is a lost race, not a failure. Anything else is logged once per streak (an API server
   * away for an hour would otherwise log every retry period); #succeeded logs the end of it.
   */
  #fail(e: unknown): false {
    if (e instanceof ApiError && e.status === 409) return false;
    if (this.#failingSince === null) {
      this.#failingSince = this.#o.clock.now();
      this.#o.logger.warn({ error: e instanceof Error ? e.message : String(e) }, 'leader election: cannot read or write the Lease; retrying');
    }
    return false;
  }

  /** A round that did all it had to (read, and write if it was ours to write): ends a failure streak. */
  #succeeded(acquired: boolean): boolean {
    if (this.#failingSince !== null) {
      this.#o.logger.info({ downForMs: this.#o.clock.now() - this.#failingSince }, 'leader election works again');
      this.#failingSince = null;
    }
    return acquired;
  }

  async #release(): Promise<void> {
    const lease = this.#lease;
    if (lease === null || this.#holder(lease) !== this.#o.identity) return;
    try {
      await this.#o.client.replace(`${this.#path}/${this.#o.name}`, { ...lease, spec: { ...record(lease['spec']), holderIdentity: '', leaseDurationSeconds: 1 } });
      this.#o.logger.info({ lease: `${this.#o.namespace}/${this.#o.name}` }, 'released the leadership');
    } catch (e) {
      this.#o.logger.warn({ error: e instanceof Error ? e.message : String(e) }, 'could not release the Lease; a standby takes over when it expires');
    }
  }
}

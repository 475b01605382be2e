// Starts this node's heartbeats once the view names its key and address, and keeps the peer list
// in step with the Nodes. Until it runs, nothing is live and the handler announces nothing.

import type { ParsedInput } from '../../../api/input.ts';
import { ipFamily, type IP } from '../../../net/ip.ts';
import type { Logger } from '../../../log/logger.ts';
import type { Clock } from '../ports.ts';
import { bindAddress, heartbeatKey, heartbeatPeers, keySourceText, type HeartbeatKeySource } from './config.ts';
import { HeartbeatMembership, type HeartbeatRejectReason, type MemberChange } from './membership.ts';
import type { UdpHeartbeatOptions, UdpHeartbeats } from './udp.ts';

export type StartUdp = (o: UdpHeartbeatOptions) => Promise<UdpHeartbeats>;

export type HeartbeatSettings = {
  readonly keySource: HeartbeatKeySource;
  readonly port: number;
  readonly intervalMs: number;
  readonly missedIntervals: number;
  readonly jitterMarginMs: number;
};

export type HeartbeatRunnerDeps = {
  readonly node: string;
  readonly settings: HeartbeatSettings;
  readonly incarnation: bigint;
  readonly startUdp: StartUdp;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /** Member changes, after the runner has logged them. */
  readonly onChanges: (changes: readonly MemberChange[]) => void;
  readonly onReject: (reason: HeartbeatRejectReason) => void;
};

const equalBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

export class HeartbeatRunner {
  readonly #d: HeartbeatRunnerDeps;
  #membership: HeartbeatMembership | null = null;
  #key: Uint8Array | null = null;
  #bind: IP | null = null;
  #starting = false;
  #lastProblem = '';

  constructor(deps: HeartbeatRunnerDeps) {
    this.#d = deps;
  }

  /** How long a silent peer stays live, in ms. */
  get deadAfterMs(): number {
    const s = this.#d.settings;
    return s.intervalMs * s.missedIntervals + s.jitterMarginMs;
  }

  get running(): boolean {
    return this.#membership !== null;
  }

  /** Live speakers (this one included) once settled; null while not running or not settled. */
  live(now: number): ReadonlySet<string> | null {
    const m = this.#membership;
    return m === null || !m.settled(now) ? null : m.liveNodes();
  }

  /** Applies a view: starts heartbeats when possible, else updates the peers. */
  async update(input: Pick<ParsedInput, 'nodes' | 'secrets'>): Promise<void> {
    const now = this.#d.clock();
    if (this.#membership !== null) {
      this.#checkUnchanged(input);
      const family = ipFamily(this.#bind as IP);
      const changes = this.#membership.setPeers(heartbeatPeers(input.nodes, this.#d.node, family, this.#d.settings.port), now);
      if (changes.length > 0) this.#report(changes);
      return;
    }
    if (this.#starting) return;
    const key = heartbeatKey(this.#d.settings.keySource, input.secrets);
    const bind = bindAddress(input.nodes, this.#d.node);
    if (!key.ok || !bind.ok) return this.#problem(!key.ok ? key.error : bind.ok ? '' : bind.error);
    this.#starting = true;
    try {
      await this.#start(key.value, bind.value, input);
    } catch (e) {
      this.#problem(`cannot listen for heartbeats on ${bind.value} port ${this.#d.settings.port}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.#starting = false;
    }
  }

  async #start(key: Uint8Array, bind: IP, input: Pick<ParsedInput, 'nodes'>): Promise<void> {
    const s = this.#d.settings;
    const peers = heartbeatPeers(input.nodes, this.#d.node, ipFamily(bind), s.port);
    const options = { self: this.#d.node, key, incarnation: this.#d.incarnation, intervalMs: s.intervalMs, missedIntervals: s.missedIntervals, jitterMarginMs: s.jitterMarginMs };
    const membership = new HeartbeatMembership(options, peers, this.#d.clock());
    await this.#d.startUdp({
      membership,
      bind: { host: bind, port: s.port },
      clock: this.#d.clock,
      signal: this.#d.signal,
      onChanges: (changes) => this.#report(changes),
      onReject: (reason) => this.#d.onReject(reason),
      onError: (e) => this.#d.logger.warn({ error: e.message }, 'heartbeat socket error'),
    });
    this.#membership = membership;
    this.#key = key;
    this.#bind = bind;
    this.#lastProblem = '';
    this.#d.logger.info({ bind, port: s.port, peers: [...peers.keys()], deadAfterMs: membership.deadAfterMs, keySource: keySourceText(s.keySource) }, "heartbeats started");
  }

  #report(changes: readonly MemberChange[]): void {
    for (const c of changes) this.#d.logger.info({ peer: c.node, change: c.kind }, `speaker ${c.node} is ${c.kind === 'restarted' ? 'restarted' : c.kind}`);
    this.#d.onChanges(changes);
  }

  /** Key and address are read once: a new value needs a restart (all speakers must switch together). */
  #checkUnchanged(input: Pick<ParsedInput, 'nodes' | 'secrets'>): void {
    const key = heartbeatKey(this.#d.settings.keySource, input.secrets);
    const bind = bindAddress(input.nodes, this.#d.node);
    if (key.ok && this.#key !== null && !equalBytes(key.value, this.#key)) this.#problem('the heartbeat key changed; restart the speaker to use the new one');
    else if (bind.ok && bind.value !== this.#bind) this.#problem(`this Node's address changed to ${bind.value}; heartbeats stay on ${this.#bind}`);
  }

  #problem(message: string): void {
    if (message === this.#lastProblem) return;
    this.#lastProblem = message;
    this.#d.logger.error({}, message);
  }
}

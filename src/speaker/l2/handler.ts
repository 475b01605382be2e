// The speaker's Layer-2 handler: elects an owner per Service from the view and the live speakers
// (heartbeats), answers ARP/NDP for what this node owns on every eligible interface, and sends
// gratuitous bursts on take-over and after every membership change. I/O comes in through ports.

import { allocatedIPs } from '../../controller/allocated-ips.ts';
import type { ServiceKey } from '../../api/model.ts';
import type { Logger } from '../../log/logger.ts';
import type { L2Metrics } from '../../metrics/l2-metrics.ts';
import type { IP } from '../../net/ip.ts';
import type { ProtocolHandler, SpeakerView } from '../loop.ts';
import { announcementFrames } from './announce.ts';
import type { Mac } from './codec/bytes.ts';
import { Announcements } from './announcer.ts';
import type { BurstPolicy } from './burst.ts';
import type { Election } from './election.ts';
import { electL2 } from './elections.ts';
import { HeartbeatRunner, type HeartbeatSettings, type StartUdp } from './heartbeat/runner.ts';
import { interfaceAllowed } from './interfaces.ts';
import { eligibleInterfaces, type InterfaceInfo } from './link-scan.ts';
import { LinkSet, type OpenLink, type OpenedLink } from './links.ts';
import { ownedAddresses } from './owned.ts';
import type { Clock } from './ports.ts';
import { respond } from './responder.ts';
import { RateLimitedLog } from './rate-limited-log.ts';

export type Timers = {
  readonly setTimeout: (fn: () => void, ms: number) => unknown;
  readonly clearTimeout: (handle: unknown) => void;
};

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export type L2Ports = {
  readonly openLink: OpenLink;
  readonly scanInterfaces: () => Promise<readonly InterfaceInfo[]>;
  readonly startUdp: StartUdp;
  readonly timers: Timers;
};

export type L2HandlerOptions = {
  readonly node: string;
  readonly heartbeat: HeartbeatSettings;
  /** Interface names matching any of these never get a responder (MetalLB's announcedInterfacesToExclude). */
  readonly excludeInterfaces: readonly RegExp[];
  readonly ignoreExcludeLB: boolean;
  /** How often /sys/class/net is scanned for interfaces coming and going, in ms. */
  readonly scanIntervalMs: number;
  readonly burst: BurstPolicy;
  /** Random per process start (heartbeats tell a restarted speaker from a replay). */
  readonly incarnation: bigint;
  readonly ports: L2Ports;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  readonly logger: Logger;
  readonly metrics: L2Metrics;
  /** The Services this node owns and the interfaces it answers on (null: all), after each election. */
  readonly onOwned?: (owned: readonly { readonly service: ServiceKey; readonly interfaces: readonly string[] | null }[]) => void;
};

export type L2Handler = ProtocolHandler & {
  /** True once heartbeats have settled, or when no L2Advertisement applies to anything. */
  readonly ready: () => boolean;
  /** Starts the interface scan (at once, then every scanIntervalMs) until the signal aborts. */
  readonly start: () => void;
  /** What this node answers for now, for tests and debugging. */
  readonly owned: () => ReadonlyMap<IP, unknown>;
};

export function l2Handler(o: L2HandlerOptions): L2Handler {
  const speaker = new L2Speaker(o);
  return { name: 'l2', update: (view) => speaker.update(view), ready: () => speaker.ready(), start: () => speaker.start(), owned: () => speaker.owned };
}

class L2Speaker {
  readonly #o: L2HandlerOptions;
  readonly #runner: HeartbeatRunner;
  readonly #links: LinkSet;
  readonly #announcements: Announcements;
  readonly #log: RateLimitedLog;
  #view: SpeakerView | null = null;
  #elections: readonly Election[] = [];
  #localMacs: ReadonlySet<Mac> = new Set();
  #burstTimer: unknown = null;
  #scanTimer: unknown = null;
  #settleTimer: unknown = null;
  #settleScheduled = false;

  constructor(o: L2HandlerOptions) {
    this.#o = o;
    this.#log = new RateLimitedLog(o.logger, o.clock, 10_000);
    this.#announcements = new Announcements(o.burst);
    this.#links = new LinkSet(o.ports.openLink, {
      onFrame: (link, frame) => this.#onFrame(link, frame),
      onError: (ifname, e) => this.#log.warn(`link ${ifname} ${e.message}`, { ifname, error: e.message }, 'raw link error'),
    });
    this.#runner = new HeartbeatRunner({
      node: o.node,
      settings: o.heartbeat,
      incarnation: o.incarnation,
      startUdp: o.ports.startUdp,
      clock: o.clock,
      signal: o.signal,
      logger: o.logger,
      onChanges: () => this.#onMembership(),
      onReject: (reason) => o.metrics.heartbeatRejected(reason),
    });
    o.signal.addEventListener('abort', () => this.#stop(), { once: true });
  }

  get owned(): ReadonlyMap<IP, unknown> {
    return this.#announcements.owned;
  }

  ready(): boolean {
    if (this.#runner.live(this.#o.clock()) !== null) return true;
    return this.#view !== null && this.#electAll(null).length === 0;
  }

  start(): void {
    if (!this.#o.signal.aborted) void this.#scan();
  }

  async update(view: SpeakerView): Promise<void> {
    this.#view = view;
    await this.#runner.update(view.input);
    if (this.#runner.running && !this.#settleScheduled) this.#afterStart();
    this.#recompute();
  }

  #electAll(live: ReadonlySet<string> | null): Election[] {
    const view = this.#view;
    if (view === null) return [];
    const allocations = allocatedIPs(view.allocations);
    return electL2({ input: view.input, allocations, liveSpeakers: live, ignoreExcludeLB: this.#o.ignoreExcludeLB, excludeInterfaces: this.#o.excludeInterfaces });
  }

  /** Heartbeats just started: elect again once settled, even if some peer is never heard. */
  #afterStart(): void {
    this.#settleScheduled = true;
    this.#settleTimer = this.#o.ports.timers.setTimeout(() => {
      this.#settleTimer = null;
      this.#o.metrics.membersAlive(this.#runner.live(this.#o.clock())?.size ?? 0);
      this.#recompute();
    }, this.#runner.deadAfterMs + 1);
  }

  /** A peer came, went or restarted: elect again, and announce everything owned anew (as MetalLB). */
  #onMembership(): void {
    const now = this.#o.clock();
    this.#o.metrics.membersAlive(this.#runner.live(now)?.size ?? 0);
    this.#recompute();
    // Heals a partition: a node that kept an address while cut off must win the neighbours back.
    this.#announcements.restartAll(now);
    this.#pump();
  }

  /** Elects every L2 Service again and answers for exactly what this node now owns. */
  #recompute(): void {
    if (this.#o.signal.aborted) return;
    const now = this.#o.clock();
    const live = this.#runner.live(now);
    // Not settled (or no heartbeats): announce nothing rather than claim every Service alone.
    this.#elections = live === null ? [] : this.#electAll(live);
    const owned = ownedAddresses(this.#elections, this.#o.node);
    const change = this.#announcements.setOwned(owned, now);
    const servicesOf = (ip: IP): string[] => this.#elections.filter((e) => e.kind === 'owner' && e.ips.includes(ip)).map((e) => e.service);
    for (const ip of change.taken) this.#o.logger.info({ ip, services: servicesOf(ip) }, `announcing ${ip}`);
    for (const ip of change.released) this.#o.logger.info({ ip }, `no longer announcing ${ip}`);
    this.#links.setGroups(owned);
    this.#o.metrics.announced(this.#elections.flatMap((e) => (e.kind === 'owner' && e.owner === this.#o.node ? e.ips.map((ip) => ({ service: e.service, ip })) : [])));
    this.#o.onOwned?.(this.#elections.flatMap((e) => (e.kind === 'owner' && e.owner === this.#o.node ? [{ service: e.service, interfaces: e.interfaces.choice.kind === 'all' ? null : e.interfaces.choice.names }] : [])));
    this.#warnMissingInterfaces();
    this.#pump();
  }

  /** MetalLB's announceFailed: an address restricted to interfaces none of which has a responder here. */
  #warnMissingInterfaces(): void {
    const open = this.#links.links().map((l) => l.view.ifname);
    for (const [ip, filter] of this.#announcements.owned) {
      if (filter.choice.kind !== 'only' || open.some((name) => interfaceAllowed(filter, name))) continue;
      const names = filter.choice.names.join(',');
      this.#log.warn(`missing ${ip} ${names}`, { ip, interfaces: filter.choice.names }, `cannot announce ${ip}: none of its interfaces (${names}) has a responder on this node`);
    }
  }

  /** Sends every announcement round that is due and sets the timer for the next one. */
  #pump(): void {
    if (this.#o.signal.aborted) return;
    const now = this.#o.clock();
    const { send, nextAt } = this.#announcements.due(now);
    for (const ip of send) for (const link of this.#links.links()) this.#announceOn(link, ip);
    if (this.#burstTimer !== null) this.#o.ports.timers.clearTimeout(this.#burstTimer);
    this.#burstTimer = nextAt === null ? null : this.#o.ports.timers.setTimeout(() => this.#pump(), Math.max(0, nextAt - now));
  }

  #announceOn(link: OpenedLink, ip: IP): void {
    const filter = this.#announcements.owned.get(ip);
    if (filter === undefined || !interfaceAllowed(filter, link.view.ifname)) return;
    const frames = announcementFrames(link.view, ip);
    if (frames.length === 0) return;
    if (frames.every((f) => this.#send(link, f))) this.#o.metrics.gratuitousSent(ip);
  }

  #send(link: OpenedLink, frame: Uint8Array): boolean {
    try {
      link.raw.send(frame);
      return true;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.#log.warn(`send ${link.view.ifname} ${message}`, { ifname: link.view.ifname, error: message }, 'cannot send on raw link');
      return false;
    }
  }

  #onFrame(link: OpenedLink, frame: Uint8Array): void {
    const outcome = respond(frame, { link: link.view, owned: this.#announcements.owned, localMacs: this.#localMacs });
    switch (outcome.kind) {
      case 'reply':
        if (this.#send(link, outcome.frame)) this.#o.metrics.answered(outcome.ip);
        return;
      case 'duplicate':
        this.#o.metrics.duplicate(outcome.ip);
        this.#announcements.claimed(outcome.ip, this.#o.clock());
        this.#pump();
        this.#log.warn(
          `duplicate ${outcome.ip} ${outcome.mac}`,
          { ip: outcome.ip, mac: outcome.mac, ifname: outcome.ifname },
          `another host claims ${outcome.ip}: ${outcome.mac} on ${outcome.ifname} (duplicate address, or a second owner during a partition)`,
        );
        return;
      case 'drop':
        this.#o.metrics.dropped(outcome.reason);
        return;
    }
  }

  async #scan(): Promise<void> {
    try {
      const infos = await this.#o.ports.scanInterfaces();
      if (this.#o.signal.aborted) return;
      this.#reconcileLinks(eligibleInterfaces(infos, this.#o.excludeInterfaces));
      // Heartbeats that could not start yet (bind failed) are retried here too.
      if (!this.#runner.running && this.#view !== null) await this.update(this.#view);
    } catch (e) {
      this.#log.warn('scan', { error: e instanceof Error ? e.message : String(e) }, 'interface scan failed');
    }
    if (!this.#o.signal.aborted) this.#scanTimer = this.#o.ports.timers.setTimeout(() => void this.#scan(), this.#o.scanIntervalMs);
  }

  #reconcileLinks(eligible: readonly InterfaceInfo[]): void {
    const r = this.#links.reconcile(eligible);
    this.#localMacs = this.#links.localMacs();
    for (const ifname of r.opened) this.#o.logger.info({ ifname }, `answering ARP/NDP on ${ifname}`);
    for (const ifname of r.closed) this.#o.logger.info({ ifname }, `stopped answering on ${ifname}`);
    for (const f of r.failed) this.#log.warn(`open ${f.ifname} ${f.error}`, { ifname: f.ifname, error: f.error }, `cannot open ${f.ifname} for raw frames`);
    if (r.opened.length === 0) return;
    this.#links.setGroups(this.#announcements.owned);
    // A new link hears nothing of past bursts: announce everything owned there once.
    const fresh = this.#links.links().filter((l) => r.opened.includes(l.view.ifname));
    for (const ip of this.#announcements.owned.keys()) for (const link of fresh) this.#announceOn(link, ip);
    this.#warnMissingInterfaces();
  }

  #stop(): void {
    for (const t of [this.#burstTimer, this.#scanTimer, this.#settleTimer]) if (t !== null) this.#o.ports.timers.clearTimeout(t);
    this.#links.closeAll();
  }
}

// The speaker's Layer-2 wiring: validation of its flags (defined in speaker-l2-flags.ts), and the
// handler built over the real ports (AF_PACKET links, /sys/class/net scans, UDP heartbeats).

import { readFile } from 'node:fs/promises';
import { splitServiceKey } from '../api/model.ts';
import { err, ok, type Result } from '../core/result.ts';
import { l2Metrics } from '../metrics/l2-metrics.ts';
import { defaultBurstPolicy } from '../speaker/l2/burst.ts';
import { parseSecretRef, type HeartbeatKeySource } from '../speaker/l2/heartbeat/config.ts';
import { heartbeatDefaults } from '../speaker/l2/heartbeat/membership.ts';
import { randomIncarnation, startUdpHeartbeats } from '../speaker/l2/heartbeat/udp.ts';
import { l2Handler, realTimers } from '../speaker/l2/handler.ts';
import { metallbDefaultExcludes } from '../speaker/l2/interfaces.ts';
import { openRawLink } from '../speaker/l2/raw-socket.ts';
import { scanSysfsInterfaces } from '../speaker/l2/sysfs-interfaces.ts';
import type { L2Flags } from './speaker-l2-flags.ts';
import type { BuiltHandler, HandlerContext } from './speaker-handlers.ts';

// For callers of l2OptionsFromFlags.
export type { L2Flags } from './speaker-l2-flags.ts';

export type L2Options = {
  readonly keySource: HeartbeatKeySource;
  readonly heartbeatPort: number;
  readonly heartbeatIntervalMs: number;
  /** Intervals without a heartbeat before a peer is dead (plus a fixed 50 ms margin). */
  readonly heartbeatMissed: number;
  readonly excludeInterfaces: readonly RegExp[];
  readonly scanIntervalMs: number;
  /** After the take-over burst, announce every owned address again this often (ms); null = never. */
  readonly refreshMs: number | null;
  /** Nodes labelled exclude-from-external-load-balancers stay candidates. */
  readonly ignoreExcludeLB: boolean;
};

/** Validates the flags and reads the key file; errors are usage errors. */
export async function l2OptionsFromFlags(f: L2Flags): Promise<Result<L2Options, string>> {
  if ((f.heartbeatSecret === undefined) === (f.heartbeatKeyFile === undefined)) {
    return err('L2 needs exactly one of --heartbeat-secret NAMESPACE/NAME or --heartbeat-key-file PATH (or --no-l2)');
  }
  let keySource: HeartbeatKeySource;
  if (f.heartbeatSecret !== undefined) {
    const ref = parseSecretRef(f.heartbeatSecret);
    if (!ref.ok) return err(`--heartbeat-secret: ${ref.error}`);
    keySource = { kind: 'secret', ...ref.value };
  } else {
    const path = f.heartbeatKeyFile as string;
    try {
      keySource = { kind: 'file', path, bytes: new Uint8Array(await readFile(path)) };
    } catch (e) {
      return err(`--heartbeat-key-file: cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const excludes: RegExp[] = [];
  for (const source of f.l2ExcludeInterface ?? metallbDefaultExcludes) {
    try {
      excludes.push(new RegExp(source));
    } catch {
      return err(`--l2-exclude-interface: ${JSON.stringify(source)} is not a regular expression`);
    }
  }
  return ok({ keySource, heartbeatPort: f.heartbeatPort, heartbeatIntervalMs: f.heartbeatInterval, heartbeatMissed: f.heartbeatMissed, excludeInterfaces: excludes, scanIntervalMs: 5_000, refreshMs: f.l2RefreshInterval ?? null, ignoreExcludeLB: f.ignoreExcludeLb ?? false });
}

export async function buildL2Handler(o: L2Options, ctx: HandlerContext): Promise<BuiltHandler> {
  const logger = ctx.logger.child({ protocol: 'l2' });
  const handler = l2Handler({
    node: ctx.node,
    heartbeat: { keySource: o.keySource, port: o.heartbeatPort, intervalMs: o.heartbeatIntervalMs, missedIntervals: o.heartbeatMissed, jitterMarginMs: heartbeatDefaults.jitterMarginMs },
    excludeInterfaces: o.excludeInterfaces,
    ignoreExcludeLB: o.ignoreExcludeLB,
    scanIntervalMs: o.scanIntervalMs,
    burst: { ...defaultBurstPolicy, refreshMs: o.refreshMs },
    incarnation: randomIncarnation(),
    ports: {
      openLink: (ifname, onError) => openRawLink(ifname, { protocols: 'arp+ipv6', onError }),
      scanInterfaces: () => scanSysfsInterfaces(),
      startUdp: startUdpHeartbeats,
      timers: realTimers,
    },
    clock: ctx.clock,
    signal: ctx.signal,
    logger,
    metrics: l2Metrics(ctx.registry, ctx.node),
    ...(ctx.announcements === undefined
      ? {}
      : {
          onOwned: (owned: readonly { readonly service: string; readonly interfaces: readonly string[] | null }[]) =>
            ctx.announcements?.('l2', owned.map((o) => ({ protocol: 'l2' as const, ...splitServiceKey(o.service), targets: o.interfaces }))),
        }),
  });
  handler.start();
  return handler;
}

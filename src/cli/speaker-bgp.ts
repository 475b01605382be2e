// The speaker's BGP wiring: validation of its flags (defined in speaker-bgp-flags.ts), and the
// handler built over the real ports: vtysh/frr-reload.py (VtyshPort, with bgpd-only batches sent
// to bgpd's vty socket by VtySocketPort when it is there), the single FRR writer (ApplyQueue +
// Applier), the FRR restart watch on FRR's runtime directory, and the session watcher
// (FrrStateWatcher) with its metrics.
//
// Paths are given as FRR sees them. `--frr-root` is where FRR's filesystem root is from here: `/`
// for the sidecar (shared volumes), a chroot in the e2e tests and the lab.

import { mkdtemp, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { splitServiceKey } from '../api/model.ts';
import { intern } from '../core/intern.ts';
import { none } from '../core/kept-list.ts';
import { err, ok, type Result } from '../core/result.ts';
import type { LogLevel } from '../log/logger.ts';
import { bgpMetrics } from '../metrics/bgp-metrics.ts';
import { announcedReporter } from '../metrics/speaker-announced.ts';
import { Applier } from '../speaker/bgp/apply/applier.ts';
import { ApplyQueue, type QueueEvent } from '../speaker/bgp/apply/apply-queue.ts';
import { watchFrrRestarts } from '../speaker/bgp/apply/frr-watch.ts';
import { systemClock } from '../speaker/bgp/apply/hooks.ts';
import { VtySocketPort } from '../speaker/bgp/apply/vty-socket-port.ts';
import { VtyshPort } from '../speaker/bgp/apply/vtysh-port.ts';
import type { Announcement } from '../k8s/announcement-status.ts';
import type { NodeAnnouncement } from '../speaker/bgp/announce.ts';
import { bgpHandler } from '../speaker/bgp/handler.ts';
import { frrLogLevelFor, parseFrrLogLevel, type FrrLogLevel } from '../speaker/bgp/log-level.ts';
import { FrrStateWatcher } from '../speaker/bgp/state/watcher.ts';
import { vtyshQuery } from '../speaker/bgp/state/vtysh-query.ts';
import type { BgpFlags } from './speaker-bgp-flags.ts';
import type { BuiltHandler, HandlerContext } from './speaker-handlers.ts';

export type BgpOptions = {
  /** argv that runs vtysh (before `-N` and its own arguments). */
  readonly vtysh: readonly [string, ...string[]];
  /** argv that runs frr-reload.py (before its arguments). */
  readonly reload: readonly [string, ...string[]];
  readonly pathspace: string | null;
  /** FRR's filesystem root as seen from the speaker. */
  readonly frrRoot: string;
  /** frr.conf as FRR sees it. */
  readonly configPath: string;
  /** FRR's runtime directory (pid files, vty sockets) as FRR sees it. */
  readonly runDir: string;
  /** Where batch files go, as FRR sees it (inside frrRoot). */
  readonly scratchDir: string;
  /** Send bgpd-only batches to `<runDir>/bgpd.vty` directly (vtysh when it cannot be reached). */
  readonly vtySocket: boolean;
  readonly hostname: string;
  readonly frrLogLevel: FrrLogLevel;
  readonly ignoreExcludeLB: boolean;
  readonly pollIntervalMs: number;
  readonly verifyEveryMs: number;
};

const argv = (flag: string, text: string): Result<readonly [string, ...string[]], string> => {
  const words = text.split(' ').filter((w) => w !== '');
  const [first, ...rest] = words;
  return first === undefined ? err(`${flag}: empty command`) : ok([first, ...rest]);
};

/** Validates the flags; errors are usage errors. */
export function bgpOptionsFromFlags(f: BgpFlags, speakerLogLevel: LogLevel): Result<BgpOptions, string> {
  const vtysh = argv('--vtysh', f.vtysh);
  if (!vtysh.ok) return vtysh;
  const reload = argv('--frr-reload', f.frrReload);
  if (!reload.ok) return reload;
  const pathspace = f.frrPathspace ?? null;
  if (pathspace !== null && !/^[A-Za-z0-9_.-]{1,64}$/.test(pathspace)) return err(`--frr-pathspace: ${JSON.stringify(pathspace)} is not a pathspace name (letters, digits, _ . -)`);
  for (const [flag, path] of [['--frr-root', f.frrRoot], ['--frr-config', f.frrConfig], ['--frr-run-dir', f.frrRunDir], ['--frr-scratch-dir', f.frrScratchDir]] as const) {
    if (path !== undefined && !path.startsWith('/')) return err(`${flag}: ${JSON.stringify(path)} must be an absolute path`);
  }
  if (/\s/.test(f.hostname) || f.hostname === '') return err(`--hostname: ${JSON.stringify(f.hostname)} must be one word`);
  let frrLogLevel = frrLogLevelFor(speakerLogLevel);
  if (f.frrLogLevel !== undefined) {
    const parsed = parseFrrLogLevel(f.frrLogLevel);
    if (parsed === null) return err(`--frr-log-level: ${JSON.stringify(f.frrLogLevel)} is neither an FRR nor a speaker log level`);
    frrLogLevel = parsed;
  }
  const sub = pathspace === null ? '' : `/${pathspace}`;
  return ok({
    vtysh: vtysh.value,
    reload: reload.value,
    pathspace,
    frrRoot: f.frrRoot,
    configPath: f.frrConfig ?? `/etc/frr${sub}/frr.conf`,
    runDir: f.frrRunDir ?? `/run/frr${sub}`,
    scratchDir: f.frrScratchDir,
    vtySocket: f.frrVtySocket,
    hostname: f.hostname,
    frrLogLevel,
    ignoreExcludeLB: f.ignoreExcludeLb,
    pollIntervalMs: f.frrPollInterval,
    verifyEveryMs: f.frrVerifyInterval,
  });
}

/** `path` (as FRR sees it) as seen from here. */
const fromHere = (root: string, path: string): string => (root === '/' ? path : join(root, path));

export async function buildBgpHandler(o: BgpOptions, ctx: HandlerContext): Promise<BuiltHandler> {
  const logger = ctx.logger.child({ protocol: 'bgp' });
  const metrics = bgpMetrics(ctx.registry);
  const pathspace = o.pathspace === null ? [] : ['-N', o.pathspace];
  // A private directory for batch files, so names never collide with another speaker's.
  const scratchHere = await mkdtemp(join(fromHere(o.frrRoot, o.scratchDir), `barelb-${ctx.node}-`));
  const scratchInFrr = join(o.scratchDir, scratchHere.slice(scratchHere.lastIndexOf('/') + 1));
  ctx.signal.addEventListener('abort', () => void rm(scratchHere, { recursive: true, force: true }), { once: true });
  const vtysh = new VtyshPort({
    vtysh: o.vtysh,
    reload: o.reload,
    ...(o.pathspace === null ? {} : { pathspace: o.pathspace }),
    scratchDir: scratchHere,
    scratchDirInFrr: scratchInFrr,
    configPath: fromHere(o.frrRoot, o.configPath),
  });
  const runHere = fromHere(o.frrRoot, o.runDir);
  const socketHere = join(runHere, 'bgpd.vty');
  const port = o.vtySocket ? new VtySocketPort({ socketPath: socketHere, vtysh, logger }) : vtysh;
  let applied = false;
  const applier = new Applier({ port, clock: systemClock, logger, recorder: metrics });
  const queue = new ApplyQueue({
    applier,
    clock: systemClock,
    logger,
    verifyEveryMs: o.verifyEveryMs,
    onEvent: (e: QueueEvent) => {
      if (e.type === 'applied') applied = true;
    },
  });
  const queueDone = queue.run(ctx.signal);
  // With a pathspace, FRR deletes and re-creates its own directory: watch the parent.
  const watch = watchFrrRestarts(
    { dir: runHere, ...(o.pathspace === null ? {} : { watchRoot: fromHere(o.frrRoot, o.runDir.slice(0, o.runDir.lastIndexOf('/')) || '/') }), clock: systemClock, logger, onRestart: () => queue.frrRestarted() },
    ctx.signal,
  );
  await watch.ready;
  const state = new FrrStateWatcher({ query: vtyshQuery({ command: [...o.vtysh, ...pathspace] }), logger, metrics, intervalMs: o.pollIntervalMs });
  const stateDone = state.run(ctx.signal);
  void Promise.all([queueDone, stateDone, watch.closed]).catch((e: unknown) => logger.error({ error: String(e) }, 'BGP workers failed'));
  const handler = bgpHandler({
    hostname: o.hostname,
    logLevel: o.frrLogLevel,
    ignoreExcludeLB: o.ignoreExcludeLB,
    sink: queue,
    logger,
    onAnnounced: announcedReporter(ctx.registry, 'bgp', ctx.node),
    ...(ctx.announcements === undefined ? {} : { onNodeAnnouncement: (n: NodeAnnouncement) => ctx.announcements?.('bgp', bgpAnnouncements(n)) }),
  });
  const bgpdBatches = !o.vtySocket ? 'vtysh (--no-frr-vty-socket)' : (await isSocket(socketHere)) ? `vty socket ${socketHere}` : `vtysh until ${socketHere} appears`;
  logger.info({ vtysh: o.vtysh.join(' '), pathspace: o.pathspace, config: o.configPath, runDir: o.runDir, bgpdBatches }, 'driving FRR');
  return { ...handler, ready: () => applied };
}

const isSocket = (path: string): Promise<boolean> => stat(path).then((s) => s.isSocket(), () => false);

// The list is held by the status writer until the next round: at 10 000 Services a Set and a target
// list of each Service's own were ~1.5 MB. Equal target lists are one list instead (most Services
// take one advertisement's peer list, already sorted and distinct, as it is).
/** Per announced Service: the BGPPeers its prefixes go to from this node. */
export function bgpAnnouncements(n: NodeAnnouncement): Announcement[] {
  const peers = new Map<string, readonly string[]>();
  for (const ip of n.ips) {
    if (!ip.announced) continue;
    let list = peers.get(ip.service);
    for (const ad of ip.advertisements) list = list === undefined || list === ad.peers ? ad.peers : [...new Set([...list, ...ad.peers])].sort();
    peers.set(ip.service, list ?? none);
  }
  const shared = new Map<string, readonly string[]>();
  return [...peers].map(([service, list]) => {
    const sig = list.join('\u0000');
    const targets = shared.get(sig) ?? list;
    shared.set(sig, targets);
    const { namespace, name } = splitServiceKey(service);
    return { protocol: 'bgp' as const, namespace: intern(namespace), name, targets };
  });
}

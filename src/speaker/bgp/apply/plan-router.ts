// Plans the `router bgp` instances: a removed neighbor goes with one `no neighbor X` (a hard
// Cease, frr.md §2.4), a new one arrives remote-as first and activated in the same batch, and
// instance additions or removals next to existing ones (ASN or VRF change) need a full reload.
import { childrenOf } from './frr-config.ts';
import type { FrrConfig, FrrContext } from './frr-config.ts';
import { diffLines } from './line-diff.ts';
import { pushStep } from './plan-model.ts';
import type { PlanBuilder, Step } from './plan-model.ts';

const NEIGHBOR_DEFINITION = /^neighbor (\S+) (?:interface )?(?:remote-as|peer-group)(?: |$)/;
const NEIGHBOR_LINE = /^(?:no )?neighbor (\S+) /;

export function routersOf(config: FrrConfig): Map<string, FrrContext> {
  return new Map([...config.contexts.values()].filter((c) => c.path.length === 1 && c.path[0]?.startsWith('router bgp ') === true).map((c) => [c.path[0] ?? '', c]));
}

/** Neighbors (addresses, interfaces or peer-group names) an instance defines. */
export function neighborsOf(router: FrrContext): Set<string> {
  const ids = new Set<string>();
  for (const line of router.lines) {
    const id = NEIGHBOR_DEFINITION.exec(line)?.[1];
    if (id !== undefined) ids.add(id);
  }
  return ids;
}

export function planRouters(running: FrrConfig, desired: FrrConfig, b: PlanBuilder): void {
  const before = routersOf(running);
  const after = routersOf(desired);
  for (const line of before.keys()) {
    if (after.has(line)) continue;
    b.routers.push({ path: [], commands: [`no ${line}`] });
    b.changes.push({ op: 'remove', path: [], line, cls: 'full-reload', why: 'BGP instance removed (ASN or VRF change): all its sessions go' });
  }
  for (const [line, router] of after) {
    const old = before.get(line);
    if (old === undefined) addRouter(desired, router, before.size > 0, b);
    else changeRouter(running, desired, old, router, b);
  }
}

/** A new instance: full reload when it replaces another (ASN/VRF change), else one batch. */
function addRouter(desired: FrrConfig, router: FrrContext, replacing: boolean, b: PlanBuilder): void {
  const cls = replacing ? 'full-reload' : 'incremental';
  const why = replacing ? 'BGP instance added next to existing ones (ASN or VRF change)' : 'BGP instance added';
  for (const ctx of [router, ...childrenOf(desired, router)]) {
    pushStep(b.routers, { path: ctx.path, commands: ctx.lines, create: true });
    for (const line of ctx.lines) b.changes.push({ op: 'add', path: ctx.path, line, cls, why });
  }
}

function changeRouter(running: FrrConfig, desired: FrrConfig, old: FrrContext, next: FrrContext, b: PlanBuilder): void {
  const oldNeighbors = neighborsOf(old);
  const newNeighbors = neighborsOf(next);
  const removed = [...oldNeighbors].filter((n) => !newNeighbors.has(n));
  const added = new Set([...newNeighbors].filter((n) => !oldNeighbors.has(n)));
  const keepRemoved = (line: string): boolean => removed.includes(NEIGHBOR_LINE.exec(line)?.[1] ?? '');
  const addedAs = (line: string): { cls: 'incremental'; why: string } | undefined =>
    added.has(NEIGHBOR_LINE.exec(line)?.[1] ?? '') ? { cls: 'incremental', why: 'neighbor added' } : undefined;
  for (const id of removed) {
    b.changes.push({ op: 'remove', path: old.path, line: `neighbor ${id}`, cls: 'incremental', why: 'neighbor removed (one `no neighbor`: hard Cease)' });
  }
  const top = diffLines(next.path, old.lines, next.lines, { kind: 'router', keepRemoved, addedAs });
  b.changes.push(...top.changes);
  pushStep(b.routers, { path: next.path, commands: [...removed.map((id) => `no neighbor ${id}`), ...top.removals, ...orderAdditions(top.additions)] });
  const families = new Map<string, { old?: FrrContext; next?: FrrContext }>();
  for (const ctx of childrenOf(running, old)) families.set(ctx.path[1] ?? '', { old: ctx });
  for (const ctx of childrenOf(desired, next)) families.set(ctx.path[1] ?? '', { ...families.get(ctx.path[1] ?? ''), next: ctx });
  for (const [family, pair] of families) {
    const path = [next.path[0] ?? '', family];
    const diff = diffLines(path, pair.old?.lines ?? [], pair.next?.lines ?? [], { kind: 'address-family', keepRemoved, addedAs });
    b.changes.push(...diff.changes);
    pushStep(b.routers, addressFamilyStep(path, diff.removals, diff.additions));
  }
}

/** Network withdrawals go last so that new prefixes are out before old ones leave (frr.md §6.3). */
function addressFamilyStep(path: readonly string[], removals: readonly string[], additions: readonly string[]): Step {
  const withdrawals = removals.filter((c) => c.startsWith('no network '));
  const others = removals.filter((c) => !c.startsWith('no network '));
  return { path, commands: [...others, ...additions, ...withdrawals] };
}

/**
 * Router-level additions: global `bgp …` lines first, then neighbor definitions (peer-groups,
 * then remote-as), then neighbor options, which FRR refuses for an undefined neighbor.
 */
function orderAdditions(lines: readonly string[]): string[] {
  const rank = (line: string): number => {
    if (!NEIGHBOR_LINE.test(line)) return 0;
    if (/^neighbor \S+ peer-group$/.test(line)) return 1;
    return NEIGHBOR_DEFINITION.test(line) ? 2 : 3;
  };
  return lines.map((line, index) => ({ line, index, rank: rank(line) })).sort((a, b) => a.rank - b.rank || a.index - b.index).map((x) => x.line);
}

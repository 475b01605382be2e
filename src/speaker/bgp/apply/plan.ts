// Turns a running and a desired config (both normalised) into an ordered, classified vtysh plan:
// new policy and globals first, then the BGP instances, then removal of what nothing uses any more.
// Pure: the same two configs always give the same plan.
import { childrenOf, contextKey } from './frr-config.ts';
import type { FrrConfig, FrrContext } from './frr-config.ts';
import { diffLines } from './line-diff.ts';
import { contextKind, worstClass } from './line-rules.ts';
import type { ChangeClass } from './line-rules.ts';
import { readConfig } from './normalise.ts';
import { newPlanBuilder, pushStep } from './plan-model.ts';
import type { ApplyPlan, BatchTarget, Change, PlanBuilder } from './plan-model.ts';
import { planRouters } from './plan-router.ts';
import { softClears } from './soft-clear.ts';

/** Plans the change from `running` to `desired`; both must come from `normaliseConfig`. */
export function planApply(running: FrrConfig, desired: FrrConfig): ApplyPlan {
  const b = newPlanBuilder();
  const globals = diffLines([], running.globals, desired.globals, { kind: 'global' });
  b.changes.push(...globals.changes);
  pushStep(b.policy, { path: [], commands: globals.additions });
  planContexts(running, desired, b);
  planRouters(running, desired, b);
  // Global removals (prefix-lists, …) after the route-maps that match them are gone.
  pushStep(b.cleanup, { path: [], commands: globals.removals });
  return {
    changes: b.changes,
    cls: b.changes.length === 0 ? 'none' : worstClass(b.changes.map((c) => c.cls)),
    steps: [...b.policy, ...b.routers, ...b.cleanup],
    target: targetOf(b.changes),
    softClears: softClears(running, desired, b.changes),
  };
}

/** Plans from config text; a convenience for callers holding text (tests, the applier). */
export function planFromText(runningText: string, desiredText: string): ApplyPlan {
  return planApply(readConfig(runningText), readConfig(desiredText));
}

/** Top-level contexts other than `router bgp`: route-map entries, `bfd`, interfaces, … */
function planContexts(running: FrrConfig, desired: FrrConfig, b: PlanBuilder): void {
  const tops = (c: FrrConfig): Map<string, FrrContext> =>
    new Map([...c.contexts].filter(([, ctx]) => ctx.path.length === 1 && ctx.path[0]?.startsWith('router bgp ') !== true));
  const before = tops(running);
  const after = tops(desired);
  for (const [key, old] of before) {
    if (after.has(key)) continue;
    const retyped = retypedRouteMapEntry(old, after);
    // A route-map entry whose permit/deny changes is deleted first: FRR would keep its old clauses.
    if (retyped) pushStep(b.policy, { path: [], commands: [`no ${old.path[0] ?? ''}`] });
    else removeContext(running, old, b);
    b.changes.push({ op: 'remove', path: [], line: old.path[0] ?? '', cls: classOf(old, 'incremental'), why: 'context removed' });
  }
  for (const [key, next] of after) {
    const old = before.get(key);
    if (old === undefined) addContext(desired, next, b);
    else changeContext(running, desired, old, next, b);
  }
}

function addContext(desired: FrrConfig, ctx: FrrContext, b: PlanBuilder): void {
  for (const c of [ctx, ...childrenOf(desired, ctx)]) {
    pushStep(b.policy, { path: c.path, commands: c.lines, create: true });
    b.changes.push({ op: 'add', path: c.path, line: c.path[c.path.length - 1] ?? '', cls: classOf(c, 'incremental'), why: 'context added' });
    for (const line of c.lines) b.changes.push({ op: 'add', path: c.path, line, cls: classOf(c, 'incremental'), why: 'context added' });
  }
}

/** Route-map entries, routers and profiles go with `no <context>`; others are emptied line by line. */
function removeContext(running: FrrConfig, ctx: FrrContext, b: PlanBuilder): void {
  const head = ctx.path[ctx.path.length - 1] ?? '';
  if (isDeletableContext(head)) {
    pushStep(b.cleanup, { path: ctx.path.slice(0, -1), commands: [`no ${head}`] });
    return;
  }
  for (const child of childrenOf(running, ctx)) removeContext(running, child, b);
  const diff = diffLines(ctx.path, ctx.lines, [], { kind: contextKind(ctx) });
  pushStep(b.cleanup, { path: ctx.path, commands: diff.removals });
}

function changeContext(running: FrrConfig, desired: FrrConfig, old: FrrContext, next: FrrContext, b: PlanBuilder): void {
  const diff = diffLines(next.path, old.lines, next.lines, { kind: contextKind(next) });
  b.changes.push(...diff.changes.map((c) => ({ ...c, cls: classOf(next, c.cls) })));
  pushStep(b.policy, { path: next.path, commands: [...diff.removals, ...diff.additions] });
  const oldChildren = new Map(childrenOf(running, old).map((c) => [contextKey(c.path), c]));
  const newChildren = new Map(childrenOf(desired, next).map((c) => [contextKey(c.path), c]));
  for (const [key, child] of oldChildren) {
    if (newChildren.has(key)) continue;
    removeContext(running, child, b);
    b.changes.push({ op: 'remove', path: old.path, line: child.path[1] ?? '', cls: classOf(child, 'incremental'), why: 'sub-context removed' });
  }
  for (const [key, child] of newChildren) {
    const before = oldChildren.get(key);
    if (before === undefined) addContext(desired, child, b);
    else changeContext(running, desired, before, child, b);
  }
}

const DELETABLE: readonly RegExp[] = [/^route-map /, /^router /, /^key chain /, /^(profile|peer) /, /^key \d+$/, /^pbr-map /, /^nexthop-group /];

function isDeletableContext(head: string): boolean {
  return DELETABLE.some((re) => re.test(head));
}

/** VRF definitions move interfaces and instances: a full reload (brief; frr.md §2.3). */
function classOf(ctx: FrrContext, cls: ChangeClass): ChangeClass {
  return ctx.path[0]?.startsWith('vrf ') === true ? 'full-reload' : cls;
}

function retypedRouteMapEntry(old: FrrContext, after: ReadonlyMap<string, FrrContext>): boolean {
  const m = /^route-map (\S+) (permit|deny) (\d+)$/.exec(old.path[0] ?? '');
  if (m === null) return false;
  const other = `route-map ${m[1] ?? ''} ${m[2] === 'permit' ? 'deny' : 'permit'} ${m[3] ?? ''}`;
  return after.has(other);
}

/**
 * `bgpd` when every change only concerns bgpd and adds nothing another daemon must drop later:
 * lines of `router bgp`, and new prefix-list entries (zebra's copies stay a subset of bgpd's, so
 * the merged running config still equals bgpd's view). Saves mgmtd's O(size) commit [lab 10.3].
 */
function targetOf(changes: readonly Change[]): BatchTarget {
  const bgpdOnly = (c: Change): boolean =>
    c.path[0]?.startsWith('router bgp ') === true || (c.path.length === 0 && c.op === 'add' && /^(ip|ipv6) prefix-list /.test(c.line));
  return changes.length > 0 && changes.every(bgpdOnly) ? 'bgpd' : 'all';
}

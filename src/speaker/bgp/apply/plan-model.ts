// The data an apply plan is made of: classified changes, and vtysh steps (commands inside one
// context) collected in three phases so that FRR sees policy before its users, and users
// disappear before their policy does.
import type { ChangeClass } from './line-rules.ts';

export const CHANGE_OPS = ['add', 'remove', 'replace'] as const;
export type ChangeOp = (typeof CHANGE_OPS)[number];

export interface Change {
  readonly op: ChangeOp;
  /** Context path; `[]` for a top-level line. */
  readonly path: readonly string[];
  /** The line added, or removed; for `replace`, the new line. */
  readonly line: string;
  /** For `replace`: the line it overwrites. */
  readonly previous?: string;
  readonly cls: ChangeClass;
  readonly why: string;
}

/** Commands run inside one context, entered from the top of config mode and left again. */
export interface Step {
  readonly path: readonly string[];
  readonly commands: readonly string[];
  /** Enter the context even without commands (creates an empty route-map entry or profile). */
  readonly create?: boolean;
}

/** Which daemons a batch goes to: `bgpd` alone skips mgmtd/zebra/bfdd (frr.md §3.1 `-d`). */
export type BatchTarget = 'all' | 'bgpd';

export interface ApplyPlan {
  /** Every change, classified. Empty when running and desired configs are equal. */
  readonly changes: readonly Change[];
  /** The costliest change; `none` for an empty plan. */
  readonly cls: ChangeClass | 'none';
  /** Steps in apply order (policy, routers, cleanup). */
  readonly steps: readonly Step[];
  readonly target: BatchTarget;
  /** Exec commands (`clear bgp … soft out`) to run after the steps; see soft-clear.ts. */
  readonly softClears: readonly string[];
}

/** Mutable collector used while planning. */
export interface PlanBuilder {
  readonly changes: Change[];
  /** New and changed policy and globals: first, so that users find them. */
  readonly policy: Step[];
  /** `router bgp` instances: neighbors, address families, networks. */
  readonly routers: Step[];
  /** Removed policy and globals: last, after nothing references them. */
  readonly cleanup: Step[];
}

export function newPlanBuilder(): PlanBuilder {
  return { changes: [], policy: [], routers: [], cleanup: [] };
}

/** Adds a step when it has commands (or must create its context). */
export function pushStep(phase: Step[], step: Step): void {
  if (step.commands.length > 0 || step.create === true) phase.push(step);
}

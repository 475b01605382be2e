// The controller's loop, independent of where config and state live: each snapshot from the
// store is validated, reconciled and, when something changed, persisted through the store.
// An invalid snapshot changes nothing: the last valid configuration stays in force.

import { ParseCache, parseInput, type ParsedInput } from '../api/input.ts';
import type { ConfigError, Pool, ServiceKey } from '../api/model.ts';
import type { AllocationOptions, AllocationPlan } from '../ipam/plan.ts';
import type { Logger } from '../log/logger.ts';
import type { ControllerMetrics } from '../metrics/controller-metrics.ts';
import type { NodeRenderer } from '../speaker/bgp/render.ts';
import { dryRunRender } from './dry-run.ts';
import { pendingIndex, type Allocations, type Reconciled } from './reconcile.ts';
import { Reconciler } from './reconciler.ts';

export type ControllerSnapshot = {
  readonly objects: readonly unknown[];
  /** Problems reading the source itself (unreadable file, YAML syntax). */
  readonly loadErrors: readonly ConfigError[];
  /**
   * What the store holds as allocated; null when it could not be read. The controller takes it
   * from the first snapshot where it is not null and keeps its own record from then on, so a
   * store may stop reading it after that.
   */
  readonly held: Allocations | null;
  readonly heldError: string | null;
};

export type ControllerStore = {
  /** Calls `onSnapshot` with the current state and after every change, one at a time, until the signal aborts. */
  readonly watch: (onSnapshot: (s: ControllerSnapshot) => Promise<void>, signal: AbortSignal) => Promise<void>;
  /** Makes the outcome durable (local: the state file; Kubernetes: Service status). */
  readonly persist: (r: Reconciled) => Promise<void>;
  /**
   * Persist every round, not only when allocations changed: the Kubernetes store compares the
   * plan with what each Service shows and repairs what someone else changed.
   */
  readonly alwaysPersist?: boolean;
  /** Told whether the newest configuration is valid (Kubernetes: ConfigurationState + Events). */
  readonly reportConfig?: (r: { readonly valid: boolean; readonly errors: readonly ConfigError[] }) => void;
};

export type ControllerDeps = {
  readonly store: ControllerStore;
  readonly logger: Logger;
  readonly metrics: ControllerMetrics;
  readonly options: AllocationOptions;
  /** Dry-run rendering: announce from nodes labelled exclude-from-external-load-balancers too. */
  readonly ignoreExcludeLB?: boolean;
  /** The dry run of every node's frr.conf. Default dryRunRender; tests inject failures. */
  readonly dryRun?: typeof dryRunRender;
};

export type ControllerStatus = { readonly ready: boolean; readonly lastPlan: AllocationPlan | null };

const errorsKey = (errors: readonly ConfigError[]): string => JSON.stringify(errors);

export class Controller {
  readonly #deps: ControllerDeps;
  /** Objects unchanged since an earlier snapshot are not read again. */
  readonly #parseCache = new ParseCache();
  /** Plans from the previous round's allocation state while the pools stay the same. */
  readonly #reconciler = new Reconciler();
  /** The dry run's per-node state: nodes whose inputs did not change are not rendered again. */
  readonly #renderers = new Map<string, NodeRenderer>();
  #allocations: Allocations | null = null;
  #pending = new Map<ServiceKey, string>();
  #lastErrors = '';
  #lastRenderProblems = '';
  /** The pools of the last valid configuration: in force while the newest one is invalid. */
  #lastPools: readonly Pool[] | null = null;
  #status: ControllerStatus = { ready: false, lastPlan: null };

  constructor(deps: ControllerDeps) {
    this.#deps = deps;
  }

  get status(): ControllerStatus {
    return this.#status;
  }

  run(signal: AbortSignal): Promise<void> {
    return this.#deps.store.watch((s) => this.#onSnapshot(s), signal);
  }

  async #onSnapshot(s: ControllerSnapshot): Promise<void> {
    const { logger, metrics } = this.#deps;
    if (this.#allocations === null) {
      if (s.held === null) {
        // Without the record of who holds what, allocating could hand a held address to another Service.
        logger.error({ error: s.heldError }, 'cannot read the allocation state; not allocating until it is readable');
        return;
      }
      this.#allocations = s.held;
    }
    const parsed = parseInput(s.objects, this.#parseCache);
    const errors = [...s.loadErrors, ...parsed.errors];
    let pools = parsed.config.pools;
    if (errors.length > 0) {
      this.#reportInvalid(errors);
      // The last valid pools stay in force for the Services as they are now, so new Services still
      // get addresses. Not when objects may be missing (a file that did not load) or a Service,
      // Namespace or Node itself is in doubt: then nothing moves until the input is whole again.
      const configOnly = s.loadErrors.length === 0 && errors.every((e) => !/^(Service|Namespace|Node|EndpointSlice)\//.test(e.object));
      if (this.#lastPools === null || !configOnly) return;
      pools = this.#lastPools;
    } else {
      if (this.#lastErrors !== '') logger.info({}, 'configuration is valid again');
      this.#lastErrors = '';
      this.#lastPools = parsed.config.pools;
      this.#deps.store.reportConfig?.({ valid: true, errors: [] });
      metrics.configStale(false);
      metrics.configLoaded(true);
    }
    const r = this.#reconciler.reconcile(pools, parsed.services, this.#allocations, this.#pending, this.#deps.options);
    if (r.changed || r.events.length > 0 || this.#deps.store.alwaysPersist === true) await this.#persist(r);
    this.#allocations = r.allocations;
    this.#pending = pendingIndex(r.plan);
    metrics.observePlan(r.plan);
    for (const e of r.events) {
      const line = { service: e.key, reason: e.reason, ...(e.code === null ? {} : { code: e.code }) };
      if (e.type === 'Warning') logger.warn(line, e.message);
      else logger.info(line, e.message);
    }
    if (errors.length === 0) this.#checkRender(parsed, r.allocations);
    this.#status = { ready: true, lastPlan: r.plan };
  }

  /** Renders every node's frr.conf as a dry run; each distinct failure is logged once. */
  #checkRender(parsed: ParsedInput, allocations: Allocations): void {
    const problems = (this.#deps.dryRun ?? dryRunRender)(parsed, allocations, { ignoreExcludeLB: this.#deps.ignoreExcludeLB ?? false }, this.#renderers);
    this.#deps.metrics.renderFailures(problems.reduce((n, p) => n + p.nodes.length, 0));
    const key = JSON.stringify(problems);
    if (key === this.#lastRenderProblems) return;
    if (problems.length === 0 && this.#lastRenderProblems !== '') this.#deps.logger.info({}, 'every node\'s frr.conf renders again');
    this.#lastRenderProblems = problems.length === 0 ? '' : key;
    for (const { error, nodes } of problems) {
      this.#deps.logger.error({ object: error.object, field: error.field, reason: error.reason, nodes }, `frr.conf cannot be rendered for ${nodes.length} node(s); their speakers keep FRR's current config: ${error.message}`);
    }
  }

  async #persist(r: Reconciled): Promise<void> {
    try {
      await this.#deps.store.persist(r);
      this.#deps.metrics.stateWrite(true);
    } catch (e) {
      this.#deps.metrics.stateWrite(false);
      throw e;
    }
  }

  #reportInvalid(errors: readonly ConfigError[]): void {
    this.#deps.store.reportConfig?.({ valid: false, errors });
    const key = errorsKey(errors);
    this.#deps.metrics.configStale(this.#allocations !== null && this.#status.ready);
    if (key === this.#lastErrors) return;
    this.#lastErrors = key;
    for (const e of errors) this.#deps.logger.warn({ object: e.object, field: e.field }, e.message);
    this.#deps.logger.error({ errors: errors.length }, 'configuration is invalid; keeping the last valid one in force');
  }
}

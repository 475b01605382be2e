// The speaker's loop, independent of where config and state live: it keeps the last valid
// view of the cluster and hands every new one to the protocol handlers (BGP, L2). An invalid
// configuration never reaches a handler, so nothing announced is withdrawn because of it.

import { ParseCache, parseInput, type ParsedInput } from '../api/input.ts';
import type { ConfigError, ServiceInput } from '../api/model.ts';
import type { Allocations } from '../controller/reconcile.ts';
import type { Logger } from '../log/logger.ts';
import { sameItems } from '../core/same-items.ts';
import { servedBy } from '../ipam/service-order.ts';

export type SpeakerSnapshot = {
  readonly objects: readonly unknown[];
  readonly loadErrors: readonly ConfigError[];
  /** The controller's allocations; null when they could not be read (the last ones stay). */
  readonly allocations: Allocations | null;
};

/** Everything a protocol handler needs to decide what this node announces. */
export type SpeakerView = {
  readonly node: string;
  readonly input: ParsedInput;
  readonly allocations: Allocations;
};

export type SpeakerStore = {
  readonly watch: (onSnapshot: (s: SpeakerSnapshot) => Promise<void>, signal: AbortSignal) => Promise<void>;
};

export type ProtocolHandler = {
  readonly name: string;
  /** Called with each new valid view; must not throw for expected failures (it logs and retries itself). */
  readonly update: (view: SpeakerView) => Promise<void>;
};

export type SpeakerDeps = {
  readonly node: string;
  readonly store: SpeakerStore;
  readonly handlers: readonly ProtocolHandler[];
  readonly logger: Logger;
  readonly onConfigState?: (state: { loaded: boolean; stale: boolean; errors: readonly ConfigError[] }) => void;
  /**
   * The loadBalancerClass this speaker serves (null: Services without a class), as the controller's
   * --lb-class. Services of another class or type are not announced, whatever address their status
   * shows: another implementation may have given it.
   */
  readonly loadBalancerClass?: string | null;
};

export class Speaker {
  readonly #deps: SpeakerDeps;
  /** Objects unchanged since an earlier snapshot are not read again. */
  readonly #parseCache = new ParseCache();
  #input: ParsedInput | null = null;
  #allocations: Allocations = new Map();
  #lastErrors = '';
  /** The served Services of the last parse, kept while the parse gives the same Services. */
  #served: { readonly from: readonly ServiceInput[]; readonly services: readonly ServiceInput[] } | null = null;

  constructor(deps: SpeakerDeps) {
    this.#deps = deps;
  }

  get ready(): boolean {
    return this.#input !== null;
  }

  run(signal: AbortSignal): Promise<void> {
    return this.#deps.store.watch((s) => this.#onSnapshot(s), signal);
  }

  async #onSnapshot(s: SpeakerSnapshot): Promise<void> {
    const parsed = parseInput(s.objects, this.#parseCache);
    const errors = [...s.loadErrors, ...parsed.errors];
    if (errors.length === 0) {
      if (this.#lastErrors !== '') this.#deps.logger.info({}, 'configuration is valid again');
      this.#lastErrors = '';
      this.#input = parsed;
    } else {
      this.#reportInvalid(errors);
      // The last valid configuration stays in force for the cluster as it is now (new Services,
      // endpoints, nodes), unless objects may be missing or a Service/Node itself is in doubt.
      const configOnly = s.loadErrors.length === 0 && parsed.errors.every((e) => !/^(Service|Namespace|Node|EndpointSlice)\//.test(e.object));
      if (this.#input !== null && configOnly) this.#input = { ...parsed, config: this.#input.config, errors: [] };
    }
    if (s.allocations !== null) this.#allocations = s.allocations;
    this.#deps.onConfigState?.({ loaded: this.#input !== null, stale: errors.length > 0, errors });
    if (this.#input === null) return;
    const view: SpeakerView = { node: this.#deps.node, input: this.#servedOnly(this.#input), allocations: this.#allocations };
    for (const h of this.#deps.handlers) {
      try {
        await h.update(view);
      } catch (e) {
        this.#deps.logger.error({ handler: h.name, error: e instanceof Error ? e.message : String(e) }, 'protocol handler failed');
      }
    }
  }

  /**
   * The input with only the Services this speaker serves: the input itself when it serves them all,
   * else the same filtered list while the parse gives the same Services (item by item), so what is
   * built from the list downstream can tell nothing changed.
   */
  #servedOnly(input: ParsedInput): ParsedInput {
    const lbClass = this.#deps.loadBalancerClass ?? null;
    const all = input.services;
    const last = this.#served;
    let services: readonly ServiceInput[];
    if (last !== null && sameItems(last.from, all)) {
      services = last.services === last.from ? all : last.services;
    } else {
      services = all.every((svc) => servedBy(svc, lbClass)) ? all : all.filter((svc) => servedBy(svc, lbClass));
    }
    this.#served = { from: all, services };
    return services === all ? input : { ...input, services };
  }

  #reportInvalid(errors: readonly ConfigError[]): void {
    const key = JSON.stringify(errors);
    if (key === this.#lastErrors) return;
    this.#lastErrors = key;
    for (const e of errors) this.#deps.logger.warn({ object: e.object, field: e.field }, e.message);
    this.#deps.logger.error({ errors: errors.length }, 'configuration is invalid; the last valid one stays in force');
  }
}

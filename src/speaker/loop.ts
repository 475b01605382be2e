// The speaker's loop, independent of where config and state live: it keeps the last valid
// view of the cluster and hands every new one to the protocol handlers (BGP, L2). An invalid
// configuration never reaches a handler, so nothing announced is withdrawn because of it.

import { ParseCache, parseInput, type ParsedInput } from '../api/input.ts';
import type { ConfigError } from '../api/model.ts';
import type { Allocations } from '../controller/reconcile.ts';
import type { Logger } from '../log/logger.ts';

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
};

export class Speaker {
  readonly #deps: SpeakerDeps;
  /** Objects unchanged since an earlier snapshot are not read again. */
  readonly #parseCache = new ParseCache();
  #input: ParsedInput | null = null;
  #allocations: Allocations = new Map();
  #lastErrors = '';

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
    const view: SpeakerView = { node: this.#deps.node, input: this.#input, allocations: this.#allocations };
    for (const h of this.#deps.handlers) {
      try {
        await h.update(view);
      } catch (e) {
        this.#deps.logger.error({ handler: h.name, error: e instanceof Error ? e.message : String(e) }, 'protocol handler failed');
      }
    }
  }

  #reportInvalid(errors: readonly ConfigError[]): void {
    const key = JSON.stringify(errors);
    if (key === this.#lastErrors) return;
    this.#lastErrors = key;
    for (const e of errors) this.#deps.logger.warn({ object: e.object, field: e.field }, e.message);
    this.#deps.logger.error({ errors: errors.length }, 'configuration is invalid; the last valid one stays in force');
  }
}

// Reports whether a component runs a valid configuration: a ConfigurationState object per
// component (the controller, or one node's speaker) and a Warning Event on each object a new error
// names. Semantic validation is reported, not enforced by a webhook: an invalid configuration keeps
// the last valid one in force, and this is where the operator reads why.

import type { ConfigError } from '../api/model.ts';
import { ApiError, type KubeClient, type WireObject } from './client.ts';
import type { EventRecorder } from './events.ts';
import { metaTime } from './service-status.ts';

export type ConfigReport = { readonly valid: boolean; readonly errors: readonly ConfigError[] };

/** "IPAddressPool/barelb-system/p" or "Node/n1" → the object an Event is about. */
export function objectOfError(object: string): { apiVersion: string; kind: string; namespace: string; name: string } | null {
  const parts = object.split('/');
  const [kind, a, b] = parts;
  if (kind === undefined || a === undefined || parts.length > 3) return null;
  const apiVersion = ({ Service: 'v1', Node: 'v1', Namespace: 'v1', Secret: 'v1', EndpointSlice: 'discovery.k8s.io/v1' } as Record<string, string>)[kind] ?? (kind === 'BGPPeer' ? 'barelb.io/v1beta2' : 'barelb.io/v1beta1');
  return b === undefined ? { apiVersion, kind, namespace: '', name: a } : { apiVersion, kind, namespace: a, name: b };
}

export const lastErrorText = (errors: readonly ConfigError[]): string =>
  errors.map((e) => `${e.object} ${e.field}: ${e.message}`).join('; ').slice(0, 4_000);

export type ConfigStateOptions = {
  readonly client: KubeClient;
  readonly namespace: string;
  /** Object name: "controller" or "speaker-NODE". */
  readonly name: string;
  readonly events: EventRecorder;
  readonly now: () => number;
  readonly fieldManager: string;
  readonly onError: (error: unknown) => void;
};

export class ConfigStateReporter {
  readonly #o: ConfigStateOptions;
  #last = '';
  #reported = new Set<string>();
  #lastTransition = '';
  #lastValid: boolean | null = null;
  #chain: Promise<void> = Promise.resolve();

  constructor(options: ConfigStateOptions) {
    this.#o = options;
  }

  /** Records `r` if it differs from the last report; writes happen in order, in the background. */
  report(r: ConfigReport): void {
    const key = JSON.stringify(r);
    if (key === this.#last) return;
    this.#last = key;
    if (this.#lastValid !== r.valid) this.#lastTransition = metaTime(this.#o.now());
    this.#lastValid = r.valid;
    const fresh = r.errors.filter((e) => !this.#reported.has(JSON.stringify(e)));
    this.#reported = new Set(r.errors.map((e) => JSON.stringify(e)));
    for (const e of fresh) {
      const regarding = objectOfError(e.object);
      if (regarding === null) continue;
      this.#o.events.record({ regarding, type: 'Warning', reason: 'InvalidConfiguration', action: 'Validate', note: `${e.field === '' ? '' : `${e.field}: `}${e.message}; the last valid configuration stays in force` });
    }
    const status = this.#statusBody(r);
    this.#chain = this.#chain.then(() => this.#write(status)).catch(this.#o.onError);
  }

  /** Resolves once every report so far has been written (or failed). */
  settled(): Promise<void> {
    return this.#chain;
  }

  #statusBody(r: ConfigReport): WireObject {
    return {
      apiVersion: 'barelb.io/v1beta1',
      kind: 'ConfigurationState',
      metadata: { name: this.#o.name, namespace: this.#o.namespace },
      status: {
        result: r.valid ? 'Valid' : 'Invalid',
        lastError: lastErrorText(r.errors),
        conditions: [{
          type: 'ConfigurationValid',
          status: r.valid ? 'True' : 'False',
          reason: r.valid ? 'Valid' : 'Invalid',
          message: r.valid ? 'the configuration in force is the last one read' : `${r.errors.length} error(s); the last valid configuration stays in force`,
          lastTransitionTime: this.#lastTransition,
        }],
      },
    };
  }

  async #write(status: WireObject): Promise<void> {
    const base = `/apis/barelb.io/v1beta1/namespaces/${this.#o.namespace}/configurationstates`;
    try {
      await this.#o.client.create(base, { apiVersion: 'barelb.io/v1beta1', kind: 'ConfigurationState', metadata: { name: this.#o.name, namespace: this.#o.namespace } });
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 409)) throw e;
    }
    await this.#o.client.patch(`${base}/${this.#o.name}/status`, status, 'apply', this.#o.fieldManager);
  }
}

// events.k8s.io/v1 Events: a pure body builder, and a recorder that sends them in the background
// with bounded concurrency and a bounded backlog (an Event is a courtesy to the operator; a slow
// API server must not hold up allocation, and a burst never grows memory without bound).

import type { KubeClient, WireObject } from './client.ts';

export type EventType = 'Normal' | 'Warning';

export type EventSpec = {
  readonly regarding: { readonly apiVersion: string; readonly kind: string; readonly namespace: string; readonly name: string; readonly uid?: string };
  readonly type: EventType;
  /** Stable, CamelCase: IPAllocated, AllocationFailed, ConfigInvalid… */
  readonly reason: string;
  readonly action: string;
  readonly note: string;
};

/** MicroTime: the API server wants exactly six fractional digits. */
export const microTime = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

let sequence = 0;

/** client-go's naming: the object's name, a dot, a hex timestamp (made unique within the process). */
export function eventName(regardingName: string, now: number): string {
  sequence = (sequence + 1) % 4096;
  return `${regardingName.slice(0, 200)}.${(BigInt(now) * 1_000_000n + BigInt(sequence)).toString(16)}`;
}

export function eventBody(e: EventSpec, controller: string, instance: string, now: number): WireObject {
  // Events about cluster-scoped objects live in "default".
  const namespace = e.regarding.namespace === '' ? 'default' : e.regarding.namespace;
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name: eventName(e.regarding.name, now), namespace },
    eventTime: microTime(now),
    reportingController: controller,
    reportingInstance: instance.slice(0, 128),
    action: e.action.slice(0, 128),
    reason: e.reason.slice(0, 128),
    note: e.note.length > 1024 ? `${e.note.slice(0, 1021)}...` : e.note,
    type: e.type,
    regarding: { ...e.regarding, ...(e.regarding.namespace === '' ? { namespace: undefined } : {}) },
  };
}

export type EventRecorderOptions = {
  readonly client: KubeClient;
  readonly controller: string;
  readonly instance: string;
  readonly now: () => number;
  readonly onError: (error: unknown) => void;
  /** Sent at once at most. Default 8. */
  readonly concurrency?: number;
  /** Waiting at most; further Events are dropped and counted. Default 2 000. */
  readonly backlog?: number;
};

export class EventRecorder {
  readonly #o: EventRecorderOptions;
  readonly #queue: EventSpec[] = [];
  #running = 0;
  #dropped = 0;
  #idle: (() => void)[] = [];

  constructor(options: EventRecorderOptions) {
    this.#o = options;
  }

  get dropped(): number {
    return this.#dropped;
  }

  record(e: EventSpec): void {
    if (this.#queue.length >= (this.#o.backlog ?? 2_000)) {
      this.#dropped += 1;
      return;
    }
    this.#queue.push(e);
    this.#pump();
  }

  /** Resolves once everything queued has been sent (or failed). */
  flushed(): Promise<void> {
    return this.#running === 0 && this.#queue.length === 0 ? Promise.resolve() : new Promise((resolve) => this.#idle.push(resolve));
  }

  #pump(): void {
    while (this.#running < (this.#o.concurrency ?? 8) && this.#queue.length > 0) {
      const e = this.#queue.shift() as EventSpec;
      this.#running += 1;
      const body = eventBody(e, this.#o.controller, this.#o.instance, this.#o.now());
      const ns = (body['metadata'] as { namespace: string }).namespace;
      void this.#o.client
        .create(`/apis/events.k8s.io/v1/namespaces/${ns}/events`, body)
        .catch(this.#o.onError)
        .finally(() => {
          this.#running -= 1;
          this.#pump();
          if (this.#running === 0 && this.#queue.length === 0) for (const w of this.#idle.splice(0)) w();
        });
    }
  }
}

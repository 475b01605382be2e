// ServiceL2Status and ServiceBGPStatus, as MetalLB's speakers write them: one object per Service a
// node announces, saying over which interfaces (L2) or to which BGPPeers (BGP). Each speaker owns
// the objects labelled with its node: it creates what is missing, deletes what it no longer
// announces, and leaves the rest alone. Pure desired-state part first, then the writer.

import { setTimeout as sleep } from 'node:timers/promises';
import { intern } from '../core/intern.ts';
import { ApiError, type KubeClient, type WireObject } from './client.ts';

export type Announcement = {
  readonly protocol: 'l2' | 'bgp';
  readonly namespace: string;
  readonly name: string;
  /** L2: interface names, or null for all interfaces. BGP: BGPPeer names. */
  readonly targets: readonly string[] | null;
};

export const NODE_LABEL = 'barelb.io/node';
const SERVICE_NAME_LABEL = 'barelb.io/service-name';
const SERVICE_NAMESPACE_LABEL = 'barelb.io/service-namespace';

const kinds = {
  l2: { kind: 'ServiceL2Status', plural: 'servicel2statuses' },
  bgp: { kind: 'ServiceBGPStatus', plural: 'servicebgpstatuses' },
} as const;

/** Deterministic and valid (DNS subdomain): namespace.name.node, with the protocol first. */
export const statusObjectName = (a: Pick<Announcement, 'protocol' | 'namespace' | 'name'>, node: string): string => `${a.protocol}.${a.namespace}.${a.name}.${node}`.slice(0, 253);

/** The status part of a status object: what is compared with what was written. */
function statusOf(a: Announcement, node: string): WireObject {
  const targets = a.targets === null ? {} : a.protocol === 'l2' ? { interfaces: a.targets.map((name) => ({ name })) } : { peers: [...a.targets] };
  return { node, serviceName: a.name, serviceNamespace: a.namespace, ...targets };
}

export function statusObject(a: Announcement, node: string, namespace: string): WireObject {
  return {
    apiVersion: 'barelb.io/v1beta1',
    kind: kinds[a.protocol].kind,
    metadata: { name: statusObjectName(a, node), namespace, labels: { [NODE_LABEL]: node, [SERVICE_NAME_LABEL]: a.name, [SERVICE_NAMESPACE_LABEL]: a.namespace } },
    status: statusOf(a, node),
  };
}

/** What the writer keeps of a listed status object: its name and its status. */
const nameAndStatus = (item: WireObject): WireObject => ({ name: (item['metadata'] as WireObject | undefined)?.['name'], status: item['status'] });

/**
 * What the writer remembers of a status it wrote or found: the targets, as one string shared by
 * every Service with the same ones (a status's other fields follow from its object's name). At
 * 10 000 Services the JSON of each whole status was ~1 MB kept. A truncated name does not say
 * which Service it is: that status is remembered whole.
 */
function signature(a: Announcement, node: string): string {
  const name = statusObjectName(a, node);
  if (name.length >= 253) return JSON.stringify(statusOf(a, node));
  return intern(a.targets === null ? '*' : JSON.stringify(a.targets));
}

/** The signature of a status found on the server, or null when no announcement writes it exactly so. */
function foundSignature(protocol: 'l2' | 'bgp', name: unknown, status: unknown, node: string): string | null {
  if (typeof name !== 'string' || status === null || typeof status !== 'object') return null;
  const s = status as WireObject;
  const list = protocol === 'l2' ? s['interfaces'] : s['peers'];
  const targets = list === undefined ? null : Array.isArray(list) ? list.map((t: unknown) => (protocol === 'l2' ? (t as WireObject | null)?.['name'] : t)) : undefined;
  if (targets === undefined || (targets !== null && !targets.every((t) => typeof t === 'string'))) return null;
  const a: Announcement = { protocol, namespace: String(s['serviceNamespace']), name: String(s['serviceName']), targets: targets as string[] | null };
  // Only a status equal to what the writer would write for its own object counts as written.
  return statusObjectName(a, node) === name && JSON.stringify(statusOf(a, node)) === JSON.stringify(status) ? signature(a, node) : null;
}

export type AnnouncementStatusOptions = {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly node: string;
  readonly fieldManager: string;
  readonly onError: (error: unknown) => void;
  /** Once aborted, no new write starts: a stopping speaker exits instead of finishing a first sync
   * (two requests per Service, most of a minute at 10 000). */
  readonly signal?: AbortSignal;
  /** Wait before the next attempt after a failed sync (attempt 1, 2, ...): a failure at start (the
   * API server still starting: 429 "storage is (re)initializing") must not leave every status
   * unwritten until the announcements next change. Default 1 s doubling to 60 s. */
  readonly retryDelayMs?: (attempt: number) => number;
};

const defaultRetryDelayMs = (attempt: number): number => Math.min(60_000, 1000 * 2 ** (attempt - 1));

const writtenKey = (protocol: 'l2' | 'bgp', name: string): string => [protocol, name].join('/');

/** Keeps this node's status objects equal to what it announces; writes run one batch at a time. */
export class AnnouncementStatusWriter {
  readonly #o: AnnouncementStatusOptions;
  /** protocol/object name → signature of the status written ('' when it needs writing); null until listed. */
  #written: Map<string, string> | null = null;
  readonly #desired = new Map<'l2' | 'bgp', readonly Announcement[]>();
  #running: Promise<void> | null = null;
  #again = false;

  constructor(options: AnnouncementStatusOptions) {
    this.#o = options;
  }

  /** Replaces what one protocol announces from this node. */
  set(protocol: 'l2' | 'bgp', announcements: readonly Announcement[]): void {
    this.#desired.set(protocol, announcements);
    if (this.#stopped()) return;
    if (this.#running !== null) {
      this.#again = true;
      return;
    }
    this.#running = this.#loop().finally(() => (this.#running = null));
  }

  /** Resolves once the writes in progress are done. */
  async settled(): Promise<void> {
    while (this.#running !== null) await this.#running;
  }

  async #loop(): Promise<void> {
    let failures = 0;
    do {
      this.#again = false;
      try {
        await this.#sync();
        failures = 0;
      } catch (e) {
        this.#o.onError(e);
        failures += 1;
        // Cut short by the stop signal (the rejection is the stop, not an error).
        await sleep((this.#o.retryDelayMs ?? defaultRetryDelayMs)(failures), undefined, this.#o.signal === undefined ? {} : { signal: this.#o.signal }).catch(() => undefined);
        this.#again = true;
      }
    } while (this.#again && !this.#stopped());
  }

  #stopped(): boolean {
    return this.#o.signal?.aborted === true;
  }

  #path(protocol: 'l2' | 'bgp'): string {
    return `/apis/barelb.io/v1beta1/namespaces/${this.#o.namespace}/${kinds[protocol].plural}`;
  }

  async #sync(): Promise<void> {
    if (this.#written === null) {
      const written = new Map<string, string>();
      for (const protocol of ['l2', 'bgp'] as const) {
        // Each page is cut down to name and status as it arrives: after a restart this node may own
        // one object per Service (10 000 at scale), and their managedFields are most of each.
        const listed = await this.#o.client.list(`${this.#path(protocol)}?labelSelector=${encodeURIComponent(`${NODE_LABEL}=${this.#o.node}`)}`, undefined, nameAndStatus);
        for (const item of listed.items) written.set(writtenKey(protocol, String(item['name'])), foundSignature(protocol, item['name'], item['status'], this.#o.node) ?? '');
      }
      this.#written = written;
    }
    // One object at a time, made only when its write is due: a map of every desired object lived
    // through a whole first sync (10 000 writes, seconds) and was ~7 MB at 10 000 Services.
    const wanted = new Set<string>();
    for (const [protocol, list] of this.#desired) {
      for (const a of list) {
        const name = statusObjectName(a, this.#o.node);
        const key = writtenKey(protocol, name);
        wanted.add(key);
        const wrote = signature(a, this.#o.node);
        if (this.#written.get(key) === wrote) continue;
        if (this.#stopped()) return;
        const body = statusObject(a, this.#o.node, this.#o.namespace);
        try {
          await this.#o.client.create(this.#path(protocol), { ...body, status: undefined });
        } catch (e) {
          if (!(e instanceof ApiError && e.status === 409)) throw e;
        }
        await this.#o.client.patch(`${this.#path(protocol)}/${name}/status`, body, 'apply', this.#o.fieldManager);
        this.#written.set(key, wrote);
      }
    }
    for (const key of [...this.#written.keys()]) {
      const [protocol, name] = key.split('/') as ['l2' | 'bgp', string];
      // Only protocols that reported: a protocol that is off never deletes the other's objects.
      if (wanted.has(key) || !this.#desired.has(protocol)) continue;
      if (this.#stopped()) return;
      try {
        await this.#o.client.delete(`${this.#path(protocol)}/${name}`);
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 404)) throw e;
      }
      this.#written.delete(key);
    }
  }
}

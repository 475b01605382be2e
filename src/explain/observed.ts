// What the cluster itself says about one Service, read from wire JSON: the controller's
// barelb.io/IPAllocated condition, the speakers' ServiceL2Status and ServiceBGPStatus objects,
// and the Service's events.k8s.io/v1 Events (newest first). Pure: the adapter lists, this reads.

type Wire = Readonly<Record<string, unknown>>;

const record = (v: unknown): Wire => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Wire) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);

export const allocatedCondition = 'barelb.io/IPAllocated';

export type ConditionRow = { readonly status: string; readonly reason: string; readonly message: string; readonly lastTransitionTime: string };

/** The controller's condition on the Service, or null when it has none. */
export function conditionOf(service: unknown): ConditionRow | null {
  const c = list(record(record(service)['status'])['conditions']).map(record).find((x) => x['type'] === allocatedCondition);
  if (c === undefined) return null;
  return { status: str(c['status']), reason: str(c['reason']), message: str(c['message']), lastTransitionTime: str(c['lastTransitionTime']) };
}

export type L2StatusRow = { readonly node: string; readonly interfaces: 'all' | readonly string[] };
export type BGPStatusRow = { readonly node: string; readonly peers: readonly string[] };

const about = (o: unknown, namespace: string, name: string): boolean => {
  const s = record(record(o)['status']);
  return s['serviceName'] === name && s['serviceNamespace'] === namespace;
};

const byNode = <T extends { readonly node: string }>(a: T, b: T): number => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0);

/** ServiceL2Status objects about the Service: who says it answers ARP/NDP, on which interfaces. */
export function l2Statuses(objects: readonly unknown[], namespace: string, name: string): L2StatusRow[] {
  return objects.filter((o) => about(o, namespace, name)).map((o) => {
    const s = record(record(o)['status']);
    const names = list(s['interfaces']).map((i) => str(record(i)['name'])).filter((n) => n !== '');
    return { node: str(s['node']), interfaces: names.length === 0 ? ('all' as const) : names.sort() };
  }).sort(byNode);
}

/** ServiceBGPStatus objects about the Service: which node is configured to announce it to which peers. */
export function bgpStatuses(objects: readonly unknown[], namespace: string, name: string): BGPStatusRow[] {
  return objects.filter((o) => about(o, namespace, name)).map((o) => {
    const s = record(record(o)['status']);
    return { node: str(s['node']), peers: list(s['peers']).map(str).filter((p) => p !== '').sort() };
  }).sort(byNode);
}

export type EventRow = {
  /** The newest time the Event carries (eventTime, series, deprecated timestamps, creation). */
  readonly time: string;
  readonly type: string;
  readonly reason: string;
  readonly reportingController: string;
  readonly note: string;
  /** How many times it happened (series.count, else deprecatedCount, else 1). */
  readonly count: number;
};

function eventTime(e: Wire): string {
  const series = record(e['series']);
  const candidates = [str(series['lastObservedTime']), str(e['eventTime']), str(e['deprecatedLastTimestamp']), str(record(e['metadata'])['creationTimestamp'])];
  return candidates.find((t) => t !== '') ?? '';
}

const timeValue = (t: string): number => {
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
};

/** The newest `limit` Events regarding the Service (kind Service, its namespace and name), newest first. */
export function serviceEvents(events: readonly unknown[], namespace: string, name: string, limit = 10): EventRow[] {
  const rows = events.map(record).filter((e) => {
    const r = record(e['regarding']);
    return r['kind'] === 'Service' && r['name'] === name && (str(r['namespace']) === namespace || str(record(e['metadata'])['namespace']) === namespace);
  }).map((e): EventRow => {
    const series = record(e['series']);
    const count = typeof series['count'] === 'number' ? series['count'] : typeof e['deprecatedCount'] === 'number' ? e['deprecatedCount'] : 1;
    return { time: eventTime(e), type: str(e['type']), reason: str(e['reason']), reportingController: str(e['reportingController']), note: str(e['note']), count };
  });
  // Microseconds break ties Date.parse cannot see; then the input order (the API server's) decides.
  return rows.map((r, i) => ({ r, i, t: timeValue(r.time) })).sort((a, b) => b.t - a.t || (a.r.time < b.r.time ? 1 : a.r.time > b.r.time ? -1 : 0) || a.i - b.i).slice(0, limit).map((x) => x.r);
}

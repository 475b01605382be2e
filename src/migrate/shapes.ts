// The fields MetalLB's CRD schemas define for each kind and version (§1 of the reference), as
// shapes to prune against: what the API server would have kept is carried over, the rest reported.

import { at, index, isRecord } from '../api/wire.ts';

/** `leaf`: any value, carried verbatim (barelb validates it later); objects list their fields. */
export type Shape = 'leaf' | { readonly fields: Readonly<Record<string, Shape>> } | { readonly items: Shape };

const obj = (fields: Readonly<Record<string, Shape>>): Shape => ({ fields });
const list = (items: Shape): Shape => ({ items });

const selector = obj({ matchLabels: 'leaf', matchExpressions: list(obj({ key: 'leaf', operator: 'leaf', values: 'leaf' })) });
const selectors = list(selector);

const pool = obj({
  addresses: 'leaf',
  autoAssign: 'leaf',
  avoidBuggyIPs: 'leaf',
  serviceAllocation: obj({ priority: 'leaf', namespaces: 'leaf', namespaceSelectors: selectors, serviceSelectors: selectors }),
});

const advertisementTargets = { ipAddressPools: 'leaf', ipAddressPoolSelectors: selectors, nodeSelectors: selectors, serviceSelectors: selectors } as const;

const l2Advertisement = obj({
  ...advertisementTargets,
  interfaces: 'leaf',
  preferredNodeSelectors: list(obj({ weight: 'leaf', preference: selector })),
});

const bgpAdvertisement = obj({
  ...advertisementTargets,
  aggregationLength: 'leaf',
  aggregationLengthV6: 'leaf',
  localPref: 'leaf',
  communities: 'leaf',
  peers: 'leaf',
});

const peerV1beta1Fields = {
  myASN: 'leaf', peerASN: 'leaf', peerAddress: 'leaf', sourceAddress: 'leaf', peerPort: 'leaf', holdTime: 'leaf',
  keepaliveTime: 'leaf', routerID: 'leaf', nodeSelectors: selectors, password: 'leaf', bfdProfile: 'leaf', ebgpMultiHop: 'leaf',
} as const;

const peerV1beta2 = obj({
  ...peerV1beta1Fields,
  dynamicASN: 'leaf', localASN: 'leaf', interface: 'leaf', connectTime: 'leaf', passwordSecret: obj({ name: 'leaf', namespace: 'leaf' }),
  enableGracefulRestart: 'leaf', vrf: 'leaf', disableMP: 'leaf', dualStackAddressFamily: 'leaf',
});

const bfdProfile = obj({
  receiveInterval: 'leaf', transmitInterval: 'leaf', detectMultiplier: 'leaf', echoInterval: 'leaf', echoMode: 'leaf', passiveMode: 'leaf', minimumTtl: 'leaf',
});

const community = obj({ communities: list(obj({ name: 'leaf', value: 'leaf' })) });

/** MetalLB's configuration kinds: the spec shape of each served version. */
export const specShapes: ReadonlyMap<string, ReadonlyMap<string, Shape>> = new Map([
  ['IPAddressPool', new Map([['v1beta1', pool]])],
  ['L2Advertisement', new Map([['v1beta1', l2Advertisement]])],
  ['BGPAdvertisement', new Map([['v1beta1', bgpAdvertisement]])],
  ['BGPPeer', new Map([['v1beta1', obj(peerV1beta1Fields)], ['v1beta2', peerV1beta2]])],
  ['BFDProfile', new Map([['v1beta1', bfdProfile]])],
  ['Community', new Map([['v1beta1', community]])],
]);

/** barelb's version of each kind: BGPPeer is written as v1beta2, everything else as v1beta1. */
export const targetVersion = (kind: string): string => (kind === 'BGPPeer' ? 'v1beta2' : 'v1beta1');

/** Kinds MetalLB's speakers and controller write at runtime; barelb keeps its own equivalents. */
export const runtimeKinds = ['ServiceL2Status', 'ServiceBGPStatus', 'ConfigurationState'] as const;

export type Pruned = { readonly value: unknown; readonly unknown: readonly string[] };

/**
 * Keeps what `shape` defines; returns the paths of fields it dropped. Values of the wrong
 * type (a string where an object belongs) are kept as written, for `barelb plan` to report.
 */
export function prune(value: unknown, shape: Shape, path: string): Pruned {
  if (shape === 'leaf') return { value, unknown: [] };
  if ('items' in shape) {
    if (!Array.isArray(value)) return { value, unknown: [] };
    const parts = value.map((v, i) => prune(v, shape.items, index(path, i)));
    return { value: parts.map((p) => p.value), unknown: parts.flatMap((p) => p.unknown) };
  }
  if (!isRecord(value)) return { value, unknown: [] };
  const out: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    const field = shape.fields[key];
    if (field === undefined || !Object.hasOwn(shape.fields, key)) {
      unknown.push(at(path, key));
      continue;
    }
    const inner = prune(v, field, at(path, key));
    Object.defineProperty(out, key, { value: inner.value, enumerable: true, writable: true, configurable: true });
    unknown.push(...inner.unknown);
  }
  return { value: out, unknown };
}

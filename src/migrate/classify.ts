// Which input objects are MetalLB's, and in which form: configuration custom resources, the
// legacy ConfigMap, runtime objects, or something else that passes through.

import { isRecord, type WireRecord } from '../api/wire.ts';
import { parseLegacyConfig } from './legacy-config.ts';
import { headOf, type Head } from './objects.ts';
import { runtimeKinds, specShapes } from './shapes.ts';

export type Classified =
  | { readonly kind: 'custom-resource' }
  | { readonly kind: 'address-pool' }
  | { readonly kind: 'legacy'; readonly config: WireRecord }
  | { readonly kind: 'legacy-unreadable'; readonly why: string }
  | { readonly kind: 'runtime' }
  | { readonly kind: 'unsupported'; readonly why: string }
  | { readonly kind: 'service' }
  | { readonly kind: 'secret' }
  | { readonly kind: 'barelb' }
  /** Passed through unchanged; `note` says what MetalLB did with it that barelb will not. */
  | { readonly kind: 'other'; readonly note: string | null };

export const metallbGroup = 'metallb.io';
const legacyKeys = ['address-pools', 'peers', 'bgp-communities', 'bfd-profiles', 'peer-autodiscovery'];

/** MetalLB's own ConfigMaps besides the configuration, by what is in them. */
function deploymentConfigMap(head: Head, data: WireRecord): string | null {
  if (head.name === 'bgpextras' && data['extras'] !== undefined) {
    return "MetalLB's FRR mode appended data.extras to every frr.conf; barelb's speaker takes no raw FRR configuration from a ConfigMap (`barelb render --extra-config FILE` shows what it would do); passed through unchanged";
  }
  if (data['excludel2.yaml'] !== undefined) {
    return "MetalLB's speaker read announcedInterfacesToExclude from it; give barelb's speaker one --l2-exclude-interface REGEX per entry instead; passed through unchanged";
  }
  return null;
}

/** Keys of the legacy configuration, with the shape MetalLB required of each. */
const legacyShaped = (c: WireRecord): boolean =>
  Array.isArray(c['address-pools']) || Array.isArray(c['peers']) || Array.isArray(c['bfd-profiles']) || isRecord(c['bgp-communities']) || isRecord(c['peer-autodiscovery']);

function classifyConfigMap(head: Head, o: WireRecord): Classified {
  const data = isRecord(o['data']) ? o['data'] : {};
  const text = data['config'];
  if (typeof text === 'string') {
    // Another application's ConfigMap may have a "config" key too: outside MetalLB's
    // namespace, only a configuration with address pools counts as MetalLB's.
    const metallbNamespace = head.namespace.includes('metallb');
    const metallbName = head.name.includes('metallb') || (metallbNamespace && head.name === 'config');
    const config = parseLegacyConfig(text);
    if (config !== null && (Array.isArray(config['address-pools']) || ((metallbNamespace || metallbName) && legacyShaped(config)))) return { kind: 'legacy', config };
    if (metallbName) {
      const why = config === null ? 'data.config is not a YAML mapping' : `data.config has none of ${legacyKeys.join(', ')} in the shape MetalLB reads`;
      return { kind: 'legacy-unreadable', why };
    }
  }
  return { kind: 'other', note: deploymentConfigMap(head, data) };
}

function classifyMetalLB(head: Head): Classified {
  if (specShapes.get(head.kind)?.has(head.version) === true) return { kind: 'custom-resource' };
  if (head.kind === 'AddressPool' && head.version === 'v1beta1') return { kind: 'address-pool' };
  if ((runtimeKinds as readonly string[]).includes(head.kind)) return { kind: 'runtime' };
  const known = specShapes.get(head.kind);
  const why = known === undefined
    ? `${head.kind === '' ? 'an object without kind' : head.kind} is not a MetalLB configuration kind`
    : `MetalLB serves ${head.kind} as ${[...known.keys()].join(' and ')}, not ${head.version === '' ? 'without a version' : head.version}`;
  return { kind: 'unsupported', why };
}

export function classify(o: WireRecord): { readonly head: Head; readonly what: Classified } {
  const head = headOf(o);
  const what = ((): Classified => {
    if (head.group === metallbGroup) return classifyMetalLB(head);
    if (head.group === 'barelb.io') return { kind: 'barelb' };
    if (head.group === 'frrk8s.metallb.io') {
      return { kind: 'other', note: 'raw frr-k8s configuration: barelb drives FRR itself and reads no FRRConfiguration; passed through unchanged' };
    }
    if (head.group !== '' || head.version !== 'v1') return { kind: 'other', note: null };
    if (head.kind === 'ConfigMap') return classifyConfigMap(head, o);
    if (head.kind === 'Service') return { kind: 'service' };
    if (head.kind === 'Secret') return { kind: 'secret' };
    return { kind: 'other', note: null };
  })();
  return { head, what };
}

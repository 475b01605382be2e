// Test builders for migrate: MetalLB objects, legacy ConfigMaps and Services from short literals,
// and compact views of a result. Only tests import this module.

import { stringify } from 'yaml';
import { migrate, type MigrationResult } from './migrate.ts';
import type { NoteCode } from './notes.ts';

export type Manifest = Record<string, unknown>;

export const ns = 'metallb-system';

export function aMetalLB(kind: string, name: string, spec: Manifest | undefined, version = kind === 'BGPPeer' ? 'v1beta2' : 'v1beta1'): Manifest {
  return { apiVersion: `metallb.io/${version}`, kind, metadata: { name, namespace: ns }, ...(spec === undefined ? {} : { spec }) };
}

/** The legacy ConfigMap; `config` is written as YAML text unless it already is text. */
export function aLegacyConfigMap(config: Manifest | string, name = 'config'): Manifest {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { config: typeof config === 'string' ? config : stringify(config) } };
}

export function aService(name: string, annotations: Record<string, string> | undefined, extra: Manifest = {}): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', ...(annotations === undefined ? {} : { annotations }) },
    spec: { type: 'LoadBalancer', clusterIPs: ['10.96.0.1'], ports: [{ port: 80, protocol: 'TCP' }] },
    ...extra,
  };
}

export function aSecret(name: string, namespace = ns): Manifest {
  return { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/basic-auth', metadata: { name, namespace }, stringData: { password: 's3cret' } };
}

export const run = (objects: readonly unknown[], namespace: string | null = null): MigrationResult => migrate(objects, { namespace });

/** [code, object, field] of every note, in report order. */
export const noteRows = (r: MigrationResult): [NoteCode, string, string][] => r.notes.map((n) => [n.code, n.object, n.field]);

/** [apiVersion, kind, namespace/name, spec] of every output object. */
export function objectRows(r: MigrationResult): [unknown, unknown, string, unknown][] {
  return r.objects.map((o) => {
    const meta = (o['metadata'] ?? {}) as Manifest;
    return [o['apiVersion'], o['kind'], `${String(meta['namespace'])}/${String(meta['name'])}`, o['spec']];
  });
}

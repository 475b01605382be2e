// Test builders for explain: manifests as plain objects (what `-f` or the cluster would give),
// and an ExplainInput from them. Only tests import this module.

import { parseInput } from '../api/input.ts';
import { serviceKey } from '../api/model.ts';
import type { Allocations } from '../controller/reconcile.ts';
import { ok } from '../core/result.ts';
import type { ClusterFacts, ExplainInput, RecordSource } from './explain.ts';

type Obj = Record<string, unknown>;
const SYSTEM = 'barelb-system';

export const aPool = (name: string, addresses: readonly string[], spec: Obj = {}): Obj =>
  ({ apiVersion: 'barelb.io/v1beta1', kind: 'IPAddressPool', metadata: { name, namespace: SYSTEM }, spec: { addresses, ...spec } });

export const anL2Advertisement = (name: string, spec: Obj = {}): Obj =>
  ({ apiVersion: 'barelb.io/v1beta1', kind: 'L2Advertisement', metadata: { name, namespace: SYSTEM }, spec });

export const aBGPAdvertisement = (name: string, spec: Obj = {}): Obj =>
  ({ apiVersion: 'barelb.io/v1beta1', kind: 'BGPAdvertisement', metadata: { name, namespace: SYSTEM }, spec });

export const aPeer = (name: string, address: string, spec: Obj = {}): Obj =>
  ({ apiVersion: 'barelb.io/v1beta2', kind: 'BGPPeer', metadata: { name, namespace: SYSTEM }, spec: { myASN: 64512, peerASN: 64500, peerAddress: address, ...spec } });

export type NodeSpec = { readonly labels?: Record<string, string>; readonly networkUnavailable?: boolean };

export const aNode = (name: string, n: NodeSpec = {}): Obj => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: n.labels ?? {} },
  ...(n.networkUnavailable === true ? { status: { conditions: [{ type: 'NetworkUnavailable', status: 'True' }] } } : {}),
});

export type ServiceSpec = {
  readonly namespace?: string;
  readonly minute?: number;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly spec?: Obj;
  readonly ingress?: readonly string[];
};

/** A LoadBalancer Service in "demo" with one TCP port; `minute` orders Services by age. */
export const aService = (name: string, s: ServiceSpec = {}): Obj => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: {
    name,
    namespace: s.namespace ?? 'demo',
    creationTimestamp: `2026-11-01T10:${String(s.minute ?? 0).padStart(2, '0')}:00Z`,
    labels: s.labels ?? {},
    annotations: s.annotations ?? {},
  },
  spec: { type: 'LoadBalancer', selector: { app: name }, ports: [{ port: 80, protocol: 'TCP' }], ...(s.spec ?? {}) },
  ...(s.ingress === undefined ? {} : { status: { loadBalancer: { ingress: s.ingress.map((ip) => ({ ip })) } } }),
});

/** An EndpointSlice of the Service with one ready (or not) endpoint per node. */
export const aSlice = (service: string, nodes: readonly string[], o: { readonly namespace?: string; readonly ready?: boolean } = {}): Obj => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: `${service}-x`, namespace: o.namespace ?? 'demo', labels: { 'kubernetes.io/service-name': service } },
  addressType: 'IPv4',
  endpoints: nodes.map((nodeName, i) => ({ addresses: [`10.244.0.${i + 1}`], conditions: { ready: o.ready ?? true }, nodeName })),
});

export type InputSpec = {
  readonly source?: RecordSource;
  readonly allocations?: Allocations;
  readonly cluster?: Partial<ClusterFacts>;
  readonly ignoreExcludeLB?: boolean;
};

/** The input for Service `key` ("ns/name") from manifests; local mode without a state file unless told. */
export function anInput(key: string, objects: readonly unknown[], o: InputSpec = {}): ExplainInput {
  const [ns = '', name = ''] = key.split('/');
  const empty = ok([] as readonly unknown[]);
  return {
    key: serviceKey(ns, name),
    parsed: parseInput(objects),
    loadErrors: [],
    record: { source: o.source ?? 'none', allocations: o.allocations ?? new Map(), pending: null },
    options: { loadBalancerClass: null, ignoreExcludeLB: o.ignoreExcludeLB ?? false },
    cluster: o.cluster === undefined ? null : { service: null, l2Statuses: empty, bgpStatuses: empty, events: empty, ...o.cluster },
  };
}

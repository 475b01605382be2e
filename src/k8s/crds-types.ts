// The shape of one barelb CRD before it is rendered: kind, plural, and per version its schema
// and printer columns. Shared by the per-kind definitions and the renderer.

import type { Schema } from './crds-schema.ts';

export const crdGroup = 'barelb.io';

/** Every kind barelb defines, configuration first, then the status kinds it writes. */
export const barelbKinds = [
  'IPAddressPool',
  'L2Advertisement',
  'BGPAdvertisement',
  'BGPPeer',
  'BFDProfile',
  'Community',
  'ServiceL2Status',
  'ServiceBGPStatus',
  'ConfigurationState',
] as const;
export type BarelbKind = (typeof barelbKinds)[number];

export type PrinterColumn = {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'boolean' | 'date';
  readonly jsonPath: string;
  /** 0 (default) shows in `kubectl get`; higher only with `-o wide`. */
  readonly priority?: number;
};

export type CrdVersion = {
  readonly name: string;
  /** Exactly one version of a kind is stored; the others are converted on the way (strategy None). */
  readonly storage: boolean;
  /** Set on a deprecated version: clients get this warning on every request. */
  readonly deprecationWarning?: string;
  readonly schema: Schema;
  readonly printerColumns: readonly PrinterColumn[];
};

export type CrdDefinition = {
  readonly kind: BarelbKind;
  readonly plural: string;
  readonly versions: readonly CrdVersion[];
};

/** kubectl hides AGE once a CRD declares columns; every kind that has columns lists it again. */
export const ageColumn: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

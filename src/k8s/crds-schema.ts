// Building blocks of barelb's CRD schemas: the OpenAPI v3 subset apiextensions.k8s.io/v1 accepts
// as a structural schema, and the shapes several kinds share (label selectors, metav1.Condition),
// written once so every kind spells them the same way.

/** One CEL rule (`x-kubernetes-validations`); `fieldPath` makes the error name that field. */
export type ValidationRule = {
  readonly rule: string;
  readonly message: string;
  readonly fieldPath?: string;
};

/** The part of JSONSchemaProps barelb's CRDs use. Every node has a `type` (structural schema). */
export type Schema = {
  readonly type: 'object' | 'array' | 'string' | 'integer' | 'boolean';
  readonly description?: string;
  readonly format?: 'int32' | 'int64' | 'date-time';
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly items?: Schema;
  readonly additionalProperties?: Schema;
  readonly enum?: readonly string[];
  readonly default?: boolean | number | string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly 'x-kubernetes-validations'?: readonly ValidationRule[];
  readonly 'x-kubernetes-list-type'?: 'atomic' | 'map';
  readonly 'x-kubernetes-list-map-keys'?: readonly string[];
  readonly 'x-kubernetes-map-type'?: 'atomic';
};

type Extra = Omit<Schema, 'type' | 'description'>;

export const uint32Max = 0xffff_ffff;
const int32Max = 0x7fff_ffff;

export const str = (description: string, extra: Extra = {}): Schema => ({ type: 'string', description, ...extra });

export const bool = (description: string, extra: Extra = {}): Schema => ({ type: 'boolean', description, ...extra });

/** An integer in [min, max]; int64 when the range does not fit an int32 (ASNs, counters). */
export const int = (description: string, min: number, max: number, extra: Extra = {}): Schema => ({
  type: 'integer',
  description,
  format: min < -int32Max - 1 || max > int32Max ? 'int64' : 'int32',
  minimum: min,
  maximum: max,
  ...extra,
});

/** A non-negative int64 counter. */
export const counter = (description: string): Schema => ({ type: 'integer', description, format: 'int64', minimum: 0 });

export const list = (items: Schema, description: string, extra: Extra = {}): Schema => ({ type: 'array', description, items, ...extra });

export const strings = (description: string, extra: Extra = {}): Schema => list({ type: 'string' }, description, extra);

/** An object with these fields; with none, every field is pruned (the API server drops `properties: {}`). */
export function object(properties: Readonly<Record<string, Schema>>, description: string, extra: Extra = {}): Schema {
  return { type: 'object', description, ...(Object.keys(properties).length === 0 ? {} : { properties }), ...extra };
}

/** `self == oldSelf` on a field: set once, then fixed (checked only when both old and new exist). */
export const immutable = (message: string): Extra => ({ 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message }] });

export const selectorOperators = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

/**
 * metav1.LabelSelector. `legacyValues` is BGPPeer v1beta1's own selector type, whose
 * requirements must carry at least one value.
 */
export function labelSelector(description: string, legacyValues = false): Schema {
  const values = strings('Values for In and NotIn (at least one); empty for Exists and DoesNotExist.', {
    'x-kubernetes-list-type': 'atomic',
    ...(legacyValues ? { minItems: 1 } : {}),
  });
  const requirement = object(
    {
      key: str('The label key the requirement applies to.'),
      operator: str('How the key relates to the values.', { enum: selectorOperators }),
      values,
    },
    'A requirement on one label key.',
    { required: legacyValues ? ['key', 'operator', 'values'] : ['key', 'operator'] },
  );
  return object(
    {
      matchLabels: { type: 'object', description: 'Labels that must all be present with these values.', additionalProperties: { type: 'string' } },
      matchExpressions: list(requirement, 'Requirements that must all hold.', { 'x-kubernetes-list-type': 'atomic' }),
    },
    `${description} matchLabels and matchExpressions are ANDed; an empty selector matches everything.`,
    { 'x-kubernetes-map-type': 'atomic' },
  );
}

/** A list of label selectors, any of which may match (an empty list: see the field). */
export const selectors = (description: string, legacyValues = false): Schema =>
  list(labelSelector('A label selector.', legacyValues), description);

/** metav1.Condition, as Kubernetes' own types declare it. */
export const condition: Schema = object(
  {
    type: str('Type of condition, in CamelCase or foo.example.com/CamelCase.', {
      maxLength: 316,
      pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$',
    }),
    status: str('Status of the condition.', { enum: ['True', 'False', 'Unknown'] }),
    observedGeneration: counter('The metadata.generation the condition was set from.'),
    lastTransitionTime: { type: 'string', format: 'date-time', description: 'When the condition last changed status.' },
    reason: str('A CamelCase reason code for the last transition.', { minLength: 1, maxLength: 1024, pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$' }),
    message: str('A human-readable message about the transition; may be empty.', { maxLength: 32768 }),
  },
  'The state of one aspect of the object.',
  { required: ['type', 'status', 'lastTransitionTime', 'reason', 'message'] },
);

/** The whole object: apiVersion, kind, metadata, and the given spec and status. */
export function kindSchema(description: string, parts: { readonly spec?: Schema; readonly status?: Schema; readonly specRequired?: boolean }): Schema {
  return {
    type: 'object',
    description,
    properties: {
      apiVersion: str('The versioned schema of this representation of an object.'),
      kind: str('The REST resource this object represents, in CamelCase.'),
      metadata: { type: 'object' },
      ...(parts.spec === undefined ? {} : { spec: parts.spec }),
      ...(parts.status === undefined ? {} : { status: parts.status }),
    },
    ...(parts.specRequired === true ? { required: ['spec'] } : {}),
  };
}

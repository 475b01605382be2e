// Why a node's frr.conf cannot be rendered: a literal reason, the object and field to fix, and
// a message. Rendering returns these as values; it never throws for them.

export const renderErrorReasons = [
  /** A BGPPeer's passwordSecret names a Secret the caller did not resolve. */
  'missing-secret',
  /** A password from a Secret is not one token FRR can take. */
  'invalid-password',
  /** Two routers (or two neighbors) for the same VRF on one node: FRR has one of each. */
  'router-conflict',
  /** The raw extra config has characters or a size frr.conf cannot hold. */
  'invalid-extra-config',
  /** A value would print with whitespace or a control character: it could break out of its line. */
  'invalid-token',
  /** Two outbound policies hash to the same route tag (astronomically rare; rename a peer to fix). */
  'policy-collision',
  /** More policies for one neighbor than route-map sequence numbers (65534). */
  'too-many-policies',
  /** A template asked for a field the view model lacks (strict mode): a bug, reported as a value. */
  'template-failed',
] as const;
export type RenderErrorReason = (typeof renderErrorReasons)[number];

export type RenderError = {
  readonly reason: RenderErrorReason;
  /** "BGPPeer/name", "BFDProfile/name", the extra config's source, or "node/name". */
  readonly object: string;
  /** JSON path of the field to fix ("spec.passwordSecret"), or "" when it is the object as a whole. */
  readonly field: string;
  readonly message: string;
};

export const renderError = (reason: RenderErrorReason, object: string, field: string, message: string): RenderError => ({ reason, object, field, message });

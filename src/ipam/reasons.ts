// Why a Service has no address: the closed set of pending reasons that events, metrics,
// logs and tests key on, each with the one-line explanation the docs print.

export const pendingReasons = [
  'no-pools',
  'no-matching-pool',
  'pool-exhausted',
  'pool-not-found',
  'ip-not-in-any-pool',
  'ip-not-in-requested-pool',
  'ips-in-different-pools',
  'ip-in-use',
  'sharing-conflict',
  'family-mismatch',
  'invalid-request',
] as const;
export type PendingReason = (typeof pendingReasons)[number];

export const reasonDocs: Readonly<Record<PendingReason, string>> = {
  'no-pools': 'No IPAddressPool is configured, so no Service gets an address (existing addresses are released).',
  'no-matching-pool': 'Pools exist, but none may serve this Service (autoAssign off, namespaces or serviceSelectors exclude it).',
  'pool-exhausted': 'A pool that may serve this Service has addresses of the right family, but all of them are in use.',
  'pool-not-found': 'The address-pool annotation names a pool that does not exist.',
  'ip-not-in-any-pool': 'A requested IP lies in no pool, or is a .0/.255 address of a pool with avoidBuggyIPs.',
  'ip-not-in-requested-pool': 'A requested IP lies in a pool other than the one named by the address-pool annotation.',
  'ips-in-different-pools': 'The two requested IPs (one per family) must come from the same pool.',
  'ip-in-use': 'A requested IP is held by another Service and this Service has no allow-shared-ip key.',
  'sharing-conflict': 'A requested IP is held by a Service with another sharing key or backend, or with an overlapping port.',
  'family-mismatch': 'No candidate pool has addresses of the Service\'s IP family, or a requested IP is of the wrong family.',
  'invalid-request': 'The Service\'s own request is malformed (bad loadBalancerIP, conflicting annotations, bad families).',
};

/** An expected allocation failure: a literal reason and a message naming each pool considered. */
export type Rejection = { readonly reason: PendingReason; readonly message: string };

export const reject = (reason: PendingReason, message: string): Rejection => ({ reason, message });

// The BGPPeer schemas: v1beta2 (stored) and the deprecated v1beta1, still served. Both versions
// use the same field names, so the API server converts between them without a webhook
// (strategy None); fields v1beta1 lacks are dropped when an object is read as v1beta1.

import { bool, int, kindSchema, object, selectors, str, uint32Max, type Schema, type ValidationRule } from './crds-schema.ts';
import { ageColumn, type CrdDefinition, type PrinterColumn } from './crds-types.ts';

const columns: readonly PrinterColumn[] = [
  { name: 'Address', type: 'string', jsonPath: '.spec.peerAddress' },
  { name: 'ASN', type: 'integer', jsonPath: '.spec.peerASN' },
  { name: 'BFD Profile', type: 'string', jsonPath: '.spec.bfdProfile' },
  { name: 'Multi Hops', type: 'boolean', jsonPath: '.spec.ebgpMultiHop' },
  ageColumn,
];

/** Fields both versions have, with the same meaning. */
const common = {
  sourceAddress: str('Local address to open the session from.'),
  holdTime: str('BGP hold time (RFC 4271) as a duration ("90s"); 0 or at least 3s. Alone, keepaliveTime becomes a third of it.'),
  keepaliveTime: str('BGP keepalive time as a duration; at most holdTime. Alone, holdTime becomes three times it.'),
  routerID: str('BGP router ID (an IPv4 address) to use towards this peer.'),
  password: str('TCP MD5 password (RFC 2385) of the session.'),
  bfdProfile: str('Name of the BFDProfile to run BFD with on this session. Unset: no BFD.'),
  ebgpMultiHop: bool('The peer is more than one hop away (eBGP multihop).'),
};

/** MetalLB's rules on connectTime, as CEL. */
const connectTimeRules: readonly ValidationRule[] = [
  { rule: 'duration(self).getSeconds() >= 1 && duration(self).getSeconds() <= 65535', message: 'connectTime must be between 1s and 65535s' },
  { rule: 'duration(self).getMilliseconds() % 1000 == 0', message: 'connectTime must be a whole number of seconds' },
];

const hasPeerASN = '(has(self.peerASN) && self.peerASN != 0)';
const hasAddress = "(has(self.peerAddress) && self.peerAddress != '')";
const hasInterface = "(has(self.interface) && self.interface != '')";

/** barelb's own per-object rules: the parser's "exactly one of" checks, surfaced at apply time. */
const specRules: readonly ValidationRule[] = [
  { rule: `!(${hasPeerASN} && has(self.dynamicASN))`, message: 'peerASN and dynamicASN are mutually exclusive; set only one', fieldPath: '.dynamicASN' },
  { rule: `${hasPeerASN} || has(self.dynamicASN)`, message: 'missing peer ASN: set peerASN or dynamicASN', fieldPath: '.peerASN' },
  { rule: `!(${hasAddress} && ${hasInterface})`, message: 'peerAddress and interface are mutually exclusive; set only one', fieldPath: '.interface' },
  { rule: `${hasAddress} || ${hasInterface}`, message: 'missing peer: set peerAddress or interface', fieldPath: '.peerAddress' },
  { rule: "!(has(self.password) && self.password != '' && has(self.passwordSecret))", message: 'password and passwordSecret are mutually exclusive; set only one', fieldPath: '.passwordSecret' },
];

const v1beta2Spec: Schema = object({
  myASN: int('AS number of the local end of the session.', 1, uint32Max),
  peerASN: int('AS number expected from the peer (0: unset). Exactly one of peerASN and dynamicASN.', 0, uint32Max),
  dynamicASN: str('Accept the peer\'s AS number if it is "internal" (same as myASN) or "external" (different).', { enum: ['internal', 'external'] }),
  localASN: int('AS number to present to this peer instead of myASN (local-as … no-prepend replace-as).', 1, uint32Max),
  peerAddress: str('Address to dial. Exactly one of peerAddress and interface.'),
  interface: str('Node interface for an unnumbered session (IPv6 link-local). Exactly one of peerAddress and interface.'),
  peerPort: int('TCP port to dial.', 1, 16384, { default: 179 }),
  connectTime: str('Time between connection attempts, whole seconds from 1s to 65535s ("10s").', { 'x-kubernetes-validations': connectTimeRules }),
  ...common,
  nodeSelectors: selectors('Only run the session on nodes matching one of these selectors. Empty: every node.'),
  passwordSecret: object({
    name: str('Name of the Secret (type kubernetes.io/basic-auth, key "password").'),
    namespace: str('Namespace of the Secret; barelb\'s own namespace when unset.'),
  }, 'Secret holding the TCP MD5 password; excludes password.', { 'x-kubernetes-map-type': 'atomic' }),
  enableGracefulRestart: bool('BGP graceful restart (RFC 4724). Fixed at creation: changing it would restart the session.', {
    default: false,
    'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'enableGracefulRestart cannot be changed after creation' }],
  }),
  vrf: str('Host VRF to run the session in.'),
  disableMP: bool('Deprecated, no effect: use dualStackAddressFamily.', { default: false }),
  dualStackAddressFamily: bool('Activate the session for both IPv4 and IPv6 prefixes.', { default: false }),
}, 'Desired state of the BGPPeer.', { required: ['myASN'], 'x-kubernetes-validations': specRules });

const v1beta1Spec: Schema = object({
  myASN: int('AS number of the local end of the session.', 1, uint32Max),
  peerASN: int('AS number expected from the peer.', 1, uint32Max),
  peerAddress: str('Address to dial.'),
  peerPort: int('TCP port to dial; 0 means 179.', 0, 16384),
  ...common,
  nodeSelectors: selectors('Only run the session on nodes matching one of these selectors. Empty: every node.', true),
}, 'Desired state of the BGPPeer.', { required: ['myASN', 'peerASN', 'peerAddress'] });

const status: Schema = object({}, 'Observed state of the BGPPeer (no fields yet).');
const description = 'A BGP session barelb opens from the selected nodes.';

export const bgpPeerCrd: CrdDefinition = {
  kind: 'BGPPeer',
  plural: 'bgppeers',
  versions: [
    {
      name: 'v1beta1',
      storage: false,
      deprecationWarning: 'barelb.io/v1beta1 BGPPeer is deprecated, please use barelb.io/v1beta2',
      printerColumns: columns,
      schema: kindSchema(description, { spec: v1beta1Spec, status }),
    },
    { name: 'v1beta2', storage: true, printerColumns: columns, schema: kindSchema(description, { spec: v1beta2Spec, status }) },
  ],
};

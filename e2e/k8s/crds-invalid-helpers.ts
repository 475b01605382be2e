// Objects barelb's CRDs must refuse, one per CEL rule and per kind of structural violation, with
// the field the API server's error must name and a fragment of its message.
import type { Body } from './crds-helpers.ts';

export type InvalidObject = {
  readonly name: string;
  readonly kind: string;
  readonly version?: string;
  readonly spec: Body | undefined;
  readonly field: string;
  readonly message: string;
};

const peer = (spec: Body): Body => ({ myASN: 64512, ...spec });
const selector = { matchLabels: { app: 'web' } };

export function invalidObjects(): readonly InvalidObject[] {
  return [
    // CEL rules (x-kubernetes-validations), one case each.
    { name: 'BGPAdvertisement serviceSelectors with an aggregationLength other than 32', kind: 'BGPAdvertisement', spec: { aggregationLength: 24, serviceSelectors: [selector] }, field: 'spec.serviceSelectors', message: 'serviceSelectors can only be used with the default aggregation lengths' },
    { name: 'BGPAdvertisement serviceSelectors with an aggregationLengthV6 other than 128', kind: 'BGPAdvertisement', spec: { aggregationLengthV6: 64, serviceSelectors: [selector] }, field: 'spec.serviceSelectors', message: 'serviceSelectors can only be used with the default aggregation lengths' },
    { name: 'a BGPPeer connectTime above 65535s', kind: 'BGPPeer', version: 'v1beta2', spec: peer({ peerASN: 64500, peerAddress: '192.0.2.1', connectTime: '70000s' }), field: 'spec.connectTime', message: 'connectTime must be between 1s and 65535s' },
    { name: 'a BGPPeer connectTime that is not whole seconds', kind: 'BGPPeer', version: 'v1beta2', spec: peer({ peerASN: 64500, peerAddress: '192.0.2.1', connectTime: '1500ms' }), field: 'spec.connectTime', message: 'connectTime must be a whole number of seconds' },
    { name: 'a BGPPeer with both peerASN and dynamicASN', kind: 'BGPPeer', version: 'v1beta2', spec: peer({ peerASN: 64500, dynamicASN: 'external', peerAddress: '192.0.2.1' }), field: 'spec.dynamicASN', message: 'peerASN and dynamicASN are mutually exclusive' },
    { name: 'a BGPPeer with neither peerASN nor dynamicASN', kind: 'BGPPeer', version: 'v1beta2', spec: peer({ peerAddress: '192.0.2.1' }), field: 'spec.peerASN', message: 'missing peer ASN: set peerASN or dynamicASN' },
    { name: 'a BGPPeer with both peerAddress and interface', kind: 'BGPPeer', version: 'v1beta2', spec: peer({ peerASN: 64500, peerAddress: '192.0.2.1', interface: 'eth1' }), field: 'spec.interface', message: 'peerAddress and interface are mutually exclusive' },
    { name: 'a BGPPeer with neither peerAddress nor interface', kind: 'BGPPeer', version: 'v1beta2', spec: peer({ peerASN: 64500 }), field: 'spec.peerAddress', message: 'missing peer: set peerAddress or interface' },
    { name: 'a BGPPeer with both password and passwordSecret', kind: 'BGPPeer', version: 'v1beta2', spec: peer({ peerASN: 64500, peerAddress: '192.0.2.1', password: 'x', passwordSecret: { name: 'auth' } }), field: 'spec.passwordSecret', message: 'password and passwordSecret are mutually exclusive' },
    // Structural schema: types, required fields, enums, ranges, sizes, unknown fields.
    { name: 'an IPAddressPool autoAssign that is not a boolean', kind: 'IPAddressPool', spec: { addresses: ['203.0.113.0/28'], autoAssign: 'yes' }, field: 'spec.autoAssign', message: 'must be of type boolean' },
    { name: 'a BGPPeer myASN written as a string', kind: 'BGPPeer', version: 'v1beta2', spec: { myASN: '64512', peerASN: 64500, peerAddress: '192.0.2.1' }, field: 'spec.myASN', message: 'must be of type integer' },
    { name: 'an IPAddressPool without spec', kind: 'IPAddressPool', spec: undefined, field: 'spec', message: 'Required value' },
    { name: 'an IPAddressPool without addresses', kind: 'IPAddressPool', spec: { autoAssign: true }, field: 'spec.addresses', message: 'Required value' },
    { name: 'an IPAddressPool with an empty address list', kind: 'IPAddressPool', spec: { addresses: [] }, field: 'spec.addresses', message: 'should have at least 1 items' },
    { name: 'a BGPPeer v1beta2 without myASN', kind: 'BGPPeer', version: 'v1beta2', spec: { peerASN: 64500, peerAddress: '192.0.2.1' }, field: 'spec.myASN', message: 'Required value' },
    { name: 'a BGPPeer v1beta1 without peerAddress', kind: 'BGPPeer', version: 'v1beta1', spec: { myASN: 64512, peerASN: 64500 }, field: 'spec.peerAddress', message: 'Required value' },
    { name: 'a Community alias without value', kind: 'Community', spec: { communities: [{ name: 'region' }] }, field: 'spec.communities[0].value', message: 'Required value' },
    { name: 'an L2Advertisement preference without weight', kind: 'L2Advertisement', spec: { preferredNodeSelectors: [{ preference: selector }] }, field: 'spec.preferredNodeSelectors[0].weight', message: 'Required value' },
    { name: 'a BGPPeer dynamicASN outside internal/external', kind: 'BGPPeer', version: 'v1beta2', spec: peer({ dynamicASN: 'both', peerAddress: '192.0.2.1' }), field: 'spec.dynamicASN', message: 'Unsupported value: "both"' },
    { name: 'a selector operator Kubernetes does not know', kind: 'L2Advertisement', spec: { nodeSelectors: [{ matchExpressions: [{ key: 'zone', operator: 'Matches' }] }] }, field: 'spec.nodeSelectors[0].matchExpressions[0].operator', message: 'Unsupported value: "Matches"' },
    { name: 'a BGPPeer peerPort above 16384', kind: 'BGPPeer', version: 'v1beta2', spec: peer({ peerASN: 64500, peerAddress: '192.0.2.1', peerPort: 20000 }), field: 'spec.peerPort', message: 'less than or equal to 16384' },
    { name: 'a BGPPeer myASN of 0', kind: 'BGPPeer', version: 'v1beta2', spec: { myASN: 0, peerASN: 64500, peerAddress: '192.0.2.1' }, field: 'spec.myASN', message: 'greater than or equal to 1' },
    { name: 'a BFDProfile detectMultiplier below 2', kind: 'BFDProfile', spec: { detectMultiplier: 1 }, field: 'spec.detectMultiplier', message: 'greater than or equal to 2' },
    { name: 'an L2Advertisement preference weight of 0', kind: 'L2Advertisement', spec: { preferredNodeSelectors: [{ weight: 0, preference: selector }] }, field: 'spec.preferredNodeSelectors[0].weight', message: 'greater than or equal to 1' },
    { name: 'a BGPAdvertisement aggregationLength above 32', kind: 'BGPAdvertisement', spec: { aggregationLength: 33 }, field: 'spec.aggregationLength', message: 'less than or equal to 32' },
    { name: 'a BGPAdvertisement with 64 communities', kind: 'BGPAdvertisement', spec: { communities: Array.from({ length: 64 }, (_, i) => `64512:${i}`) }, field: 'spec.communities', message: 'must have at most 63 items' },
    { name: 'an unknown field (strict field validation)', kind: 'IPAddressPool', spec: { addresses: ['203.0.113.0/28'], autoassign: false }, field: 'spec.autoassign', message: 'unknown field' },
  ];
}

// Schemas of the configuration kinds other than BGPPeer: IPAddressPool, L2Advertisement,
// BGPAdvertisement, BFDProfile and Community. Field names, ranges and defaults follow the parser
// in src/api (which re-checks everything); rules across objects stay in the parser.

import { bool, counter, int, kindSchema, labelSelector, list, object, selectors, str, strings, uint32Max, type Schema } from './crds-schema.ts';
import { ageColumn, type CrdDefinition } from './crds-types.ts';

/** A status subresource with no fields yet (written by nobody, kept for MetalLB parity). */
const emptyStatus = (kind: string): Schema => object({}, `Observed state of the ${kind} (no fields yet).`);

const poolRefs = {
  ipAddressPools: strings('Names of the IPAddressPools this advertisement applies to. With no names and no selectors it applies to every pool.'),
  ipAddressPoolSelectors: selectors('Selects IPAddressPools by label, in addition to ipAddressPools.'),
};

const ipAddressPool: CrdDefinition = {
  kind: 'IPAddressPool',
  plural: 'ipaddresspools',
  versions: [{
    name: 'v1beta1',
    storage: true,
    printerColumns: [
      { name: 'Auto Assign', type: 'boolean', jsonPath: '.spec.autoAssign' },
      { name: 'Avoid Buggy IPs', type: 'boolean', jsonPath: '.spec.avoidBuggyIPs' },
      { name: 'Addresses', type: 'string', jsonPath: '.spec.addresses' },
      ageColumn,
    ],
    schema: kindSchema('A set of addresses barelb may assign to LoadBalancer Services.', {
      specRequired: true,
      spec: object({
        addresses: strings('CIDRs (203.0.113.0/24, 2001:db8::/64) or ranges ("203.0.113.10-203.0.113.20"). No address may be in two entries, of this pool or another.', { minItems: 1 }),
        autoAssign: bool('Whether Services may get an address from this pool without asking for it (by annotation or IP).', { default: true }),
        avoidBuggyIPs: bool('Never assign IPv4 addresses ending in .0 or .255.', { default: false }),
        serviceAllocation: object({
          priority: int('Lower numbers are tried first; 0 (unset) comes after every positive priority.', 0, 0x7fff_ffff),
          namespaces: strings('Only Services in these namespaces may get an address from this pool.'),
          namespaceSelectors: selectors('Only Services in namespaces matching one of these selectors.'),
          serviceSelectors: selectors('Only Services matching one of these selectors.'),
        }, 'Restricts and orders automatic assignment from this pool.'),
      }, 'Desired state of the IPAddressPool.', { required: ['addresses'] }),
      status: object({
        assignedIPv4: counter('IPv4 addresses in use (a shared address counts once).'),
        assignedIPv6: counter('IPv6 addresses in use.'),
        availableIPv4: counter('IPv4 addresses still free.'),
        availableIPv6: counter('IPv6 addresses still free (capped at 2^53-1, the largest integer JSON clients read exactly).'),
      }, 'Address counters, written by the controller.', { required: ['assignedIPv4', 'assignedIPv6', 'availableIPv4', 'availableIPv6'] }),
    }),
  }],
};

const preferredNodeSelector = object({
  weight: int('Added to the score of every node the preference matches; higher scores lead.', 1, 100),
  preference: labelSelector('The nodes this preference matches.'),
}, 'A soft preference for the nodes that announce.', { required: ['weight'] });

const l2Advertisement: CrdDefinition = {
  kind: 'L2Advertisement',
  plural: 'l2advertisements',
  versions: [{
    name: 'v1beta1',
    storage: true,
    printerColumns: [
      { name: 'IPAddressPools', type: 'string', jsonPath: '.spec.ipAddressPools' },
      { name: 'IPAddressPool Selectors', type: 'string', jsonPath: '.spec.ipAddressPoolSelectors' },
      { name: 'Interfaces', type: 'string', jsonPath: '.spec.interfaces' },
      { name: 'Node Selectors', type: 'string', jsonPath: '.spec.nodeSelectors', priority: 10 },
      ageColumn,
    ],
    schema: kindSchema('Announces the addresses of the selected pools with ARP and NDP.', {
      spec: object({
        ...poolRefs,
        nodeSelectors: selectors('Only nodes matching one of these selectors announce. Empty: every node.'),
        interfaces: strings('Only answer on these interfaces. Empty: every interface.'),
        serviceSelectors: selectors('Only Services matching one of these selectors. Empty: every Service.'),
        preferredNodeSelectors: list(preferredNodeSelector, 'Soft preferences for the announcing node; weights of matching preferences add up.'),
      }, 'Desired state of the L2Advertisement.'),
      status: emptyStatus('L2Advertisement'),
    }),
  }],
};

/** serviceSelectors pick addresses one Service at a time, which aggregation would undo. */
const serviceSelectorsNeedHostRoutes = {
  rule: '!has(self.serviceSelectors) || size(self.serviceSelectors) == 0 || '
    + '((!has(self.aggregationLength) || self.aggregationLength == 32) && (!has(self.aggregationLengthV6) || self.aggregationLengthV6 == 128))',
  message: 'serviceSelectors can only be used with the default aggregation lengths (aggregationLength 32, aggregationLengthV6 128)',
  fieldPath: '.serviceSelectors',
};

const bgpAdvertisement: CrdDefinition = {
  kind: 'BGPAdvertisement',
  plural: 'bgpadvertisements',
  versions: [{
    name: 'v1beta1',
    storage: true,
    printerColumns: [
      { name: 'IPAddressPools', type: 'string', jsonPath: '.spec.ipAddressPools' },
      { name: 'IPAddressPool Selectors', type: 'string', jsonPath: '.spec.ipAddressPoolSelectors' },
      { name: 'Peers', type: 'string', jsonPath: '.spec.peers' },
      { name: 'Node Selectors', type: 'string', jsonPath: '.spec.nodeSelectors', priority: 10 },
      ageColumn,
    ],
    schema: kindSchema('Announces the addresses of the selected pools over BGP, with these attributes.', {
      spec: object({
        aggregationLength: int('Prefix length announced for IPv4 addresses; below 32 announces the covering prefix.', 1, 32, { default: 32 }),
        aggregationLengthV6: int('Prefix length announced for IPv6 addresses; below 128 announces the covering prefix.', 1, 128, { default: 128 }),
        localPref: int('BGP LOCAL_PREF of the announcements; 0 sends none.', 0, uint32Max),
        communities: strings('Communities to attach: "A:B", "large:A:B:C", or the name of an alias from a Community.', { maxItems: 63 }),
        ...poolRefs,
        nodeSelectors: selectors('Only nodes matching one of these selectors announce (are next hops). Empty: every node.'),
        peers: strings('Names of the BGPPeers to announce to. Empty: every peer.'),
        serviceSelectors: selectors('Only Services matching one of these selectors. Empty: every Service. Needs the default aggregation lengths.'),
      }, 'Desired state of the BGPAdvertisement.', { 'x-kubernetes-validations': [serviceSelectorsNeedHostRoutes] }),
      status: emptyStatus('BGPAdvertisement'),
    }),
  }],
};

const interval = (what: string): Schema => int(`${what}, in milliseconds.`, 10, 60000);

const bfdProfile: CrdDefinition = {
  kind: 'BFDProfile',
  plural: 'bfdprofiles',
  versions: [{
    name: 'v1beta1',
    storage: true,
    printerColumns: [
      { name: 'Passive Mode', type: 'boolean', jsonPath: '.spec.passiveMode' },
      { name: 'Transmit Interval', type: 'integer', jsonPath: '.spec.transmitInterval' },
      { name: 'Receive Interval', type: 'integer', jsonPath: '.spec.receiveInterval' },
      { name: 'Multiplier', type: 'integer', jsonPath: '.spec.detectMultiplier' },
      ageColumn,
    ],
    schema: kindSchema('BFD session parameters (RFC 5880) a BGPPeer can name in bfdProfile.', {
      spec: object({
        receiveInterval: interval('Minimum interval between received control packets (FRR default 300)'),
        transmitInterval: interval('Minimum interval between sent control packets (FRR default 300)'),
        detectMultiplier: int('Missed packets before the session is declared down (FRR default 3).', 2, 255),
        echoInterval: interval('Minimum interval between echo packets (FRR default 50)'),
        echoMode: bool('Use echo mode (single-hop IPv4 sessions only).'),
        passiveMode: bool('Wait for the peer to start the session instead of sending control packets first.'),
        minimumTtl: int('Lowest TTL accepted on incoming packets (multi-hop sessions).', 1, 254),
      }, 'Desired state of the BFDProfile.'),
      status: emptyStatus('BFDProfile'),
    }),
  }],
};

const community: CrdDefinition = {
  kind: 'Community',
  plural: 'communities',
  versions: [{
    name: 'v1beta1',
    storage: true,
    printerColumns: [],
    schema: kindSchema('Named aliases for BGP communities, usable in BGPAdvertisement communities.', {
      spec: object({
        communities: list(object({
          name: str('The alias; unique across all Communities.'),
          value: str('The community: "A:B" (RFC 1997) or "large:A:B:C" (RFC 8092).'),
        }, 'One alias.', { required: ['name', 'value'] }), 'The aliases this object defines.'),
      }, 'Desired state of the Community.'),
      status: emptyStatus('Community'),
    }),
  }],
};

export const configCrds: readonly CrdDefinition[] = [ipAddressPool, l2Advertisement, bgpAdvertisement, bfdProfile, community];

// Golden scenarios about advertisements: prefixes, LOCAL_PREF, communities, families and VRFs
// (MetalLB's frr_test.go and frr_vrf_test.go advertisement cases, frr-k8s' extra ones), adapted.

import { anAdvertisement, tor, web, type ServiceRow } from './builders.ts';
import type { GoldenScenario } from './golden-scenarios.ts';

const all = anAdvertisement({ name: 'all' });
const multihop = tor({ ebgpMultiHop: true });
const api: ServiceRow = { name: 'api', ips: ['203.0.113.11'] };
const dual: ServiceRow = { name: 'dual', families: ['ipv4', 'ipv6'], ipFamilyPolicy: 'RequireDualStack', ips: ['203.0.113.20', '2001:db8:100::20'] };
const b = (spec: Parameters<typeof tor>[0] = {}) => tor({ name: 'tor-b', address: '192.0.2.253', ...spec });

function singleAdvertisementScenarios(): GoldenScenario[] {
  const community = anAdvertisement({ name: 'all', communities: ['1111:2222'], localPref: 200 });
  return [
    { name: 'single-advertisement', about: 'TestSingleAdvertisement: one Service IP to one multi-hop peer', snapshot: { peers: [multihop], ads: [all], services: [web] } },
    { name: 'single-advertisement-change', about: 'TestSingleAdvertisementChange: the advertisement gained a community and a LOCAL_PREF', snapshot: { peers: [multihop], ads: [community], services: [web] } },
    { name: 'single-advertisement-change-vrf', about: 'TestSingleAdvertisementChangeVRF: the same change for a peer in VRF red', snapshot: { peers: [tor({ ebgpMultiHop: true, vrf: 'red' })], ads: [community], services: [web] } },
    { name: 'single-advertisement-vrf', about: 'TestSingleAdvertisementVRF: one Service IP to a peer in VRF red', snapshot: { peers: [tor({ ebgpMultiHop: true, vrf: 'red' })], ads: [all], services: [web] } },
    { name: 'single-advertisement-no-router-id', about: 'TestSingleAdvertisementNoRouterID: no bgp router-id line', snapshot: { peers: [tor({ routerID: null })], ads: [all], services: [web] } },
    { name: 'single-advertisement-stop', about: 'TestSingleAdvertisementStop: the Service has no ready endpoint any more, its prefix is withdrawn', snapshot: { peers: [multihop], ads: [all], services: [{ ...web, endpoints: [{ node: 'node-1', ready: false, serving: false }] }] } },
    { name: 'single-advertisement-invalid', about: 'TestSingleAdvertisementInvalid: an address outside every pool is not announced (ipNotAllowed)', snapshot: { peers: [multihop], ads: [all], services: [{ ...web, ips: ['198.51.100.10'] }] } },
    { name: 'single-advertisement-invalid-no-port', about: 'TestSingleAdvertisementInvalidNoPort: a peer without a port uses 179, which is not written', snapshot: { peers: [tor({ port: 179 })], ads: [all], services: [web] } },
    { name: 'single-advertisement-invalid-prefix', about: 'TestSingleAdvertisementInvalidPrefix: an IPv6 address is not sent to an IPv4-only peer (no network line)', snapshot: { peers: [multihop], ads: [all], services: [{ name: 'v6', families: ['ipv6'], ips: ['2001:db8:100::10'] }] } },
  ];
}

function communityScenarios(): GoldenScenario[] {
  return [
    {
      name: 'large-communities',
      about: 'TestLargeCommunities: LOCAL_PREF 300, two large communities and a standard one in one entry',
      snapshot: { peers: [multihop], ads: [anAdvertisement({ localPref: 300, communities: ['large:2222:3333:4444', 'large:1111:2222:3333', '3333:4444'] })], services: [web] },
    },
    {
      name: 'many-advertisements-same-community',
      about: 'TestManyAdvertisementsSameCommunity: three Services with the same community share one policy',
      snapshot: { peers: [multihop], ads: [anAdvertisement({ communities: ['1111:2222'] })], services: [web, api, { name: 'db', ips: ['203.0.113.12'] }] },
    },
    {
      name: 'two-advertisements',
      about: 'TestTwoAdvertisements: one Service with a community, one without',
      snapshot: {
        peers: [multihop],
        ads: [anAdvertisement({ name: 'tagged', communities: ['1111:2222'], serviceSelectors: [{ matchLabels: { tier: 'front' }, matchExpressions: [] }] }), anAdvertisement({ name: 'plain', serviceSelectors: [{ matchLabels: { tier: 'back' }, matchExpressions: [] }] })],
        services: [{ ...web, labels: { tier: 'front' } }, { ...api, labels: { tier: 'back' } }],
      },
    },
    { name: 'two-advertisements-duplicate', about: 'TestTwoAdvertisementsDuplicate: two Services sharing one IP give one network line', snapshot: { peers: [multihop], ads: [all], services: [web, { ...web, name: 'web-udp', sharingKey: 'web', ports: ['UDP/53'] }] } },
    { name: 'two-advertisements-with-same-prefix', about: "frr-k8s' TestTwoAdvertisementsWithSamePrefix: two IPs aggregated into one /24", snapshot: { peers: [multihop], ads: [anAdvertisement({ aggregationLength: 24 })], services: [web, api] } },
  ];
}

function sessionAdvertisementScenarios(): GoldenScenario[] {
  const toA = anAdvertisement({ name: 'to-a', peers: ['tor'], communities: ['1111:2222'], serviceSelectors: [{ matchLabels: { app: 'web' }, matchExpressions: [] }] });
  const toB = anAdvertisement({ name: 'to-b', peers: ['tor-b'], localPref: 150, serviceSelectors: [{ matchLabels: { app: 'api' }, matchExpressions: [] }] });
  const services = [{ ...web, labels: { app: 'web' } }, { ...api, labels: { app: 'api' } }];
  return [
    { name: 'two-advertisements-two-sessions', about: 'TestTwoAdvertisementsTwoSessions: each advertisement names its own peer', snapshot: { peers: [multihop, b({ ebgpMultiHop: true })], ads: [toA, toB], services } },
    { name: 'two-advertisements-two-sessions-one-vrf', about: 'TestTwoAdvertisementsTwoSessionsOneVRF: the same with the second peer in VRF red', snapshot: { peers: [multihop, b({ ebgpMultiHop: true, vrf: 'red' })], ads: [toA, toB], services } },
    { name: 'two-advertisements-vrf', about: 'TestTwoAdvertisementsVRF: two Services to one peer in VRF red', snapshot: { peers: [tor({ ebgpMultiHop: true, vrf: 'red' })], ads: [all], services: [web, api] } },
    {
      name: 'ipv4-and-ipv6-sessions-disable-mp',
      about: 'TestIPv4AndIPv6SessionsDisableMP: an IPv4 and an IPv6 peer each carry only their own family',
      snapshot: { peers: [multihop, b({ address: '2001:db8::253', ebgpMultiHop: true })], ads: [all], services: [dual] },
    },
    {
      name: 'ipv4-and-ipv6-sessions-dual-stack-family',
      about: 'TestIPv4AndIPv6SessionsDualStackFamily: with dualStackAddressFamily both peers carry both families',
      snapshot: { peers: [tor({ ebgpMultiHop: true, dualStackAddressFamily: true }), b({ address: '2001:db8::253', ebgpMultiHop: true, dualStackAddressFamily: true })], ads: [all], services: [dual] },
    },
  ];
}

export const advertisementScenarios = (): GoldenScenario[] => [...singleAdvertisementScenarios(), ...communityScenarios(), ...sessionAdvertisementScenarios()];

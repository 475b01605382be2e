// Golden scenarios about sessions, BFD and logging (MetalLB's frr_test.go session cases,
// frr_bfd_test.go and the logging tests), adapted to barelb's validated inputs.

import { aBFDProfile, anAdvertisement, matchLabels, nodesNamed, tor, web } from './builders.ts';
import type { GoldenScenario } from './golden-scenarios.ts';
import { parseFrrLogLevel } from './log-level.ts';

const all = anAdvertisement({ name: 'all' });
const withWeb = { ads: [all], services: [web] };

function bfdScenarios(): GoldenScenario[] {
  const foo = aBFDProfile({ name: 'foo', receiveIntervalMs: 60, transmitIntervalMs: 70, detectMultiplier: 5, echoIntervalMs: 90, minimumTtl: 60 });
  return [
    { name: 'bfd-profile-all-default', about: 'TestBFDProfileAllDefault: a profile with no field set prints only its name', snapshot: { peers: [tor({ bfdProfile: 'default' })], bfdProfiles: [aBFDProfile({ name: 'default' })] } },
    {
      name: 'bfd-profile-corner-cases',
      about: 'TestBFDProfileCornerCases: the smallest and largest values of every field, echo and passive mode',
      snapshot: {
        bfdProfiles: [
          aBFDProfile({ name: 'max', receiveIntervalMs: 60000, transmitIntervalMs: 60000, detectMultiplier: 255, echoIntervalMs: 60000, echoMode: true, passiveMode: true, minimumTtl: 254 }),
          aBFDProfile({ name: 'min', receiveIntervalMs: 10, transmitIntervalMs: 10, detectMultiplier: 2, echoIntervalMs: 10, minimumTtl: 1 }),
        ],
      },
    },
    { name: 'bfd-profile-no-sessions', about: 'TestBFDProfileNoSessions: profiles are rendered even when no session uses them', snapshot: { bfdProfiles: [foo, aBFDProfile({ name: 'bar', detectMultiplier: 3 })] } },
    { name: 'bfd-profile-then-delete', about: 'TestBFDProfileThenDelete: after the peer stops using the profile and it is deleted, no bfd line is left', snapshot: { peers: [tor()], ...withWeb } },
    { name: 'bfd-with-session', about: 'TestBFDWithSession: a session with a BFD profile', snapshot: { peers: [tor({ bfdProfile: 'foo', ebgpMultiHop: true })], bfdProfiles: [foo], ...withWeb } },
  ];
}

function loggingScenarios(): GoldenScenario[] {
  return [
    { name: 'logging-configuration', about: 'TestLoggingConfiguration: the speaker log level warn maps to FRR warnings', snapshot: { peers: [tor()] }, logLevel: 'warnings' },
    { name: 'logging-configuration-debug', about: 'TestLoggingConfigurationDebug: debugging adds the zebra, bgp and bfd debug lines', snapshot: { peers: [tor()] }, logLevel: 'debugging' },
    {
      name: 'logging-configuration-override',
      about: 'TestLoggingConfigurationOverrideByEnvironmentVar: an explicit FRR level (FRR_LOGGING_LEVEL) wins over the speaker level',
      snapshot: { peers: [tor()] },
      logLevel: parseFrrLogLevel('notifications') ?? 'informational',
    },
  ];
}

function singleSessionScenarios(): GoldenScenario[] {
  const timers = { holdSeconds: 3, keepaliveSeconds: 1 };
  return [
    {
      name: 'single-ebgp-session-one-hop',
      about: 'TestSingleEBGPSessionOneHop: port, timers, password and source address; nothing advertised',
      snapshot: { peers: [tor({ port: 1179, timers, password: 'password', sourceAddress: '192.0.2.100' })] },
    },
    { name: 'single-ebgp-session-multi-hop', about: 'TestSingleEBGPSessionMultiHop: ebgp-multihop, written with the explicit 255 every FRR version reads alike', snapshot: { peers: [tor({ ebgpMultiHop: true, timers })] } },
    { name: 'single-ebgp-session-graceful-restart', about: "frr-k8s' TestSingleEBGPSessionGracefullRestart: graceful restart on an eBGP session with an advertisement", snapshot: { peers: [tor({ gracefulRestart: true })], ...withWeb } },
    { name: 'single-ibgp-session', about: 'TestSingleIBGPSession: remote ASN equal to my ASN', snapshot: { peers: [tor({ remoteASN: 100, timers })] } },
    { name: 'single-ipv6-ebgp-session-one-hop', about: 'TestSingleIPv6EBGPSessionOneHop: single-hop IPv6 eBGP gets disable-connected-check and only the IPv6 family', snapshot: { peers: [tor({ address: '2001:db8::254', sourceAddress: '2001:db8::100' })] } },
    { name: 'single-ipv6-ibgp-session', about: 'TestSingleIPv6IBGPSession: IPv6 iBGP: no disable-connected-check', snapshot: { peers: [tor({ address: '2001:db8::254', remoteASN: 100 })] } },
    { name: 'single-session-close', about: "TestSingleSessionClose: the peer's nodeSelectors no longer take this node, so no router is left", snapshot: { peers: [tor({ nodeSelectors: [matchLabels({ rack: 'b' })] })], ...withWeb, nodes: nodesNamed('node-1') } },
    { name: 'single-session-extras', about: 'TestSingleSessionExtras: the raw extra config is appended last', snapshot: { peers: [tor()] }, extraConfig: 'bgp route-map delay-timer 1\n! added by the operator\n' },
    { name: 'single-session-with-external-asn', about: 'TestSingleSessionWithExternalASN: dynamicASN external', snapshot: { peers: [tor({ remoteASN: 'external' })] } },
    { name: 'single-session-with-internal-asn', about: 'TestSingleSessionWithInternalASN: dynamicASN internal', snapshot: { peers: [tor({ remoteASN: 'internal' })] } },
    { name: 'single-session-with-graceful-restart', about: 'TestSingleSessionWithGracefulRestart: per-neighbor graceful-restart', snapshot: { peers: [tor({ gracefulRestart: true })] } },
    { name: 'single-session-with-local-asn', about: 'TestSingleSessionWithLocalASN: local-as with no-prepend replace-as', snapshot: { peers: [tor({ localASN: 65410 })] } },
    { name: 'single-session-with-no-timers', about: 'TestSingleSessionWithNoTimers: no timers line, FRR keeps its defaults', snapshot: { peers: [tor()] } },
    { name: 'single-session-with-zero-timers', about: 'TestSingleSessionWithZeroTimers: timers 0 0 (keepalives off)', snapshot: { peers: [tor({ timers: { holdSeconds: 0, keepaliveSeconds: 0 } })] } },
    { name: 'single-session-with-secret-password', about: 'barelb: the password comes from a Secret the caller resolved', snapshot: { peers: [tor({ passwordSecret: 'barelb-system/tor-auth' })] }, secrets: { 'barelb-system/tor-auth': 's3cr3t!#' } },
    { name: 'single-vrf-ibgp-session', about: 'TestSingleVRFIBGPSession: an iBGP session in VRF red', snapshot: { peers: [tor({ remoteASN: 100, vrf: 'red' })] } },
    { name: 'vrf-single-ebgp-session-multi-hop', about: 'TestVRFSingleEBGPSessionMultiHop: a multi-hop eBGP session in VRF red', snapshot: { peers: [tor({ ebgpMultiHop: true, vrf: 'red' })] } },
    { name: 'unnumbered-session', about: 'TestUnnumberedSession: unnumbered (interface) peer, both families activated', snapshot: { peers: [tor({ iface: 'net0', myASN: 102, remoteASN: 'external', sourceAddress: '192.0.2.100', gracefulRestart: true })], ...withWeb } },
  ];
}

function twoSessionScenarios(): GoldenScenario[] {
  const b = (spec: Parameters<typeof tor>[0]) => tor({ name: 'tor-b', address: '192.0.2.253', ...spec });
  return [
    { name: 'two-sessions', about: 'TestTwoSessions: two routers (AS 100 and AS 300, one in VRF red) with connect timers', snapshot: { peers: [tor({ connectTimeSeconds: 1 }), b({ myASN: 300, remoteASN: 400, vrf: 'red', connectTimeSeconds: 1 })] } },
    { name: 'two-sessions-duplicate', about: 'TestTwoSessionsDuplicate: two BGPPeers to the same address on disjoint nodes; this node runs one session', snapshot: { peers: [tor({ nodeSelectors: [matchLabels({ 'kubernetes.io/hostname': 'node-1' })] }), tor({ name: 'tor-other', timers: { holdSeconds: 9, keepaliveSeconds: 3 }, nodeSelectors: [matchLabels({ 'kubernetes.io/hostname': 'node-2' })] })], nodes: nodesNamed('node-1', 'node-2') } },
    { name: 'two-sessions-duplicate-router', about: 'TestTwoSessionsDuplicateRouter: peers with the same ASN, router ID and VRF share one router', snapshot: { peers: [tor(), b({ remoteASN: 300, port: 1179 })] } },
    { name: 'two-sessions-one-vrf', about: 'TestTwoSessionsOneVRF: one session in the default VRF, one in VRF red', snapshot: { peers: [tor(), b({ vrf: 'red' })] } },
    { name: 'two-sessions-same-ip-router-id-asn-vrf', about: 'TestTwoSessionsSameIPRouterIDASNVRF: the same address, router ID and ASN in two VRFs', snapshot: { peers: [tor({ vrf: 'red' }), tor({ name: 'tor-blue', vrf: 'blue' })] } },
    { name: 'two-sessions-same-ip-vrf', about: 'TestTwoSessionsSameIPVRF: the same address in the default VRF and VRF red, with different ASNs', snapshot: { peers: [tor(), tor({ name: 'tor-red', myASN: 300, remoteASN: 400, vrf: 'red' })] } },
    { name: 'two-ipv6-sessions', about: 'TestTwoIPv6Sessions: two IPv6 peers, one single-hop eBGP, one multi-hop', snapshot: { peers: [tor({ address: '2001:db8::254' }), b({ address: '2001:db8::253', ebgpMultiHop: true })] } },
  ];
}

export const sessionScenarios = (): GoldenScenario[] => [...bfdScenarios(), ...loggingScenarios(), ...singleSessionScenarios(), ...twoSessionScenarios()];

// The lab's network as data: namespace names (all `blab-…`), addresses (documentation ranges
// only), AS numbers, the lab directory's layout, and the upstream router's frr.conf. Pure.
//
//   client eth1 198.51.100.100 ── up0 198.51.100.1  router (FRR, AS 64500)  br0 192.0.2.1
//   client eth0 192.0.2.100 ─────────────────────────────────────────────── br0 ─┬─ node-1 eth0 192.0.2.11
//                                                                               ├─ node-2 eth0 192.0.2.12
//                                                                               └─ node-3 eth0 192.0.2.13
// Each node runs FRR (AS 64512) and a speaker; the controller runs in the router's namespace.
import { join } from 'node:path';

// Defined beside the command line, which shows it in --help without loading the lab.
export { DEFAULT_LAB_DIR } from '../cli/lab-dir.ts';

/** Every namespace, FRR pathspace and chroot entry the lab makes starts with this. */
export const LAB_PREFIX = 'blab-';

export const ROUTER_ASN = 64500;
export const NODE_ASN = 64512;

export const ROUTER = {
  ns: `${LAB_PREFIX}router`,
  /** On br0, the nodes' segment (and their default gateway). */
  segmentIPv4: '192.0.2.1',
  /** On up0, the link to the client. */
  upstreamIPv4: '198.51.100.1',
} as const;

export const CLIENT = {
  ns: `${LAB_PREFIX}client`,
  /** eth0, on the nodes' segment: reaches L2 addresses directly. */
  segmentIPv4: '192.0.2.100',
  /** eth1, behind the router: reaches BGP addresses through it. */
  upstreamIPv4: '198.51.100.100',
} as const;

export type LabNode = {
  /** 1-based. */
  readonly index: number;
  /** The Node name in the manifests and the speaker's --node. */
  readonly name: string;
  readonly ns: string;
  readonly ipv4: string;
  /** The node's port on the router's bridge. */
  readonly port: string;
};

export const NODES: readonly LabNode[] = [1, 2, 3].map((index) => ({
  index,
  name: `node-${index}`,
  ns: `${LAB_PREFIX}node${index}`,
  ipv4: `192.0.2.${10 + index}`,
  port: `node${index}`,
}));

export const NAMESPACES: readonly string[] = [ROUTER.ns, ...NODES.map((n) => n.ns), CLIENT.ns];

/**
 * What each node accepts as its own (a local route on kube-ipvs0, as kube-proxy IPVS holds Service
 * addresses; the kernel never answers ARP for them, only barelb does): any pool inside these
 * ranges works when the manifests are edited.
 */
export const SERVICE_RANGES = { bgp: '203.0.113.0/24', l2: '192.0.2.128/25' } as const;

/** The lab's Services (examples/lab); each node serves UDP echo on udp-echo.ts's ECHO_PORT. */
export const SERVICES = { bgp: 'demo/web-bgp', l2: 'demo/web-l2' } as const;
/** Speaker metrics, inside each node's namespace. */
export const METRICS_ADDRESS = '127.0.0.1:9120';

export type LabPaths = {
  readonly dir: string;
  /** Watched by the controller and the speakers: the files to edit. */
  readonly manifests: string;
  readonly logs: string;
  /** What the lab created: namespaces, PIDs, files (src/lab/record.ts). */
  readonly record: string;
  readonly heartbeatKey: string;
};

export function labPaths(dir: string): LabPaths {
  return { dir, manifests: join(dir, 'manifests'), logs: join(dir, 'logs'), record: join(dir, 'lab.json'), heartbeatKey: join(dir, 'heartbeat.key') };
}

/** True for the names the lab makes (namespaces, FRR pathspaces, chroot scratch directories). */
export const isLabName = (name: string): boolean => name.startsWith(LAB_PREFIX) && /^[a-z0-9-]+$/.test(name);

/** The upstream router: eBGP to every node, ECMP over up to 8 paths, no policy needed. */
export function routerConfig(nodes: readonly LabNode[] = NODES): string {
  return [
    'frr defaults traditional',
    'hostname router',
    `router bgp ${ROUTER_ASN}`,
    ` bgp router-id ${ROUTER.segmentIPv4}`,
    ' no bgp ebgp-requires-policy',
    ' no bgp default ipv4-unicast',
    ...nodes.flatMap((n) => [
      ` neighbor ${n.ipv4} remote-as ${NODE_ASN}`,
      ` neighbor ${n.ipv4} description ${n.name}`,
      ` neighbor ${n.ipv4} timers connect 1`,
    ]),
    ' address-family ipv4 unicast',
    '  maximum-paths 8',
    ...nodes.map((n) => `  neighbor ${n.ipv4} activate`),
    ' exit-address-family',
    'exit',
    '',
  ].join('\n');
}

/** The node whose segment address is `ip`, if any. */
export const nodeByIPv4 = (ip: string): LabNode | undefined => NODES.find((n) => n.ipv4 === ip);
export const nodeByName = (name: string): LabNode | undefined => NODES.find((n) => n.name === name);

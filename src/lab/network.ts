// Builds the lab's network (topology.ts) out of namespaces: bridges, veth pairs, addresses,
// routes and namespace-local sysctls. Every link is created inside a lab namespace; the host's
// interfaces, routes, sysctls and neighbour tables are never touched.
import { Netns, addVethPair } from './netns.ts';
import { CLIENT, NODES, ROUTER, SERVICE_RANGES, type LabNode } from './topology.ts';
import type { Tracker } from './tracker.ts';

export const BRIDGE = 'br0';
export const SERVICE_DEVICE = 'kube-ipvs0';

export type LabNetwork = {
  readonly router: Netns;
  readonly client: Netns;
  /** In the order of NODES. */
  readonly nodes: readonly Netns[];
};

/** Handles on the namespaces of a lab built earlier (by this or another process). */
export function existingNetwork(tracker: Tracker): LabNetwork {
  return {
    router: Netns.existing(ROUTER.ns, tracker),
    client: Netns.existing(CLIENT.ns, tracker),
    nodes: NODES.map((n) => Netns.existing(n.ns, tracker)),
  };
}

/** A dummy device (an empty bridge with ARP off where the kernel has no dummy driver), up. */
async function addServiceDevice(ns: Netns): Promise<void> {
  const dummy = await ns.exec('ip', ['link', 'add', SERVICE_DEVICE, 'type', 'dummy']);
  if (dummy.exitCode !== 0) await ns.ip(['link', 'add', SERVICE_DEVICE, 'type', 'bridge']);
  await ns.ip(['link', 'set', SERVICE_DEVICE, 'arp', 'off', 'up']);
}

async function buildRouter(tracker: Tracker): Promise<Netns> {
  const router = await Netns.create(ROUTER.ns, tracker);
  await router.addBridge(BRIDGE);
  await router.addAddress(BRIDGE, `${ROUTER.segmentIPv4}/24`);
  await router.sysctl('net.ipv4.ip_forward', '1');
  // Hash ECMP on ports too, so separate flows from one client spread over the nodes.
  await router.sysctl('net.ipv4.fib_multipath_hash_policy', '1');
  return router;
}

async function buildClient(router: Netns, tracker: Tracker): Promise<Netns> {
  const client = await Netns.create(CLIENT.ns, tracker);
  // Replies from a node's segment address come back over eth1: no strict reverse-path check.
  await client.sysctl('net.ipv4.conf.all.rp_filter', '0');
  await client.sysctl('net.ipv4.conf.default.rp_filter', '0');
  await addVethPair({ ns: router, ifname: 'client0' }, { ns: client, ifname: 'eth0' });
  await router.attach('client0', BRIDGE);
  await client.addAddress('eth0', `${CLIENT.segmentIPv4}/24`);
  await addVethPair({ ns: router, ifname: 'up0' }, { ns: client, ifname: 'eth1' });
  await router.addAddress('up0', `${ROUTER.upstreamIPv4}/24`);
  await client.addAddress('eth1', `${CLIENT.upstreamIPv4}/24`);
  await client.addRoute([SERVICE_RANGES.bgp, 'via', ROUTER.upstreamIPv4, 'dev', 'eth1']);
  return client;
}

/** eth0 on the bridge, the router as default gateway, and kube-ipvs0 holding the Service ranges. */
async function buildNode(node: LabNode, router: Netns, tracker: Tracker): Promise<Netns> {
  const ns = await Netns.create(node.ns, tracker);
  // kube-proxy IPVS in strictARP mode: the kernel answers ARP only for eth0's own address.
  await ns.sysctl('net.ipv4.conf.all.arp_ignore', '1');
  await ns.sysctl('net.ipv4.conf.all.arp_announce', '2');
  await addVethPair({ ns: router, ifname: node.port }, { ns, ifname: 'eth0' });
  await router.attach(node.port, BRIDGE);
  await ns.addAddress('eth0', `${node.ipv4}/24`);
  await ns.addRoute(['default', 'via', ROUTER.segmentIPv4, 'dev', 'eth0']);
  await addServiceDevice(ns);
  for (const range of Object.values(SERVICE_RANGES)) await ns.addRoute(['local', range, 'dev', SERVICE_DEVICE]);
  return ns;
}

/** Builds every namespace; each is recorded in `tracker` as soon as it exists. */
export async function buildNetwork(tracker: Tracker, note: (line: string) => void): Promise<LabNetwork> {
  const router = await buildRouter(tracker);
  note(`${ROUTER.ns}: bridge ${BRIDGE} ${ROUTER.segmentIPv4}/24, up0 ${ROUTER.upstreamIPv4}/24, forwarding on`);
  const client = await buildClient(router, tracker);
  note(`${CLIENT.ns}: eth0 ${CLIENT.segmentIPv4} on the segment, eth1 ${CLIENT.upstreamIPv4} behind the router`);
  const nodes: Netns[] = [];
  for (const node of NODES) {
    nodes.push(await buildNode(node, router, tracker));
    note(`${node.ns}: ${node.name}, eth0 ${node.ipv4}/24, ${SERVICE_DEVICE} accepting ${Object.values(SERVICE_RANGES).join(' and ')}`);
  }
  return { router, client, nodes };
}

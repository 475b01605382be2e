// The L2 e2e segment: lan.ts's bridge br0 with N nodes, plus a second bridge br1 (203.0.113.0/24)
// that every node (eth1) and the client reach, and a `client` namespace on both. Each node holds
// the Service addresses on kube-ipvs0 with arp_ignore=1 / arp_announce=2, as kube-proxy IPVS in
// strictARP mode leaves a node: the kernel never answers ARP/NDP for them, only barelb does.
// kube-proxy's kube-ipvs0 is a dummy device; kernels without the dummy driver get an empty bridge
// with ARP off instead, which is the same to the kernel's ARP and to barelb (NOARP: no responder).
import { Teardown } from './cleanup.ts';
import { buildLan, BRIDGE, type Lan, type LanNode } from './lan.ts';
import { Netns, addVethPair } from './netns.ts';

export const SECOND_BRIDGE = 'br1';
export const CLIENT_IPV4 = '192.0.2.100';
export const CLIENT_IPV6 = '2001:db8::100';
export const CLIENT_ETH1_IPV4 = '203.0.113.100';

export interface L2LabNode extends LanNode {
  /** `node-<index>`: the Node name in manifests and the speaker's --node. */
  readonly name: string;
  readonly eth1Ipv4: string;
  readonly macs: { readonly eth0: string; readonly eth1: string };
}

export interface L2Lab {
  readonly lan: Lan;
  readonly client: Netns;
  readonly clientMac: string;
  readonly nodes: readonly L2LabNode[];
  /** The node whose eth0 or eth1 has this MAC (lowercase), or undefined. */
  nodeByMac(mac: string): L2LabNode | undefined;
  destroy(): Promise<void>;
}

/** The interface's MAC, lowercase. */
export async function macOf(ns: Netns, ifname: string): Promise<string> {
  const out = await ns.ip(['-j', 'link', 'show', 'dev', ifname]);
  const [link] = JSON.parse(out.stdout) as { address?: string }[];
  if (link?.address === undefined) throw new Error(`${ns.name} ${ifname} has no MAC`);
  return link.address.toLowerCase();
}

export type Neighbour = { readonly mac: string | null; readonly state: readonly string[] };

/** `ip neigh show IP dev IFNAME` as data, or null when there is no entry. */
export async function neighbour(ns: Netns, ip: string, ifname: string): Promise<Neighbour | null> {
  const out = await ns.ip(['-j', 'neigh', 'show', ip, 'dev', ifname]);
  const [entry] = JSON.parse(out.stdout === '' ? '[]' : out.stdout) as { lladdr?: string; state?: string[] }[];
  return entry === undefined ? null : { mac: entry.lladdr?.toLowerCase() ?? null, state: entry.state ?? [] };
}

async function addClient(lan: Lan, teardown: Teardown): Promise<Netns> {
  const client = await Netns.create('client');
  teardown.defer(() => client.destroy());
  await addVethPair({ ns: lan.router, ifname: 'client0' }, { ns: client, ifname: 'eth0' });
  await lan.router.attach('client0', BRIDGE);
  await addVethPair({ ns: lan.router, ifname: 'client1' }, { ns: client, ifname: 'eth1' });
  await lan.router.attach('client1', SECOND_BRIDGE);
  await client.addAddress('eth0', `${CLIENT_IPV4}/24`);
  await client.addAddress('eth0', `${CLIENT_IPV6}/64`);
  await client.addAddress('eth1', `${CLIENT_ETH1_IPV4}/24`);
  return client;
}

export const SERVICE_DEVICE = 'kube-ipvs0';

/** A dummy device, or an empty bridge with ARP off where the kernel has no dummy driver. */
async function addServiceDevice(ns: Netns): Promise<void> {
  const dummy = await ns.exec('ip', ['link', 'add', SERVICE_DEVICE, 'type', 'dummy']);
  if (dummy.exitCode !== 0) await ns.ip(['link', 'add', SERVICE_DEVICE, 'type', 'bridge']);
  await ns.ip(['link', 'set', SERVICE_DEVICE, 'arp', 'off', 'up']);
}

/** eth1 on br1, kube-ipvs0 holding `serviceIPs`, and the strictARP sysctls. */
async function prepareNode(lan: Lan, node: LanNode, serviceIPs: readonly string[]): Promise<L2LabNode> {
  const port = `n${node.index}b`;
  const eth1Ipv4 = `203.0.113.${10 + node.index}`;
  await addVethPair({ ns: lan.router, ifname: port }, { ns: node.ns, ifname: 'eth1' });
  await lan.router.attach(port, SECOND_BRIDGE);
  await node.ns.addAddress('eth1', `${eth1Ipv4}/24`);
  await node.ns.sysctl('net.ipv4.conf.all.arp_ignore', '1');
  await node.ns.sysctl('net.ipv4.conf.all.arp_announce', '2');
  await addServiceDevice(node.ns);
  for (const ip of serviceIPs) await node.ns.addAddress(SERVICE_DEVICE, ip.includes(':') ? `${ip}/128` : `${ip}/32`);
  const macs = { eth0: await macOf(node.ns, 'eth0'), eth1: await macOf(node.ns, 'eth1') };
  return { ...node, name: `node-${node.index}`, eth1Ipv4, macs };
}

/** Builds the lab; on failure removes what it had made. */
export async function buildL2Lab(nodeCount: number, serviceIPs: readonly string[]): Promise<L2Lab> {
  const teardown = new Teardown();
  try {
    const lan = await buildLan(nodeCount);
    teardown.defer(() => lan.destroy());
    await lan.router.addBridge(SECOND_BRIDGE);
    const client = await addClient(lan, teardown);
    const nodes: L2LabNode[] = [];
    for (const n of lan.nodes) nodes.push(await prepareNode(lan, n, serviceIPs));
    const clientMac = await macOf(client, 'eth0');
    return {
      lan,
      client,
      clientMac,
      nodes,
      nodeByMac: (mac) => nodes.find((n) => n.macs.eth0 === mac.toLowerCase() || n.macs.eth1 === mac.toLowerCase()),
      destroy: () => teardown.run(),
    };
  } catch (error) {
    await teardown.run().catch(() => undefined);
    throw error;
  }
}

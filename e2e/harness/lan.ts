// The standard e2e segment: a `router` namespace holding bridge br0 (192.0.2.1/24, 2001:db8::1/64)
// and N node namespaces whose eth0 (192.0.2.1N/24, 2001:db8::1N/64) is a port of that bridge.
import { Teardown } from './cleanup.ts';
import { Netns, addVethPair } from './netns.ts';

export const ROUTER_IPV4 = '192.0.2.1';
export const ROUTER_IPV6 = '2001:db8::1';
export const BRIDGE = 'br0';

export interface LanNode {
  /** 1-based. */
  readonly index: number;
  readonly ns: Netns;
  /** The node's interface on the segment. */
  readonly ifname: 'eth0';
  /** The bridge port on the router side, `node<index>`. */
  readonly port: string;
  readonly ipv4: string;
  readonly ipv6: string;
}

export interface Lan {
  readonly router: Netns;
  readonly nodes: readonly LanNode[];
  /** Takes the router-side port of node `index` down (the node loses the segment), or back up. */
  setNodeLink(index: number, state: 'up' | 'down'): Promise<void>;
  /** Deletes every namespace of the segment. */
  destroy(): Promise<void>;
}

/** Builds the segment with `nodeCount` nodes (1-9); on failure removes what it had made. */
export async function buildLan(nodeCount: number): Promise<Lan> {
  if (!Number.isInteger(nodeCount) || nodeCount < 1 || nodeCount > 9) {
    throw new Error(`buildLan: nodeCount must be 1-9, got ${nodeCount}`);
  }
  const teardown = new Teardown();
  try {
    const router = await Netns.create('router');
    teardown.defer(() => router.destroy());
    await router.addBridge(BRIDGE);
    await router.addAddress(BRIDGE, `${ROUTER_IPV4}/24`);
    await router.addAddress(BRIDGE, `${ROUTER_IPV6}/64`);
    const nodes: LanNode[] = [];
    for (let index = 1; index <= nodeCount; index += 1) {
      const ns = await Netns.create(`node${index}`);
      teardown.defer(() => ns.destroy());
      const node: LanNode = {
        index,
        ns,
        ifname: 'eth0',
        port: `node${index}`,
        ipv4: `192.0.2.${10 + index}`,
        ipv6: `2001:db8::${10 + index}`,
      };
      await addVethPair({ ns: router, ifname: node.port }, { ns, ifname: node.ifname });
      await router.attach(node.port, BRIDGE);
      await ns.addAddress(node.ifname, `${node.ipv4}/24`);
      await ns.addAddress(node.ifname, `${node.ipv6}/64`);
      nodes.push(node);
    }
    return {
      router,
      nodes,
      async setNodeLink(index, state) {
        const node = nodes.find((n) => n.index === index);
        if (node === undefined) throw new Error(`no node ${index} on this segment`);
        await router.setLink(node.port, state);
      },
      destroy: () => teardown.run(),
    };
  } catch (error) {
    await teardown.run().catch(() => undefined);
    throw error;
  }
}

// One lab as the steps and `status` see it: its directory, its record, handles on its namespaces
// and vtysh on its router, whichever process built it.
import { frrVty, type FrrVty } from './frr.ts';
import { existingNetwork, type LabNetwork } from './network.ts';
import type { Netns } from './netns.ts';
import type { LabRecord } from './record.ts';
import { NODES, type LabNode, type LabPaths } from './topology.ts';

export type LabHandle = {
  readonly paths: LabPaths;
  readonly record: LabRecord;
  readonly network: LabNetwork;
  readonly router: FrrVty;
  /** Each node with its namespace, in the order of NODES. */
  readonly nodes: readonly { readonly node: LabNode; readonly name: string; readonly ns: Netns }[];
};

export function labHandle(paths: LabPaths, record: LabRecord, network: LabNetwork = existingNetwork(record)): LabHandle {
  return {
    paths,
    record,
    network,
    router: frrVty(network.router),
    nodes: NODES.map((node, i) => ({ node, name: node.name, ns: network.nodes[i] as Netns })),
  };
}

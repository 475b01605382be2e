// Brings the L2 scenario up: the lab, the manifests, the controller, a speaker and a UDP echo
// server per node; resolves once the client reaches the web Service through its elected owner.
// Used by e2e/l2/speaker.test.ts and bench/l2-failover.
import type { Teardown } from '../harness/cleanup.ts';
import { L2Cluster, heartbeatSecretManifest, nodeManifests } from '../harness/l2-cluster.ts';
import { buildL2Lab, type L2Lab, type L2LabNode } from '../harness/l2-lab.ts';
import { waitForOwner } from '../harness/l2-probe.ts';
import { startEchoServer } from '../harness/udp-echo.ts';
import { LOCAL_IP, SERVICE_IPS, WEB_IP, configManifest, endpointsManifest, ranking, servicesManifest } from './scenario.ts';

export type Scenario = { readonly lab: L2Lab; readonly cluster: L2Cluster };

/** Registers every teardown step on `teardown` as it goes, so a failure half-way still cleans up. */
export async function startScenario(teardown: Teardown, o: { nodes?: number; speakerArgs?: readonly string[]; logLevel?: string } = {}): Promise<Scenario> {
  const lab = await buildL2Lab(o.nodes ?? 3, SERVICE_IPS);
  teardown.defer(() => lab.destroy());
  const cluster = new L2Cluster(lab, o.speakerArgs ?? [], o.logLevel ?? 'debug');
  teardown.defer(() => cluster.destroy());
  // The Local Service's endpoint sits on the node its Cluster-policy ranking puts last.
  const localOn = ranking(lab.nodes, LOCAL_IP).at(-1) as L2LabNode;
  cluster.write('config.yaml', configManifest);
  cluster.write('nodes.yaml', nodeManifests(lab.nodes));
  cluster.write('secret.yaml', heartbeatSecretManifest);
  cluster.write('services.yaml', servicesManifest());
  cluster.write('endpoints.yaml', endpointsManifest(lab.nodes, localOn));
  cluster.startController();
  for (const n of lab.nodes) cluster.startSpeaker(n);
  const servers = lab.nodes.map((n) => startEchoServer(n.ns, n.name));
  teardown.defer(async () => {
    for (const s of servers) await s.stop();
  });
  for (const s of servers) await s.ready();
  await cluster.waitForAllocation('demo/web', [WEB_IP]);
  await waitForOwner(lab, WEB_IP, ranking(lab.nodes, WEB_IP)[0] as L2LabNode, 20_000, { detail: () => cluster.logs() });
  return { lab, cluster };
}

// `barelb plan` on L2 manifests: the owner per Service (every Node counted live) and its
// interfaces, in JSON and as the table's OWNER column.

import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './main.ts';

const config = `
apiVersion: barelb.io/v1beta1
kind: IPAddressPool
metadata: {name: lan, namespace: barelb-system}
spec: {addresses: [192.0.2.200-192.0.2.209]}
---
apiVersion: barelb.io/v1beta1
kind: IPAddressPool
metadata: {name: dmz, namespace: barelb-system}
spec: {addresses: [203.0.113.200-203.0.113.209]}
---
apiVersion: barelb.io/v1beta1
kind: L2Advertisement
metadata: {name: lan, namespace: barelb-system}
spec: {ipAddressPools: [lan]}
---
apiVersion: barelb.io/v1beta1
kind: L2Advertisement
metadata: {name: dmz, namespace: barelb-system}
spec: {ipAddressPools: [dmz], interfaces: [eth1, bond0]}
`;

const node = (name: string) => `apiVersion: v1\nkind: Node\nmetadata: {name: ${name}}\n`;

const service = (name: string, ip: string, policy = 'Cluster') => `
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: demo}
spec: {type: LoadBalancer, loadBalancerIP: "${ip}", externalTrafficPolicy: ${policy}, ports: [{port: 80}]}
`;

const slice = (name: string, nodes: readonly string[]) => `
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: ${name}-x, namespace: demo, labels: {kubernetes.io/service-name: ${name}}}
addressType: IPv4
endpoints: [${nodes.map((n, i) => `{addresses: ["198.51.100.${i + 1}"], nodeName: ${n}}`).join(', ')}]
`;

async function plan(dir: string, json: boolean): Promise<string> {
  let out = '';
  const code = await runCli(['plan', '-f', dir, ...(json ? ['-o', 'json'] : [])], { stdout: (t) => (out += t), stderr: () => undefined });
  expect(code).to.equal(0);
  return out;
}

describe('barelb plan with L2 advertisements', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'barelb-plan-l2-'));
    const all = ['node-1', 'node-2', 'node-3'];
    writeFileSync(join(dir, 'config.yaml'), config);
    writeFileSync(join(dir, 'nodes.yaml'), all.map(node).join('---\n'));
    writeFileSync(join(dir, 'services.yaml'), [
      service('web', '192.0.2.200'), service('local', '192.0.2.201', 'Local'), service('dmz', '203.0.113.200'), service('idle', '192.0.2.202'),
    ].join('---\n'));
    // SHA-256 order: 192.0.2.200 node-2 first; 192.0.2.201 node-1 first, node-2 last; 203.0.113.200 node-3 first.
    writeFileSync(join(dir, 'slices.yaml'), [slice('web', all), slice('local', ['node-2']), slice('dmz', all)].join('---\n'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives each L2 Service its owner and interfaces in JSON, or why nobody owns it', async () => {
    const report = JSON.parse(await plan(dir, true)) as { services: { name: string; l2?: unknown }[] };
    expect(Object.fromEntries(report.services.map((s) => [s.name, s.l2]))).to.deep.equal({
      dmz: { owner: 'node-3', interfaces: ['bond0', 'eth1'] },
      idle: { owner: null, reason: 'no-serving-endpoint' },
      local: { owner: 'node-2', interfaces: 'all' },
      web: { owner: 'node-2', interfaces: 'all' },
    });
  });

  it('adds an OWNER column to the table', async () => {
    const lines = (await plan(dir, false)).split('\n');
    expect(lines[0]).to.match(/^SERVICE\s+STATE\s+IPS\s+POOL\s+OWNER\s+REASON\s+MESSAGE$/);
    expect(lines.find((l) => l.startsWith('demo/dmz '))).to.include('node-3 (bond0,eth1)');
    expect(lines.find((l) => l.startsWith('demo/idle '))).to.include('none (no-serving-endpoint)');
  });

  it('leaves L2 out without Nodes, since nobody can be elected', async () => {
    writeFileSync(join(dir, 'nodes.yaml'), '');
    const report = JSON.parse(await plan(dir, true)) as { services: { l2?: unknown }[] };
    expect(report.services.filter((s) => s.l2 !== undefined)).to.deep.equal([]);
    expect((await plan(dir, false)).split('\n')[0]).not.to.include('OWNER');
  });
});

// Local mode end to end in one process: a real directory, chokidar, the state file.

import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { Controller } from '../controller/loop.ts';
import { recordingLogger } from '../log/logger.ts';
import { controllerMetrics } from '../metrics/controller-metrics.ts';
import { localControllerStore } from './local-controller-store.ts';
import { statePath } from './state-file.ts';

const poolYaml = (cidr: string) => `apiVersion: barelb.io/v1beta1
kind: IPAddressPool
metadata: {name: p, namespace: barelb-system}
spec: {addresses: [${cidr}]}
`;
const serviceYaml = (name: string, day: number) => `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: default, creationTimestamp: "2026-01-0${day}T00:00:00Z"}
spec: {type: LoadBalancer, clusterIPs: [172.20.0.${day}], ports: [{port: 80}]}
`;

/** Polls the state file until `check` passes; bounded, so a broken watcher fails the test instead of hanging it. */
async function stateUntil(dir: string, check: (s: { services: Record<string, { ips: string[] }>; pending: Record<string, { reason: string }> }) => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      last = readFileSync(statePath(dir), 'utf8');
      if (check(JSON.parse(last))) return;
    } catch {
      // not written yet
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`state never matched; last: ${last}`);
}

function start(dir: string) {
  const stop = new AbortController();
  const logger = recordingLogger();
  const c = new Controller({ store: localControllerStore(dir, (e) => logger.error({ e: String(e) })), logger, metrics: controllerMetrics(new Registry()), options: { loadBalancerClass: null } });
  const done = c.run(stop.signal);
  return { stop: async () => { stop.abort(); await done; }, logger, controller: c };
}

describe('local mode controller', () => {
  let dir = '';
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'barelb-local-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('allocates, reacts to edits, keeps the state through invalid edits and restarts', async () => {
    writeFileSync(join(dir, 'pool.yaml'), poolYaml('192.0.2.8/31'));
    writeFileSync(join(dir, 'a.yaml'), serviceYaml('a', 1));
    writeFileSync(join(dir, 'b.yaml'), serviceYaml('b', 2));
    writeFileSync(join(dir, 'c.yaml'), serviceYaml('c', 3));
    const first = start(dir);
    try {
      await stateUntil(dir, (s) => s.services['default/a']?.ips[0] === '192.0.2.8' && s.services['default/b']?.ips[0] === '192.0.2.9' && s.pending['default/c']?.reason === 'pool-exhausted');
      // An invalid pool never withdraws anything.
      writeFileSync(join(dir, 'pool.yaml'), poolYaml('192.0.2.8/33'));
      await new Promise((r) => setTimeout(r, 300));
      await stateUntil(dir, (s) => s.services['default/a']?.ips[0] === '192.0.2.8' && s.services['default/b']?.ips[0] === '192.0.2.9');
      expect(first.logger.records.some((r) => r.fields['field'] === 'spec.addresses[0]')).to.equal(true);
      // Deleting a Service hands its address to the pending one at once.
      unlinkSync(join(dir, 'a.yaml'));
      writeFileSync(join(dir, 'pool.yaml'), poolYaml('192.0.2.8/31'));
      await stateUntil(dir, (s) => s.services['default/c']?.ips[0] === '192.0.2.8' && s.services['default/a'] === undefined);
    } finally {
      await first.stop();
    }
    const before = statSync(statePath(dir)).mtimeMs;
    const second = start(dir);
    try {
      await new Promise((r) => setTimeout(r, 300));
      expect(second.controller.status.ready).to.equal(true);
      expect(statSync(statePath(dir)).mtimeMs, 'a restart rewrote the state').to.equal(before);
      await stateUntil(dir, (s) => s.services['default/b']?.ips[0] === '192.0.2.9' && s.services['default/c']?.ips[0] === '192.0.2.8');
    } finally {
      await second.stop();
    }
  });
});

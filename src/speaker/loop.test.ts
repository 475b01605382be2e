import { expect } from 'chai';
import type { ServiceKey } from '../api/model.ts';
import type { Allocations } from '../controller/reconcile.ts';
import type { IP } from '../net/ip.ts';
import { recordingLogger } from '../log/logger.ts';
import { Speaker, type SpeakerSnapshot, type SpeakerView } from './loop.ts';

const pool = (addresses: string[]) => ({ apiVersion: 'barelb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'p', namespace: 'barelb-system' }, spec: { addresses } });
const service = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: { type: 'LoadBalancer', clusterIPs: ['172.20.0.1'], ports: [{ port: 80 }], ...spec },
});
const snap = (objects: unknown[], loadErrors: SpeakerSnapshot['loadErrors'] = [], allocations: Allocations = new Map()): SpeakerSnapshot => ({ objects, loadErrors, allocations });

async function views(snapshots: SpeakerSnapshot[], loadBalancerClass: string | null = null): Promise<SpeakerView[]> {
  const seen: SpeakerView[] = [];
  const speaker = new Speaker({
    node: 'n1',
    loadBalancerClass,
    store: { watch: async (on) => { for (const s of snapshots) await on(s); } },
    handlers: [{ name: 'record', update: async (v) => void seen.push(v) }],
    logger: recordingLogger(),
  });
  await speaker.run(new AbortController().signal);
  return seen;
}

describe('Speaker loop', () => {
  it('keeps the last valid configuration in force while passing on the Services as they are now', async () => {
    const seen = await views([snap([pool(['192.0.2.0/30']), service('a')]), snap([pool(['192.0.2.0/33']), service('a'), service('b')])]);
    expect(seen).to.have.length(2);
    expect(seen[1]?.input.config.pools.map((p) => p.cidrs.length)).to.deep.equal([1]);
    expect(seen[1]?.input.services.map((s) => s.key)).to.deep.equal(['default/a', 'default/b']);
  });

  it('holds everything while a manifest could not be read', async () => {
    const seen = await views([snap([pool(['192.0.2.0/30']), service('a')]), snap([pool(['192.0.2.0/30'])], [{ object: 'file s.yaml', field: '', message: 'YAML syntax error' }])]);
    expect(seen[1]?.input.services.map((s) => s.key)).to.deep.equal(['default/a']);
  });

  it('hands nothing to the handlers until one valid configuration was read', async () => {
    expect(await views([snap([pool(['192.0.2.0/33'])])])).to.deep.equal([]);
  });

  it('hands on only the Services it serves: type LoadBalancer and its loadBalancerClass, as the controller screens', async () => {
    const objects = [pool(['192.0.2.0/30']), service('plain'), service('other', { loadBalancerClass: 'example.com/other' }), service('ours', { loadBalancerClass: 'barelb.io/internal' }), service('np', { type: 'NodePort' })];
    const held: Allocations = new Map(['plain', 'other', 'ours', 'np'].map((n, i) => [`default/${n}` as ServiceKey, { ips: [`192.0.2.${i}` as IP], pool: 'p' }]));
    const keys = (v: SpeakerView | undefined) => v?.input.services.map((s) => s.key);
    const [noClass, again] = await views([snap(objects, [], held), snap(objects, [], held)]);
    expect(keys(noClass)).to.deep.equal(['default/plain']);
    expect(again?.input.services, 'the same list while the Services are the same').to.equal(noClass?.input.services);
    expect(keys((await views([snap(objects, [], held)], 'barelb.io/internal'))[0])).to.deep.equal(['default/ours']);
  });
});

import { expect } from 'chai';
import { parseInput } from '../api/input.ts';
import { serviceKey, type ServiceKey } from '../api/model.ts';
import type { ServiceDecision } from '../ipam/decision.ts';
import type { IP } from '../net/ip.ts';
import type { WireObject } from './client.ts';
import { allocationsFromRecorded, allocationsFromRecords, allocationsFromServices, serviceRecorded, CONDITION_TYPE, type ServiceRecord, type SettledCache, serviceRecord, metaTime, pascal, POOL_ANNOTATION, statusWrites } from './service-status.ts';

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);

function svc(name: string, opts: { ips?: string[]; pool?: string; annotations?: Record<string, string>; condition?: WireObject } = {}): WireObject {
  return {
    metadata: { name, namespace: 'demo', uid: `uid-${name}`, generation: 2, annotations: { ...(opts.pool === undefined ? {} : { [POOL_ANNOTATION]: opts.pool }), ...opts.annotations } },
    status: { loadBalancer: { ingress: (opts.ips ?? []).map((ip) => ({ ip })) }, ...(opts.condition === undefined ? {} : { conditions: [opts.condition] }) },
  };
}
const allocated = (name: string, ips: string[], pool: string, verb = 'kept'): ServiceDecision => ({ state: 'allocated', key: serviceKey('demo', name), ips: ips as IP[], pool, message: `${verb} ${ips.join(', ')} from pool "${pool}"` });
const trueCondition = { type: CONDITION_TYPE, status: 'True', reason: 'IPAllocated', message: 'holds 203.0.113.1 from pool "main"', observedGeneration: 2, lastTransitionTime: '2026-01-01T00:00:00Z' };
const byKey = (...list: WireObject[]) => new Map(list.map((s) => [`demo/${String((s['metadata'] as WireObject)['name'])}`, s] as const));

describe('Service status writes', () => {
  it('writes nothing for a Service that already shows its decision (a restart over a settled cluster)', () => {
    const s = svc('web', { ips: ['203.0.113.1'], pool: 'main', condition: trueCondition });
    expect(statusWrites([allocated('web', ['203.0.113.1'], 'main')], byKey(s), NOW)).to.deep.equal([]);
    expect(statusWrites([allocated('web', ['203.0.113.1'], 'main', 'assigned')], byKey(s), NOW), 'assigned vs kept is no change').to.deep.equal([]);
  });

  it('applies ingress with ipMode VIP, the True condition and the pool annotation to a new allocation', () => {
    const [w] = statusWrites([allocated('web', ['203.0.113.1', '2001:db8::1'], 'main', 'assigned')], byKey(svc('web')), NOW);
    expect(w?.status).to.deep.equal({
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'demo' },
      status: {
        loadBalancer: { ingress: [{ ip: '203.0.113.1', ipMode: 'VIP' }, { ip: '2001:db8::1', ipMode: 'VIP' }] },
        conditions: [{ type: CONDITION_TYPE, status: 'True', reason: 'IPAllocated', message: 'holds 203.0.113.1, 2001:db8::1 from pool "main"', observedGeneration: 2, lastTransitionTime: metaTime(NOW) }],
      },
    });
    expect(w?.annotation).to.deep.equal({ metadata: { annotations: { [POOL_ANNOTATION]: 'main' } } });
  });

  it('releases a pending Service: empty ingress, a False condition with a CamelCase reason, the annotation removed', () => {
    const s = svc('web', { ips: ['203.0.113.1'], pool: 'main', condition: trueCondition });
    const [w] = statusWrites([{ state: 'pending', key: serviceKey('demo', 'web'), reason: 'pool-exhausted', message: 'pool main is full' }], byKey(s), NOW);
    const st = (w?.status?.['status'] ?? {}) as WireObject;
    expect(st['loadBalancer']).to.deep.equal({ ingress: [] });
    expect((st['conditions'] as WireObject[])[0]).to.include({ status: 'False', reason: 'PoolExhausted', lastTransitionTime: metaTime(NOW) });
    expect(w?.annotation).to.deep.equal({ metadata: { annotations: { [POOL_ANNOTATION]: null } } });
  });

  it('treats a condition without observedGeneration as generation 0 (the API server omits zero)', () => {
    const { observedGeneration: _g, ...noGeneration } = trueCondition;
    const s = { ...svc('web', { ips: ['203.0.113.1'], pool: 'main', condition: noGeneration }), metadata: { name: 'web', namespace: 'demo', annotations: { [POOL_ANNOTATION]: 'main' } } };
    expect(statusWrites([allocated('web', ['203.0.113.1'], 'main')], byKey(s), NOW)).to.deep.equal([]);
  });

  it('keeps lastTransitionTime while the status stays the same', () => {
    const s = svc('web', { ips: ['203.0.113.1'], pool: 'main', condition: { ...trueCondition, observedGeneration: 1 } });
    const [w] = statusWrites([allocated('web', ['203.0.113.1'], 'main')], byKey(s), NOW);
    const cond = ((w?.status?.['status'] as WireObject)['conditions'] as WireObject[])[0];
    expect(cond).to.include({ lastTransitionTime: '2026-01-01T00:00:00Z', observedGeneration: 2 });
  });

  it('leaves alone an ignored Service it never served, and releases one it did', () => {
    const ignored: ServiceDecision = { state: 'ignored', key: serviceKey('demo', 'other'), message: 'another class' };
    expect(statusWrites([ignored], byKey(svc('other', { ips: ['198.51.100.9'] })), NOW)).to.deep.equal([]);
    const [w] = statusWrites([ignored], byKey(svc('other', { ips: ['203.0.113.1'], pool: 'main' })), NOW);
    expect((w?.status?.['status'] as WireObject)['loadBalancer']).to.deep.equal({ ingress: [] });
    expect((w?.status?.['status'] as WireObject)['conditions']).to.equal(undefined);
  });

  it('turns reason codes into condition reasons', () => {
    expect(pascal('ip-not-in-requested-pool')).to.equal('IpNotInRequestedPool');
    expect(pascal('')).to.equal('Unknown');
  });
});

describe('Service status writes with a settled cache', () => {
  it('skips a decision its object already showed, and looks again when either changes', () => {
    const settled: SettledCache = new WeakMap();
    const d = allocated('a', ['203.0.113.1'], 'main');
    const bare = svc('a');
    const shows = svc('a', { ips: ['203.0.113.1'], pool: 'main', condition: trueCondition });
    expect(statusWrites([d], new Map([['demo/a', bare]]), 0, settled)).to.have.length(1);
    expect(settled.has(d), 'a write is due: not settled').to.equal(false);
    expect(statusWrites([d], new Map([['demo/a', shows]]), 0, settled)).to.deep.equal([]);
    expect(settled.get(d)).to.equal(shows);
    // Someone cleared the status: a new object, so it is compared again and repaired.
    expect(statusWrites([d], new Map([['demo/a', bare]]), 0, settled)).to.have.length(1);
    // A new decision over the same object is compared again too.
    expect(statusWrites([allocated('a', ['203.0.113.2'], 'main')], new Map([['demo/a', shows]]), 0, settled)).to.have.length(1);
  });
});

describe('allocations read back from Services', () => {
  const pools = parseInput([{ apiVersion: 'barelb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'main', namespace: 'barelb-system' }, spec: { addresses: ['203.0.113.0/28'] } }]).config.pools;

  it('takes the pool from our annotation, else MetalLB\'s, else the pool holding the address', () => {
    const held = allocationsFromServices([
      svc('a', { ips: ['203.0.113.1'], pool: 'main' }),
      svc('b', { ips: ['203.0.113.2'], annotations: { 'metallb.io/ip-allocated-from-pool': 'old' } }),
      svc('c', { ips: ['203.0.113.3'] }),
      svc('d', { ips: ['192.0.2.1'] }),
      svc('e'),
    ], pools);
    expect(Object.fromEntries([...held].map(([k, v]) => [k, v]))).to.deep.equal({
      'demo/a': { ips: ['203.0.113.1'], pool: 'main' },
      'demo/b': { ips: ['203.0.113.2'], pool: 'old' },
      'demo/c': { ips: ['203.0.113.3'], pool: 'main' },
      'demo/d': { ips: ['192.0.2.1'], pool: '' },
    });
  });

  it('skips a Service whose ingress holds something that is not an address', () => {
    expect(allocationsFromServices([svc('x', { ips: ['not-an-ip'] })], pools).size).to.equal(0);
  });

  it('with records read once per object: an unchanged object gives the same Allocation object, a replaced one is read again, an unnamed pool follows the pools', () => {
    // What a store that keeps objects does (speaker-store.ts keeps each Service's record with it).
    const records = new WeakMap<WireObject, ServiceRecord>();
    const recordOf = (o: WireObject): ServiceRecord => {
      if (!records.has(o)) records.set(o, serviceRecord(o));
      return records.get(o) ?? null;
    };
    const fromRecords = (list: WireObject[], p: typeof pools) => allocationsFromRecords(list, recordOf, p);
    const a = svc('a', { ips: ['203.0.113.1'], pool: 'main' });
    const c = svc('c', { ips: ['203.0.113.3'] });
    const first = fromRecords([a, c, svc('e')], pools);
    const again = fromRecords([a, c], pools);
    expect(again.get('demo/a' as ServiceKey)).to.equal(first.get('demo/a' as ServiceKey));
    const replaced = fromRecords([svc('a', { ips: ['203.0.113.9'], pool: 'main' }), c], []);
    expect(replaced.get('demo/a' as ServiceKey)).to.deep.equal({ ips: ['203.0.113.9'], pool: 'main' });
    expect(replaced.get('demo/c' as ServiceKey), 'no pool holds it any more').to.deep.equal({ ips: ['203.0.113.3'], pool: '' });
    expect(fromRecords([a, c, svc('e')], pools)).to.deep.equal(allocationsFromServices([a, c, svc('e')], pools));
    // Kept apart (speaker-store.ts keeps the key as the reading's id): the same allocations.
    const keyOf = (o: WireObject): ServiceKey => `demo/${String((o['metadata'] as { name: string }).name)}` as ServiceKey;
    const list = [a, c, svc('e'), svc('x', { ips: ['not-an-ip'] }), svc('d', { ips: ['192.0.2.1'] })];
    expect(allocationsFromRecorded(list, keyOf, (o) => serviceRecorded(o), pools)).to.deep.equal(allocationsFromServices(list, pools));
  });
});

import { expect } from 'chai';
import { aService, noteRows, run } from './testing.ts';

const svc = 'Service/default/web';
const field = (key: string): string => `metadata.annotations[${JSON.stringify(key)}]`;

type Row = {
  readonly name: string;
  readonly annotations: Record<string, string>;
  readonly expected: Record<string, string>;
  readonly notes: readonly [string, string][];
};

const rows: readonly Row[] = [
  {
    name: 'renames every annotation barelb reads to barelb.io/, in place',
    annotations: { team: 'web', 'metallb.io/loadBalancerIPs': '192.0.2.1,2001:db8::1', 'metallb.io/address-pool': 'public', 'metallb.io/allow-shared-ip': 'k' },
    expected: { team: 'web', 'barelb.io/loadBalancerIPs': '192.0.2.1,2001:db8::1', 'barelb.io/address-pool': 'public', 'barelb.io/allow-shared-ip': 'k' },
    notes: [['annotation-renamed', 'metadata.annotations']],
  },
  {
    name: 'renames the deprecated metallb.universe.tf/ prefix too',
    annotations: { 'metallb.universe.tf/address-pool': 'public', 'metallb.universe.tf/allow-shared-ip': '' },
    expected: { 'barelb.io/address-pool': 'public', 'barelb.io/allow-shared-ip': '' },
    notes: [['annotation-renamed', 'metadata.annotations']],
  },
  {
    name: 'keeps the metallb.io/ value when both prefixes are set, as MetalLB did, and says what was dropped',
    annotations: { 'metallb.universe.tf/address-pool': 'old', 'metallb.io/address-pool': 'new' },
    expected: { 'barelb.io/address-pool': 'new' },
    notes: [['annotation-renamed', 'metadata.annotations'], ['annotation-shadowed', field('metallb.universe.tf/address-pool')]],
  },
  {
    name: 'drops a deprecated duplicate with the same value silently',
    annotations: { 'metallb.universe.tf/address-pool': 'same', 'metallb.io/address-pool': 'same' },
    expected: { 'barelb.io/address-pool': 'same' },
    notes: [['annotation-renamed', 'metadata.annotations']],
  },
  {
    name: 'keeps an existing barelb.io/ annotation and reports the MetalLB value it overrides',
    annotations: { 'barelb.io/address-pool': 'mine', 'metallb.io/address-pool': 'theirs' },
    expected: { 'barelb.io/address-pool': 'mine' },
    notes: [['annotation-conflict', field('metallb.io/address-pool')]],
  },
  {
    name: 'drops the MetalLB annotation when barelb.io/ already says the same',
    annotations: { 'barelb.io/address-pool': 'same', 'metallb.io/address-pool': 'same' },
    expected: { 'barelb.io/address-pool': 'same' },
    notes: [],
  },
  {
    name: 'renames the pool record MetalLB\'s controller wrote, which barelb\'s controller reads',
    annotations: { 'metallb.io/ip-allocated-from-pool': 'public', other: 'x' },
    expected: { 'barelb.io/ip-allocated-from-pool': 'public', other: 'x' },
    notes: [['annotation-renamed', 'metadata.annotations']],
  },
  {
    name: 'drops MetalLB\'s pool record when barelb\'s controller already wrote its own',
    annotations: { 'barelb.io/ip-allocated-from-pool': 'new', 'metallb.io/ip-allocated-from-pool': 'old' },
    expected: { 'barelb.io/ip-allocated-from-pool': 'new' },
    notes: [['output-annotation-dropped', field('metallb.io/ip-allocated-from-pool')]],
  },
];

describe('migrate: Service annotations', () => {
  for (const row of rows) {
    it(row.name, () => {
      const r = run([aService('web', row.annotations)]);
      const meta = r.objects[0]?.['metadata'] as { annotations: Record<string, string> };
      expect(meta.annotations).to.deep.equal(row.expected);
      expect(Object.keys(meta.annotations)).to.deep.equal(Object.keys(row.expected));
      expect(noteRows(r)).to.deep.equal(row.notes.map(([code, f]) => [code, svc, f]));
    });
  }

  it('passes a Service without MetalLB annotations through unchanged, resourceVersion included', () => {
    const input = aService('web', { team: 'web' }, { metadata: { name: 'web', namespace: 'default', resourceVersion: '7', annotations: { team: 'web' } } });
    const r = run([input]);
    expect(r.objects).to.deep.equal([input]);
    expect(r.summary.passedThrough).to.equal(1);
  });

  it('keeps status and creationTimestamp of a rewritten Service (barelb re-claims and orders by them) but not resourceVersion', () => {
    const status = { loadBalancer: { ingress: [{ ip: '192.0.2.7' }] } };
    const input = aService('web', undefined, {
      metadata: { name: 'web', namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z', resourceVersion: '7', managedFields: [{}], annotations: { 'metallb.io/address-pool': 'p' } },
      status,
    });
    const r = run([input]);
    const out = r.objects[0] ?? {};
    expect(out['metadata']).to.deep.equal({ name: 'web', namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z', annotations: { 'barelb.io/address-pool': 'p' } });
    expect(out['status']).to.deep.equal(status);
    expect(out['spec']).to.deep.equal(input['spec']);
    expect(r.summary.rewritten).to.equal(1);
  });
});

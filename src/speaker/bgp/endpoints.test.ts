// Endpoint slices grouped by their Service, the index that keeps announcement O(Services + slices).

import { expect } from 'chai';
import type { EndpointSliceInput } from '../../api/model.ts';
import { aService, anEndpointSlice } from './builders.ts';
import { hasServingEndpoint, slicesByService, slicesOf } from './endpoints.ts';

describe('endpoint slices by Service', () => {
  const webA = aService({ namespace: 'a', name: 'web' });
  const webB = aService({ namespace: 'b', name: 'web' });
  const dbA = aService({ namespace: 'a', name: 'db' });
  const orphan: EndpointSliceInput = { ...anEndpointSlice(dbA, [{ node: 'node-1' }], 'orphan'), serviceName: null };
  const slices = [
    anEndpointSlice(webA, [{ node: 'node-1' }], 'web-1'),
    anEndpointSlice(webA, [{ node: 'node-2', ready: false }], 'web-2'),
    anEndpointSlice(webB, [{ node: 'node-2' }], 'web-1'),
    orphan,
  ];
  const index = slicesByService(slices);

  it('gives each Service the slices of its namespace labelled with its name, in input order', () => {
    expect(slicesOf(index, webA).map((s) => s.name)).to.deep.equal(['web-1', 'web-2']);
    expect(slicesOf(index, webB).map((s) => `${s.namespace}/${s.name}`)).to.deep.equal(['b/web-1']);
  });

  it('gives a Service without slices none, and leaves slices without a Service out', () => {
    expect(slicesOf(index, dbA)).to.deep.equal([]);
    expect([...index.values()].flat()).to.not.include(orphan);
  });

  it("answers readiness from a Service's own slices as from all of them", () => {
    for (const svc of [webA, webB, dbA]) {
      for (const node of [null, 'node-1', 'node-2']) {
        expect(hasServingEndpoint(slicesOf(index, svc), svc, node), `${svc.key} on ${node}`).to.equal(hasServingEndpoint(slices, svc, node));
      }
    }
  });
});

// Invariants of migrate: it never throws (on anything a YAML file can hold), it is a no-op on
// its own output, and barelb's own objects pass through it untouched.

import { expect } from 'chai';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { migrate } from './migrate.ts';
import { buildReport, renderManifests, renderReportText } from './render.ts';

const configKinds = ['IPAddressPool', 'L2Advertisement', 'BGPAdvertisement', 'BGPPeer', 'BFDProfile', 'Community'];
const kinds = [...configKinds, 'AddressPool', 'ServiceL2Status', 'ConfigurationState', 'Service', 'Secret', 'ConfigMap', 'Namespace', 'List', 'FRRConfiguration', ''];
const apiVersions = ['metallb.io/v1beta1', 'metallb.io/v1beta2', 'metallb.io/v1alpha1', 'barelb.io/v1beta1', 'barelb.io/v1beta2', 'v1', 'apps/v1', 'frrk8s.metallb.io/v1beta1', 'metallb.io', ''];
const annotationKeys = ['metallb.io/address-pool', 'metallb.universe.tf/address-pool', 'barelb.io/address-pool', 'metallb.io/loadBalancerIPs', 'metallb.universe.tf/allow-shared-ip', 'metallb.io/ip-allocated-from-pool', 'team'];
const names = ['a', 'b', 'config', 'Bad_Name', 'bgpextras', 'metallb-config', 'l2advertisement1', 'peer1'];
const namespaces = ['metallb-system', 'barelb-system', 'default', ''];

const value = fc.anything({ maxDepth: 3 });
const annotations = fc.dictionary(fc.constantFrom(...annotationKeys), fc.oneof(fc.constantFrom('a', 'Bad_Name', ''), value), { maxKeys: 4 });
const metadata = fc.record(
  { name: fc.oneof(fc.constantFrom(...names), value), namespace: fc.constantFrom(...namespaces), annotations, ownerReferences: value, resourceVersion: fc.constant('1') },
  { requiredKeys: [] },
);
const specField = fc.constantFrom('addresses', 'protocol', 'passwordSecret', 'peerPort', 'disableMP', 'vrf', 'bgpAdvertisements', 'typo', 'communities', 'nodeSelectors');
const spec = fc.oneof(value, fc.dictionary(specField, fc.oneof(value, fc.constantFrom(0, 'bgp', 'layer2', { name: 'a' }, [{}])), { maxKeys: 5 }));

const legacyConfig = fc.dictionary(
  fc.constantFrom('address-pools', 'peers', 'bgp-communities', 'bfd-profiles', 'peer-autodiscovery', 'junk'),
  fc.oneof(value, fc.array(fc.dictionary(fc.constantFrom('name', 'protocol', 'addresses', 'bgp-advertisements', 'hold-time', 'bfd-profile', 'node-selectors', 'peer-port', 'x'), value, { maxKeys: 4 }), { maxLength: 3 })),
  { maxKeys: 4 },
);
const data = fc.record({ config: fc.oneof(legacyConfig.map((c) => stringify(c)), fc.string()), extras: fc.string() }, { requiredKeys: [] });

const object = fc.record(
  { apiVersion: fc.constantFrom(...apiVersions), kind: fc.constantFrom(...kinds), metadata, spec, data, items: fc.array(value, { maxLength: 2 }), status: value },
  { requiredKeys: ['apiVersion', 'kind'] },
);
const documents = fc.array(fc.oneof({ weight: 5, arbitrary: object }, { weight: 1, arbitrary: value }), { maxLength: 6 });

describe('migrate properties', () => {
  it('never throws, and its output and report can always be printed', () => {
    fc.assert(
      fc.property(documents, (docs) => {
        const r = migrate(docs, { namespace: null });
        renderManifests(r.objects);
        renderReportText(r);
        JSON.stringify(buildReport(r));
      }),
      { numRuns: 400 },
    );
  });

  it('is a no-op on its own output', () => {
    fc.assert(
      fc.property(documents, (docs) => {
        const once = migrate(docs, { namespace: null }).objects;
        const twice = migrate(once, { namespace: null });
        expect(twice.objects).to.deep.equal(once);
        // Only what is passed through untouched can be reported again.
        expect(twice.notes.filter((n) => n.code !== 'legacy-unreadable' && n.code !== 'no-equivalent')).to.deep.equal([]);
      }),
      { numRuns: 400 },
    );
  });

  it('leaves barelb objects untouched and reports nothing', () => {
    const barelbObject = fc.record({
      apiVersion: fc.constantFrom('barelb.io/v1beta1', 'barelb.io/v1beta2'),
      kind: fc.constantFrom(...configKinds),
      metadata: fc.record({ name: fc.constantFrom(...names), namespace: fc.constantFrom(...namespaces), uid: fc.string() }, { requiredKeys: ['name'] }),
      spec,
    });
    const service = fc.record({
      apiVersion: fc.constant('v1'),
      kind: fc.constant('Service'),
      metadata: fc.record({ name: fc.constantFrom(...names), annotations: fc.dictionary(fc.constantFrom('barelb.io/address-pool', 'barelb.io/allow-shared-ip', 'team'), fc.string(), { maxKeys: 2 }) }),
      spec: value,
    });
    fc.assert(
      fc.property(fc.array(fc.oneof(barelbObject, service), { maxLength: 6 }), (docs) => {
        const r = migrate(docs, { namespace: null });
        expect(r.objects).to.deep.equal(docs);
        expect(r.notes).to.deep.equal([]);
      }),
      { numRuns: 300 },
    );
  });
});

import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { parseInput } from '../api/input.ts';
import { checkObject } from './crds-check.ts';
import type { Schema } from './crds-schema.ts';
import { barelbCrds, crdDirectory, crdFileName, renderAllCrds, storageVersion, type CrdDefinition } from './crds.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const crdDir = join(root, crdDirectory);
const crdFiles = readdirSync(crdDir).filter((f) => f.endsWith('.yaml')).sort();

const expectedKinds = ['IPAddressPool', 'L2Advertisement', 'BGPAdvertisement', 'BGPPeer', 'BFDProfile', 'Community', 'ServiceL2Status', 'ServiceBGPStatus', 'ConfigurationState'];

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? yamlFiles(path) : /\.ya?ml$/.test(e.name) ? [path] : [];
  });
}

/** Every barelb.io object of examples/, with where it came from. */
const examples = yamlFiles(join(root, 'examples')).flatMap((file) =>
  parseAllDocuments(readFileSync(file, 'utf8')).map((doc, i) => ({ where: `${relative(root, file)}#${i}`, object: doc.toJS() as unknown })))
  .filter(({ object }) => String((object as { apiVersion?: unknown } | null)?.apiVersion ?? '').startsWith('barelb.io/'));

const defOf = (kind: string): CrdDefinition => {
  const def = barelbCrds.find((d) => d.kind === kind);
  if (def === undefined) throw new Error(`no CRD for ${kind}`);
  return def;
};

const specOf = (kind: string, version?: string): Schema => {
  const def = defOf(kind);
  const v = version === undefined ? storageVersion(def) : def.versions.find((x) => x.name === version);
  const spec = v?.schema.properties?.['spec'];
  if (spec === undefined) throw new Error(`${kind} has no spec`);
  return spec;
};

/** Walks a schema depth first, with the JSON path of each node. */
function walk(schema: Schema, path: string, visit: (s: Schema, path: string) => void): void {
  visit(schema, path);
  for (const [key, sub] of Object.entries(schema.properties ?? {})) walk(sub, `${path}.${key}`, visit);
  if (schema.items !== undefined) walk(schema.items, `${path}[]`, visit);
  if (schema.additionalProperties !== undefined) walk(schema.additionalProperties, `${path}{}`, visit);
}

/** A value with every field of the schema present ('' for strings), to probe the parser. */
function everyField(schema: Schema): unknown {
  switch (schema.type) {
    case 'object': return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, s]) => [k, everyField(s)]));
    case 'array': return schema.items === undefined ? [] : [everyField(schema.items)];
    case 'string': return schema.enum?.[0] ?? '';
    case 'integer': return schema.minimum ?? 0;
    case 'boolean': return false;
  }
}

describe('CRD files under helm/barelb/crds', () => {
  it('are exactly what `npm run gen:crds` writes', () => {
    const wanted = renderAllCrds();
    expect(crdFiles).to.deep.equal([...wanted.keys()].sort());
    for (const [file, text] of wanted) expect(readFileSync(join(crdDir, file), 'utf8'), `${file} is stale: run npm run gen:crds`).to.equal(text);
  });

  it('hold one CustomResourceDefinition each, named after its kind, covering every barelb kind', () => {
    const kinds = crdFiles.map((file) => {
      const docs = parseAllDocuments(readFileSync(join(crdDir, file), 'utf8'));
      expect(docs, file).to.have.length(1);
      const crd = docs[0]?.toJS() as { kind: string; metadata: { name: string }; spec: { group: string; names: { kind: string; plural: string } } };
      expect(crd.kind, file).to.equal('CustomResourceDefinition');
      expect(crd.spec.group, file).to.equal('barelb.io');
      expect(crd.metadata.name, file).to.equal(`${crd.spec.names.plural}.barelb.io`);
      expect(file).to.equal(crdFileName(defOf(crd.spec.names.kind)));
      return crd.spec.names.kind;
    });
    expect([...kinds].sort()).to.deep.equal([...expectedKinds].sort());
  });
});

describe('CRD definitions', () => {
  it('store BGPPeer as v1beta2 and still serve v1beta1, deprecated; every other kind is v1beta1 only', () => {
    const versions = barelbCrds.map((d) => `${d.kind} ${d.versions.map((v) => `${v.name}${v.storage ? '*' : ''}${v.deprecationWarning === undefined ? '' : '(deprecated)'}`).join(' ')}`);
    expect(versions).to.deep.equal(expectedKinds.map((k) => (k === 'BGPPeer' ? 'BGPPeer v1beta1(deprecated) v1beta2*' : `${k} v1beta1*`)));
  });

  it('give every schema node a type, as a structural schema must', () => {
    for (const def of barelbCrds) {
      for (const v of def.versions) walk(v.schema, `${def.kind}/${v.name}`, (s, path) => expect(s.type, path).to.be.a('string'));
    }
  });

  it('point every CEL fieldPath at a property of the object the rule sits on', () => {
    for (const def of barelbCrds) {
      for (const v of def.versions) {
        walk(v.schema, def.kind, (s, path) => {
          for (const rule of s['x-kubernetes-validations'] ?? []) {
            if (rule.fieldPath !== undefined) expect(s.properties, `${path}: ${rule.fieldPath}`).to.have.property(rule.fieldPath.slice(1));
          }
        });
      }
    }
  });

  it('declare the defaults of MetalLB (and enableGracefulRestart: false, so its immutability holds from creation)', () => {
    const defaults: string[] = [];
    for (const def of barelbCrds) {
      for (const v of def.versions) walk(v.schema, `${def.kind}/${v.name}`, (s, path) => s.default !== undefined && defaults.push(`${path}=${String(s.default)}`));
    }
    expect(defaults).to.deep.equal([
      'IPAddressPool/v1beta1.spec.autoAssign=true',
      'IPAddressPool/v1beta1.spec.avoidBuggyIPs=false',
      'BGPAdvertisement/v1beta1.spec.aggregationLength=32',
      'BGPAdvertisement/v1beta1.spec.aggregationLengthV6=128',
      'BGPPeer/v1beta2.spec.peerPort=179',
      'BGPPeer/v1beta2.spec.enableGracefulRestart=false',
      'BGPPeer/v1beta2.spec.disableMP=false',
      'BGPPeer/v1beta2.spec.dualStackAddressFamily=false',
    ]);
  });

  for (const kind of ['IPAddressPool', 'L2Advertisement', 'BGPAdvertisement', 'BFDProfile', 'Community']) {
    it(`names only ${kind} fields the parser knows`, () => {
      const object = { apiVersion: 'barelb.io/v1beta1', kind, metadata: { name: 'probe', namespace: 'barelb-system' }, spec: everyField(specOf(kind)) };
      expect(parseInput([object]).warnings.filter((w) => w.message.includes('unknown field'))).to.deep.equal([]);
    });
  }

  for (const version of ['v1beta1', 'v1beta2']) {
    it(`names only BGPPeer ${version} fields the parser knows`, () => {
      const object = { apiVersion: `barelb.io/${version}`, kind: 'BGPPeer', metadata: { name: 'probe', namespace: 'barelb-system' }, spec: everyField(specOf('BGPPeer', version)) };
      expect(parseInput([object]).warnings.filter((w) => w.message.includes('unknown field'))).to.deep.equal([]);
    });
  }
});

describe('the examples against the CRD schemas', () => {
  it('include objects of every configuration kind', () => {
    const kinds = new Set(examples.map((e) => (e.object as { kind: string }).kind));
    expect([...kinds].sort()).to.deep.equal(['BFDProfile', 'BGPAdvertisement', 'BGPPeer', 'Community', 'IPAddressPool', 'L2Advertisement']);
  });

  for (const { where, object } of examples) {
    it(`${where} (${(object as { kind: string }).kind}) fits its schema`, () => {
      expect(checkObject(barelbCrds, object)).to.deep.equal([]);
    });
  }
});

describe('checkObject', () => {
  const pool = (spec: unknown): unknown => ({ apiVersion: 'barelb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: 'p' }, spec });
  const rows = [
    { name: 'a wrong type', object: pool({ addresses: ['203.0.113.0/24'], autoAssign: 'yes' }), problems: [{ field: 'spec.autoAssign', message: 'must be of type boolean, not string' }] },
    { name: 'a missing required field', object: pool({ autoAssign: true }), problems: [{ field: 'spec.addresses', message: 'is required' }] },
    { name: 'a missing spec', object: pool(null), problems: [{ field: 'spec', message: 'is required' }] },
    { name: 'an unknown field', object: pool({ addresses: ['203.0.113.0/24'], autoassign: true }), problems: [{ field: 'spec.autoassign', message: 'unknown field' }] },
    {
      name: 'an unknown enum value, deep in a selector',
      object: pool({ addresses: ['203.0.113.0/24'], serviceAllocation: { serviceSelectors: [{ matchExpressions: [{ key: 'a', operator: 'Matches' }] }] } }),
      problems: [{ field: 'spec.serviceAllocation.serviceSelectors[0].matchExpressions[0].operator', message: 'unsupported value "Matches"; use one of In, NotIn, Exists, DoesNotExist' }],
    },
    {
      name: 'a number out of range',
      object: { apiVersion: 'barelb.io/v1beta2', kind: 'BGPPeer', metadata: { name: 'p' }, spec: { myASN: 64512, peerASN: 64500, peerAddress: '192.0.2.1', peerPort: 20000 } },
      problems: [{ field: 'spec.peerPort', message: '20000 is more than the maximum 16384' }],
    },
    { name: 'a version the kind does not serve', object: { apiVersion: 'barelb.io/v1beta2', kind: 'IPAddressPool', spec: {} }, problems: [{ field: 'apiVersion', message: 'IPAddressPool has no version "v1beta2"' }] },
  ];
  for (const row of rows) {
    it(`reports ${row.name}, naming the field`, () => {
      expect(checkObject(barelbCrds, row.object)).to.deep.equal(row.problems);
    });
  }

  it('leaves objects of other groups alone', () => {
    expect(checkObject(barelbCrds, { apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', spec: 'anything' })).to.deep.equal([]);
  });
});

// The incremental config reader: patched reads equal whole reads, whatever the edit.

import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'chai';
import fc from 'fast-check';
import { ConfigReader } from './config-reader.ts';
import type { FrrConfig } from './frr-config.ts';
import { readConfig } from './normalise.ts';

const goldenDir = new URL('../testdata/', import.meta.url);
const labDir = new URL('./testdata/', import.meta.url);
const texts = [
  ...readdirSync(goldenDir).filter((f) => f.endsWith('.golden.conf')).map((f) => readFileSync(new URL(f, goldenDir), 'utf8')),
  ...readdirSync(labDir).filter((f) => f.endsWith('.conf')).map((f) => readFileSync(new URL(f, labDir), 'utf8')),
];

/** Order matters: contexts and lines are compared in order. */
const shape = (c: FrrConfig) => ({ globals: c.globals, contexts: [...c.contexts] });

const networkLine = (i: number): string => `  network 2001:db8:100::${i.toString(16)}/128 route-map barelb-tag-1`;

describe('ConfigReader', () => {
  const base = ['router bgp 64512', ' neighbor 2001:db8::1 remote-as 64500', ' address-family ipv6 unicast', networkLine(1), networkLine(3), '  neighbor 2001:db8::1 activate', ' exit-address-family', 'exit', ''];

  it('reads a text whole the first time, and an unchanged text gives the same config', () => {
    const reader = new ConfigReader();
    const text = base.join('\n');
    const first = reader.read(text);
    expect(shape(first)).to.deep.equal(shape(readConfig(text)));
    expect(reader.read(text)).to.equal(first);
  });

  it('patches a network line added or removed, in place in its address family', () => {
    const reader = new ConfigReader();
    reader.read(base.join('\n'));
    const added = [...base.slice(0, 4), networkLine(2), ...base.slice(4)].join('\n');
    const withTwo = reader.read(added);
    expect(withTwo.contexts.get('router bgp 64512\naddress-family ipv6 unicast')?.lines).to.deep.equal([
      'network 2001:db8:100::1/128 route-map barelb-tag-1', 'network 2001:db8:100::2/128 route-map barelb-tag-1', 'network 2001:db8:100::3/128 route-map barelb-tag-1', 'neighbor 2001:db8::1 activate',
    ]);
    expect(shape(withTwo)).to.deep.equal(shape(readConfig(added)));
    const removed = [...base.slice(0, 3), ...base.slice(4)].join('\n');
    expect(shape(reader.read(removed))).to.deep.equal(shape(readConfig(removed)));
  });

  it('reads whole where two lines normalise to one', () => {
    const twins = [...base.slice(0, 4), '  network 10.0.0.1/24 route-map x', '  network 10.0.0.0/24 route-map x', ...base.slice(4)];
    const reader = new ConfigReader();
    reader.read(twins.join('\n'));
    const text = [...twins.slice(0, 6), networkLine(7), ...twins.slice(6)].join('\n');
    expect(shape(reader.read(text))).to.deep.equal(shape(readConfig(text)));
  });

  it('reads whole when a line moves between contexts or duplicates another', () => {
    const reader = new ConfigReader();
    reader.read(base.join('\n'));
    for (const text of [
      [...base.slice(0, 4), networkLine(3), ...base.slice(4)].join('\n'),
      [...base.slice(0, 2), ' exit-address-family', ...base.slice(2)].join('\n'),
      [...base.slice(0, 4), '  network 2001:DB8:100::3/128 route-map barelb-tag-1', ...base.slice(4)].join('\n'),
    ]) {
      expect(shape(reader.read(text)), text).to.deep.equal(shape(readConfig(text)));
    }
  });

  const candidates = [
    networkLine(1), networkLine(2), networkLine(0x10), '  network 2001:DB8:100::2/128 route-map barelb-tag-1', '  network 10.0.0.1/24 route-map x', '  network 10.0.0.0/24 route-map x', '  network 203.0.113.10/32 route-map barelb-tag-2663125360',
    '  neighbor 2001:db8::1 activate', ' neighbor 192.0.2.254 remote-as 200', ' neighbor 192.0.2.254 port 179', ' bgp router-id 192.0.2.100',
    ' set community 65535:65281 additive', ' match tag 7', ' receive-interval 300', ' echo-interval 50',
    'exit', ' exit-address-family', 'end', 'router bgp 64512', ' address-family ipv4 unicast', 'route-map a permit 1', 'bfd', ' profile p',
    'ip prefix-list x seq 5 permit 10.0.0.0/8', ' ip prefix-list x seq 5 permit 10.0.0.0/8', 'log stdout debugging', 'hostname h', 'line vty',
    '! comment', '', '   ', 'Current configuration:',
  ];
  type Edit = { readonly op: 'insert' | 'replace' | 'delete' | 'duplicate'; readonly at: number; readonly line: string; readonly nearNetwork: boolean };
  const edit: fc.Arbitrary<Edit> = fc.record({ op: fc.constantFrom('insert', 'insert', 'replace', 'delete', 'duplicate'), at: fc.nat(), line: fc.constantFrom(...candidates), nearNetwork: fc.boolean() });

  function apply(lines: string[], e: Edit): string[] {
    const networks = lines.flatMap((l, i) => (l.startsWith('  network ') || l.startsWith(' address-family') ? [i + 1] : []));
    const at = e.nearNetwork && networks.length > 0 ? (networks[e.at % networks.length] ?? 0) : e.at % (lines.length + 1);
    switch (e.op) {
      case 'insert': return [...lines.slice(0, at), e.line, ...lines.slice(at)];
      case 'replace': return [...lines.slice(0, at), e.line, ...lines.slice(at + 1)];
      case 'delete': return [...lines.slice(0, at), ...lines.slice(at + 1)];
      case 'duplicate': return [...lines.slice(0, at), lines[at] ?? e.line, ...lines.slice(at)];
    }
  }

  it('equals readConfig after any sequence of edits', () => {
    fc.assert(
      fc.property(fc.constantFrom(...texts, base.join('\n')), fc.array(edit, { maxLength: 12 }), (text, edits) => {
        const reader = new ConfigReader();
        let lines = text.split('\n');
        expect(shape(reader.read(text))).to.deep.equal(shape(readConfig(text)));
        for (const e of edits) {
          lines = apply(lines, e);
          const next = lines.join('\n');
          expect(shape(reader.read(next)), next).to.deep.equal(shape(readConfig(next)));
        }
      }),
      { numRuns: 500 },
    );
  });
});

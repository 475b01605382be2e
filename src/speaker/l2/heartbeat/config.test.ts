import { expect } from 'chai';
import type { NodeInput, SecretInput } from '../../../api/model.ts';
import { ip } from '../testing.ts';
import { bindAddress, heartbeatKey, heartbeatPeers, parseSecretRef } from './config.ts';

const secret = (data: Record<string, string>): Map<string, SecretInput> =>
  new Map([['barelb-system/hb', { namespace: 'barelb-system', name: 'hb', type: 'Opaque', data: new Map(Object.entries(data)) }]]);
const fromSecret = { kind: 'secret', namespace: 'barelb-system', name: 'hb' } as const;
const aNode = (name: string, ...addresses: string[]): NodeInput => ({ name, labels: {}, networkUnavailable: false, addresses: addresses.map(ip) });
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('heartbeat configuration', () => {
  it('takes the key from the Secret\'s "key", trailing newline dropped', () => {
    const k = heartbeatKey(fromSecret, secret({ key: 'sixteen bytes ok!\n' }));
    expect(k.ok && text(k.value)).to.equal('sixteen bytes ok!');
  });

  it('takes the key from a file\'s bytes', () => {
    const k = heartbeatKey({ kind: 'file', path: '/k', bytes: new TextEncoder().encode('0123456789abcdef\r\n') }, new Map());
    expect(k.ok && text(k.value)).to.equal('0123456789abcdef');
  });

  const failures: readonly { name: string; secrets: Map<string, SecretInput>; want: string }[] = [
    { name: 'a missing Secret', secrets: new Map(), want: 'Secret barelb-system/hb does not exist (yet)' },
    { name: 'a Secret without "key"', secrets: secret({ secretkey: 'x'.repeat(22) }), want: 'Secret barelb-system/hb has no "key" key' },
    { name: 'a short key', secrets: secret({ key: 'short' }), want: 'the heartbeat key in Secret barelb-system/hb key "key" is shorter than 16 bytes' },
  ];
  for (const row of failures) {
    it(`rejects ${row.name}, naming the Secret and never the value`, () => {
      expect(heartbeatKey(fromSecret, row.secrets)).to.deep.equal({ ok: false, error: row.want });
    });
  }

  it('parses namespace/name and rejects anything else', () => {
    expect(parseSecretRef('barelb-system/heartbeat')).to.deep.equal({ ok: true, value: { namespace: 'barelb-system', name: 'heartbeat' } });
    expect(parseSecretRef('heartbeat').ok).to.equal(false);
    expect(parseSecretRef('a/b/c').ok).to.equal(false);
  });

  it('binds to the first address of this node\'s Node object', () => {
    expect(bindAddress([aNode('n1', '192.0.2.11', '2001:db8::11')], 'n1')).to.deep.equal({ ok: true, value: '192.0.2.11' });
    expect(bindAddress([aNode('n1')], 'n1')).to.deep.equal({ ok: false, error: 'Node n1 has no address in status.addresses' });
    expect(bindAddress([], 'n1')).to.deep.equal({ ok: false, error: 'there is no Node named n1' });
  });

  it('heartbeats every other Node at its first address of the bind family, skipping Nodes without one', () => {
    const nodes = [aNode('n3', '2001:db8::13', '192.0.2.13'), aNode('n1', '192.0.2.11'), aNode('n2', '2001:db8::12'), aNode('n4')];
    expect([...heartbeatPeers(nodes, 'n1', 'ipv4', 7947)]).to.deep.equal([['n3', { host: '192.0.2.13', port: 7947 }]]);
    expect([...heartbeatPeers(nodes, 'n1', 'ipv6', 7000)]).to.deep.equal([['n2', { host: '2001:db8::12', port: 7000 }], ['n3', { host: '2001:db8::13', port: 7000 }]]);
  });
});

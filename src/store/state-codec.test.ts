// The state file's text: one Service per line, read line by line exactly as JSON.parse reads it.

import { expect } from 'chai';
import fc from 'fast-check';
import type { ServiceKey } from '../api/model.ts';
import type { Allocation } from '../controller/reconcile.ts';
import type { AllocationPlan, ServiceDecision } from '../ipam/plan.ts';
import type { IP } from '../net/ip.ts';
import { StateEncoder, decodeStateJson, decodeStateLines, noLines, type Decoded, type LineMemo } from './state-codec.ts';

const file = '/d/.barelb/state.json';
const key = (k: string): ServiceKey => k as ServiceKey;
const allocation = (ips: string[], pool = 'p'): Allocation => ({ ips: ips as IP[], pool });
const planWith = (pending: [string, string][] = [], pools: string[] = ['p']): AllocationPlan => ({
  services: pending.map(([k, message]): ServiceDecision => ({ state: 'pending', key: key(k), reason: 'pool-exhausted', message })),
  pools: pools.map((name) => ({ name, assignedIPv4: 1n, assignedIPv6: 0n, availableIPv4: 3n, availableIPv6: 0n })),
});

/** What a decode yields, in order. */
const shape = (d: Decoded) => ({ allocations: [...d.state.allocations], pending: [...d.state.pending] });

describe('state file text', () => {
  const allocations = new Map([[key('default/a'), allocation(['192.0.2.1'])], [key('default/b'), allocation(['192.0.2.2', '2001:db8::2'])]]);

  it('writes one Service per line, as JSON holding what it always held', () => {
    const text = new StateEncoder().encode(planWith([['default/c', 'no address left']]), allocations);
    expect(text.split('\n')).to.include('    "default/a": {"ips":["192.0.2.1"],"pool":"p"},');
    expect(JSON.parse(text)).to.deep.equal({
      version: 1,
      services: { 'default/a': { ips: ['192.0.2.1'], pool: 'p' }, 'default/b': { ips: ['192.0.2.2', '2001:db8::2'], pool: 'p' } },
      pending: { 'default/c': { reason: 'pool-exhausted', message: 'no address left' } },
      pools: { p: { assignedIPv4: '1', availableIPv4: '3', assignedIPv6: '0', availableIPv6: '0' } },
    });
    expect(JSON.parse(new StateEncoder().encode(planWith([], []), new Map()))).to.deep.equal({ version: 1, services: {}, pending: {}, pools: {} });
  });

  it('reads it line by line, reusing the allocation of an unchanged line', () => {
    const encoder = new StateEncoder();
    const first = decodeStateLines(file, encoder.encode(planWith(), allocations), new Map(), noLines);
    expect(first).to.not.equal(null);
    const grown = new Map([...allocations, [key('default/c'), allocation(['192.0.2.3'])]]);
    const second = decodeStateLines(file, encoder.encode(planWith(), grown), first?.decoded.state.allocations ?? new Map(), first?.lines ?? noLines);
    expect(second?.decoded.state.allocations.get(key('default/a'))).to.equal(first?.decoded.state.allocations.get(key('default/a')));
    expect(second?.decoded.state.allocations.get(key('default/c'))).to.deep.equal(allocation(['192.0.2.3']));
  });

  it('leaves other layouts (an older file) to JSON.parse', () => {
    const older = `${JSON.stringify({ version: 1, services: { 'default/a': { ips: ['192.0.2.1'], pool: 'p' } }, pending: {}, pools: {} }, null, 2)}\n`;
    expect(decodeStateLines(file, older, new Map(), noLines)).to.equal(null);
    expect(shape(decodeStateJson(file, older, new Map())).allocations).to.deep.equal([['default/a', allocation(['192.0.2.1'])]]);
  });

  it('reports a malformed entry by key, either way', () => {
    const text = new StateEncoder().encode(planWith(), new Map([[key('default/a'), allocation(['not-an-ip'])]]));
    expect(() => decodeStateLines(file, text, new Map(), noLines)).to.throw(`${file}: services["default/a"] is malformed`);
    expect(() => decodeStateJson(file, text, new Map())).to.throw(`${file}: services["default/a"] is malformed`);
  });

  const keyArb = fc.tuple(fc.constantFrom('default', 'ns-1', 'a"b', 'ü'), fc.constantFrom('a', 'b', 'c\\d', '1', 'x\ny')).map(([ns, name]) => key(`${ns}/${name}`));
  const stateArb = fc.record({
    services: fc.array(fc.tuple(keyArb, fc.subarray(['192.0.2.1', '192.0.2.2', '2001:db8::1']), fc.constantFrom('p', '7', 'q"')), { maxLength: 8 }),
    pending: fc.array(fc.tuple(keyArb, fc.string({ maxLength: 8 })), { maxLength: 3 }),
    pools: fc.subarray(['p', '7', '10', 'q"']),
  });
  type LineEdit = { readonly op: 'delete' | 'duplicate' | 'swap' | 'comma' | 'space' | 'junk' | 'number' | 'shadow'; readonly at: number };
  const editArb: fc.Arbitrary<LineEdit> = fc.record({ op: fc.constantFrom('delete', 'duplicate', 'swap', 'comma', 'space', 'junk', 'number', 'shadow'), at: fc.nat() });
  function edit(text: string, e: LineEdit): string {
    const lines = text.split('\n');
    const i = e.at % lines.length;
    const line = lines[i] ?? '';
    switch (e.op) {
      case 'delete': lines.splice(i, 1); break;
      case 'duplicate': lines.splice(i, 0, line); break;
      case 'swap': lines.splice(i, 2, lines[i + 1] ?? '', line); break;
      case 'comma': lines[i] = line.endsWith(',') ? line.slice(0, -1) : `${line},`; break;
      case 'space': lines[i] = `${line} `; break;
      case 'junk': lines[i] = `${line.slice(0, 12)}}, "x/y": {"ips":[],"pool":"p"}`; break;
      // JSON.parse puts keys that are integers first.
      case 'number': lines.splice(i, 0, '    "12": {"ips":[],"pool":"p"},'); break;
      // Of two members with one key, JSON.parse keeps the last: a broken first one is no error.
      case 'shadow': lines.splice(i, 0, `${line.slice(0, line.indexOf(': ') + 2)}{"ips":[1],"pool":"p"},`); break;
    }
    return lines.join('\n');
  }
  const tryDecode = <T>(f: () => T): T | string => {
    try {
      return f();
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  };

  /** A round's change to the state: most rounds change one Service, as the controller's do. */
  type Change = { readonly service: ServiceKey; readonly ips: string[]; readonly pool: string; readonly remove: boolean; readonly pending: boolean };
  const changeArb: fc.Arbitrary<Change> = fc.record({ service: keyArb, ips: fc.subarray(['192.0.2.1', '192.0.2.9', '2001:db8::1']), pool: fc.constantFrom('p', '7'), remove: fc.boolean(), pending: fc.boolean() });

  it('reads exactly what JSON.parse reads, for every text it accepts, round after round', () => {
    fc.assert(
      fc.property(stateArb, fc.array(fc.tuple(changeArb, fc.option(editArb, { freq: 3 })), { minLength: 1, maxLength: 8 }), (initial, rounds) => {
        const encoder = new StateEncoder();
        const services = new Map(initial.services.map(([k, ips, pool]) => [k, allocation(ips, pool)]));
        const pending = new Map(initial.pending);
        let entries: Decoded['state']['allocations'] = new Map();
        let memo: LineMemo = noLines;
        for (const [c, e] of rounds) {
          if (c.remove) services.delete(c.service);
          else services.set(c.service, allocation(c.ips, c.pool));
          if (c.pending) pending.set(c.service, 'waiting');
          let text = encoder.encode(planWith([...pending], initial.pools), services);
          if (e !== null) text = edit(text, e);
          const byLines = tryDecode(() => decodeStateLines(file, text, entries, memo));
          const byJson = tryDecode(() => decodeStateJson(file, text, new Map()));
          if (e === null) expect(byLines, text).to.not.equal(null);
          if (byLines === null) continue;
          if (typeof byLines === 'string') expect(byJson, text).to.equal(byLines);
          else {
            expect(typeof byJson === 'string' ? byJson : shape(byJson), text).to.deep.equal(shape(byLines.decoded));
            entries = byLines.decoded.state.allocations;
            memo = byLines.lines;
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

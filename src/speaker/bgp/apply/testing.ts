// Test builders: frr.conf text in MetalLB's structure (metallb-behaviour.md §7.3) for one node,
// so the applier's unit and e2e tests do not depend on the renderer; and a tiny model of how FRR
// applies a batch, for properties and fakes.
import { batchLines } from './batch.ts';
import { contextKey } from './frr-config.ts';
import type { FrrConfig } from './frr-config.ts';
import { contextKind, describeLine } from './line-rules.ts';
import { readConfig } from './normalise.ts';

export interface FixturePeer {
  readonly address: string;
  readonly asn: number;
  readonly password?: string;
  readonly bfdProfile?: string;
  readonly multihop?: boolean;
  /** `[keepalive, hold]` in seconds. */
  readonly timers?: readonly [number, number];
  readonly connectTime?: number;
}

export interface FixtureAd {
  /** IPv4 prefix, e.g. `203.0.113.10/32`. */
  readonly prefix: string;
  readonly communities?: readonly string[];
  readonly localPref?: number;
  /** Peer addresses it goes to; default: every peer. */
  readonly peers?: readonly string[];
}

export interface FixtureOptions {
  readonly asn?: number;
  readonly routerId?: string;
  readonly hostname?: string;
  readonly peers: readonly FixturePeer[];
  readonly ads?: readonly FixtureAd[];
  readonly bfdProfiles?: readonly { readonly name: string; readonly lines: readonly string[] }[];
}

/** A whole frr.conf in MetalLB's structure: policy per peer, then `router bgp`, then `bfd`. */
export function metallbConfig(o: FixtureOptions): string {
  const ads = o.ads ?? [];
  const out = ['frr defaults traditional', 'log stdout informational', 'log timestamp precision 3',
    `hostname ${o.hostname ?? 'node1'}`, 'ip nht resolve-via-default', 'ipv6 nht resolve-via-default'];
  for (const peer of o.peers) out.push(...peerPolicy(peer.address, ads.filter((a) => a.peers?.includes(peer.address) ?? true)));
  out.push(...router(o, ads), '');
  if ((o.bfdProfiles ?? []).length > 0) {
    out.push('bfd');
    for (const p of o.bfdProfiles ?? []) out.push(`  profile ${p.name}`, ...p.lines.map((l) => `    ${l}`));
  }
  return `${out.join('\n')}\n`;
}

function peerPolicy(id: string, ads: readonly FixtureAd[]): string[] {
  const out = [`route-map ${id}-in deny 20`];
  const groups = new Map<string, { set: string; prefixes: string[] }>();
  for (const ad of ads) {
    if (ad.localPref !== undefined) group(groups, `${id}-${ad.localPref}-ipv4-localpref-prefixes`, `set local-preference ${ad.localPref}`, ad.prefix);
  }
  const localPrefNames = [...groups.keys()].sort();
  for (const ad of ads) {
    for (const c of ad.communities ?? []) {
      const large = c.split(':').length === 3;
      group(groups, `${id}-${large ? 'large:' : ''}${c}-ipv4-community-prefixes`, `set ${large ? 'large-community' : 'community'} ${c} additive`, ad.prefix);
    }
  }
  const names = [...localPrefNames, ...[...groups.keys()].filter((n) => !localPrefNames.includes(n)).sort()];
  let seq = 0;
  for (const name of names) {
    const g = groups.get(name);
    if (g === undefined) continue;
    out.push(...g.prefixes.map((p, i) => `ip prefix-list ${name} seq ${i + 1} permit ${p}`));
    seq += 1;
    out.push(`route-map ${id}-out permit ${seq}`, `  match ip address prefix-list ${name}`, `  ${g.set}`, '  on-match next');
  }
  out.push(...(ads.length === 0 ? [`ip prefix-list ${id}-allowed-ipv4 seq 1 deny any`] : ads.map((a, i) => `ip prefix-list ${id}-allowed-ipv4 seq ${i + 1} permit ${a.prefix}`)));
  out.push(`ipv6 prefix-list ${id}-allowed-ipv6 seq 1 deny any`);
  out.push(`route-map ${id}-out permit ${seq + 1}`, `  match ip address prefix-list ${id}-allowed-ipv4`);
  out.push(`route-map ${id}-out permit ${seq + 2}`, `  match ipv6 address prefix-list ${id}-allowed-ipv6`, '');
  return out;
}

function group(groups: Map<string, { set: string; prefixes: string[] }>, name: string, set: string, prefix: string): void {
  const g = groups.get(name) ?? { set, prefixes: [] };
  g.prefixes.push(prefix); // callers pass each ad's prefix once
  groups.set(name, g);
}

function router(o: FixtureOptions, ads: readonly FixtureAd[]): string[] {
  const out = [`router bgp ${o.asn ?? 64512}`, '  no bgp ebgp-requires-policy', '  no bgp network import-check',
    '  no bgp default ipv4-unicast', '  bgp graceful-restart preserve-fw-state'];
  if (o.routerId !== undefined) out.push(`  bgp router-id ${o.routerId}`);
  for (const p of o.peers) {
    const n = `  neighbor ${p.address}`;
    out.push(`${n} remote-as ${p.asn}`);
    if (p.multihop === true) out.push(`${n} ebgp-multihop`);
    out.push(`${n} port 179`);
    if (p.timers !== undefined) out.push(`${n} timers ${p.timers[0]} ${p.timers[1]}`);
    if (p.connectTime !== undefined) out.push(`${n} timers connect ${p.connectTime}`);
    if (p.password !== undefined) out.push(`${n} password ${p.password}`);
    if (p.bfdProfile !== undefined) out.push(`${n} bfd`, `${n} bfd profile ${p.bfdProfile}`);
  }
  for (const p of o.peers) {
    out.push('  address-family ipv4 unicast', `    neighbor ${p.address} activate`,
      `    neighbor ${p.address} route-map ${p.address}-in in`, `    neighbor ${p.address} route-map ${p.address}-out out`, '  exit-address-family');
  }
  const prefixes = [...new Set(ads.map((a) => a.prefix))].sort();
  if (prefixes.length > 0) out.push('  address-family ipv4 unicast', ...prefixes.map((p) => `    network ${p}`), '  exit-address-family');
  return out;
}

/**
 * Distinct IPv4 prefixes inside the documentation ranges 198.51.100.0/24 and 203.0.113.0/24 (RFC
 * 5737): every /32 first, then every /31, … up to the two /24s; 1,022 in all. Item `offset` onward.
 */
export function docPrefixes(count: number, offset = 0): string[] {
  const all: string[] = [];
  for (let len = 32; len >= 24; len -= 1) {
    for (const base of ['198.51.100', '203.0.113']) {
      for (let host = 0; host < 256; host += 2 ** (32 - len)) all.push(`${base}.${host}/${len}`);
    }
  }
  if (offset + count > all.length) throw new Error(`docPrefixes: only ${all.length} prefixes exist`);
  return all.slice(offset, offset + count);
}

/**
 * A tiny model of FRR applying `vtysh -f` lines to a config: lines sharing a slot overwrite each
 * other, `no X` deletes X, `no neighbor P` and `no <context>` delete everything under them.
 */
export function applyLines(start: FrrConfig, lines: readonly string[]): FrrConfig {
  const globals = [...start.globals];
  const contexts = new Map([...start.contexts].map(([k, c]) => [k, { path: c.path, lines: [...c.lines] }]));
  let path: string[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    const depth = raw.length - raw.trimStart().length;
    if (line === 'exit' || line === 'exit-address-family') { path = path.slice(0, -1); continue; }
    if (depth === path.length && isContextLine(path, line)) {
      path = [...path, line];
      if (!contexts.has(contextKey(path))) contexts.set(contextKey(path), { path, lines: [] });
      continue;
    }
    const target = path.length === 0 ? globals : contexts.get(contextKey(path))?.lines;
    if (target === undefined) throw new Error(`no context ${path.join(' > ')}`);
    run(contexts, target, path, line);
  }
  return readConfig(printModel({ globals, contexts }));
}

function isContextLine(path: readonly string[], line: string): boolean {
  if (path.length === 0) return /^(router bgp|route-map|bfd$)/.test(line);
  return /^(address-family|profile) /.test(line);
}

function run(contexts: Map<string, { path: readonly string[]; lines: string[] }>, target: string[], path: readonly string[], line: string): void {
  const noContext = /^no ((router bgp|route-map|profile) .*)$/.exec(line);
  if (noContext?.[1] !== undefined) {
    const key = contextKey([...path, noContext[1]]);
    for (const k of [...contexts.keys()]) if (k === key || k.startsWith(`${key}\n`)) contexts.delete(k);
    return;
  }
  const noNeighbor = /^no neighbor (\S+)$/.exec(line);
  if (noNeighbor !== null) {
    for (const [k, c] of contexts) if (k.startsWith(path[0] ?? '')) c.lines = c.lines.filter((l) => !l.startsWith(`neighbor ${noNeighbor[1] ?? ''} `));
    return;
  }
  const kind = contextKind(path.length === 0 ? undefined : { path });
  const index = line.startsWith('no ') ? target.indexOf(line.slice(3)) : -1;
  if (index >= 0) {
    target.splice(index, 1);
    return;
  }
  // `no X` for an absent X deletes nothing, except a `no bgp …` toggle, which is a setting.
  if (line.startsWith('no ') && !line.startsWith('no bgp ')) return;
  const slot = describeLine(kind, line).slot;
  const kept = target.filter((l) => describeLine(kind, l).slot !== slot);
  target.splice(0, target.length, ...kept, line);
}

function printModel(m: { globals: readonly string[]; contexts: ReadonlyMap<string, { path: readonly string[]; lines: readonly string[] }> }): string {
  const steps = [...m.contexts.values()].map((c) => ({ path: c.path, commands: c.lines, create: true }));
  return [...m.globals, ...batchLines(steps)].join('\n');
}


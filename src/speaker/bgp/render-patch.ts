// Rendering a node again after some of its Service IPs changed: the previous frr.conf with only the
// `network` lines of the changed prefixes added, removed or re-tagged, as long as no outbound
// policy appears or disappears (then route-maps change too: a whole render). The lines are the
// template's own: it is rendered once with a marker in place of each address family's networks,
// and a network line is the marker line with the markers replaced. Same bytes as a whole render.

import type { Cidr } from '../../net/cidr.ts';
import type { Family } from '../../net/ip.ts';
import { comparePrefix } from './advertisements.ts';
import type { IPAnnouncement } from './announce.ts';
import { goesTo, mergeAdvertisement, type FrrAdvertisement, type FrrNeighbor } from './frr-model.ts';
import { policyTag, signatureOf, type PolicyMember } from './policy.ts';
import type { RenderParts } from './render.ts';
import { frrTemplate } from './templates.ts';
import { identityDiff } from '../../core/identity-diff.ts';
import { sortedSearch } from '../../core/sorted-search.ts';
import { tagRouteMap, type FrrView } from './view-model.ts';

/** One address family block of one router: its networks in order, their printed lines, and those joined (null: to join again). */
type Block = { readonly networks: Cidr[]; readonly lines: string[]; text: string | null };

type Router = {
  readonly neighbors: readonly FrrNeighbor[];
  /** The prefix and tag of each network the router originates, by prefix text. */
  readonly tagOf: Map<string, { readonly prefix: Cidr; readonly tag: number }>;
  /** Prefixes per tag: a policy exists while its count is above zero. */
  readonly counts: Map<number, number>;
  readonly signatures: ReadonlyMap<number, string>;
  readonly blocks: ReadonlyMap<Family, Block>;
};

const prefixMark = (i: number): string => `\u0000P${i}\u0000`;
const routeMapMark = '\u0000R\u0000';

/** Where prefix `p` is, or goes, in a sorted list. */
const search = (list: readonly Cidr[], p: Cidr) => sortedSearch(list, (c) => comparePrefix(c, p));

export class RenderPatcher {
  readonly #segments: readonly string[];
  readonly #blocks: readonly Block[];
  readonly #routers: readonly Router[];
  readonly #line: (prefix: string, routeMap: string) => string;

  private constructor(segments: readonly string[], blocks: readonly Block[], routers: readonly Router[], line: (prefix: string, routeMap: string) => string) {
    this.#segments = segments;
    this.#blocks = blocks;
    this.#routers = routers;
    this.#line = line;
  }

  /** The patcher for a whole render, or null when its text cannot be rebuilt from markers. */
  static from(parts: RenderParts): RenderPatcher | null {
    let k = 0;
    const marked: FrrView = {
      ...parts.view,
      routers: parts.view.routers.map((r) => ({ ...r, addressFamilies: r.addressFamilies.map((af) => ({ ...af, networks: [{ prefix: prefixMark(k++), routeMap: routeMapMark }] })) })),
    };
    const skeleton = frrTemplate()(marked);
    const segments: string[] = [];
    let lineShape: readonly [string, string, string] | null = null;
    let from = 0;
    for (let i = 0; i < k; i += 1) {
      const at = skeleton.indexOf(prefixMark(i), from);
      const start = skeleton.lastIndexOf('\n', at) + 1;
      const end = skeleton.indexOf('\n', at) + 1;
      if (at < 0 || end <= 0) return null;
      const [head, rest] = skeleton.slice(start, end).split(prefixMark(i));
      const [middle, tail, extra] = (rest ?? '').split(routeMapMark);
      const shape = [head ?? '', middle ?? '', tail ?? ''] as const;
      if (extra !== undefined || tail === undefined || (lineShape !== null && shape.join('\u0000') !== lineShape.join('\u0000'))) return null;
      lineShape = shape;
      segments.push(skeleton.slice(from, start));
      from = end;
    }
    segments.push(skeleton.slice(from));
    const [head, middle, tail] = lineShape ?? ['', '', ''];
    const line = (prefix: string, routeMap: string): string => `${head}${prefix}${middle}${routeMap}${tail}`;
    const blocks: Block[] = [];
    const routers = parts.model.routers.map((router, i): Router => {
      const policy = parts.policies[i] ?? { networks: [], policies: [] };
      const counts = new Map<number, number>();
      for (const n of policy.networks) counts.set(n.tag, (counts.get(n.tag) ?? 0) + 1);
      const byFamily = new Map<Family, Block>();
      for (const af of parts.view.routers[i]?.addressFamilies ?? []) {
        const networks = policy.networks.filter((n) => n.prefix.family === af.afi);
        const block: Block = { networks: networks.map((n) => n.prefix), lines: networks.map((n) => line(n.prefix.text, tagRouteMap(n.tag))), text: null };
        byFamily.set(af.afi, block);
        blocks.push(block);
      }
      return {
        neighbors: router.neighbors,
        tagOf: new Map(policy.networks.map((n) => [n.prefix.text, n])),
        counts,
        signatures: new Map(policy.policies.map((p) => [p.tag, signatureOf(p.members)])),
        blocks: byFamily,
      };
    });
    const patcher = new RenderPatcher(segments, blocks, routers, line);
    // The markers must give back exactly the whole render; otherwise never patch.
    return patcher.#text() === parts.text ? patcher : null;
  }

  /**
   * The text after the node's IPs went from `before` to `after` (the same config, sessions and
   * options), or null when a whole render is needed. After null the patcher is spent.
   */
  patch(before: readonly IPAnnouncement[], after: readonly IPAnnouncement[]): string | null {
    const { removed, added } = identityDiff(before, after);
    if (removed.length + added.length > Math.max(64, after.length / 8)) return null;
    const prefixes = new Set<string>();
    for (const e of [...removed, ...added]) if (e.announced) for (const ad of e.advertisements) prefixes.add(ad.prefix.text);
    if (prefixes.size === 0) return this.#text();
    // The announced entries with an advertisement of a changed prefix (a prefix can have several: shared IPs, aggregation).
    const byPrefix = new Map<string, IPAnnouncement[]>();
    for (const e of after) {
      if (!e.announced) continue;
      for (const ad of e.advertisements) {
        if (!prefixes.has(ad.prefix.text)) continue;
        const list = byPrefix.get(ad.prefix.text);
        if (list === undefined) byPrefix.set(ad.prefix.text, [e]);
        else if (!list.includes(e)) list.push(e);
      }
    }
    for (const router of this.#routers) {
      for (const p of prefixes) if (!this.#repatch(router, p, byPrefix.get(p) ?? [])) return null;
    }
    return this.#text();
  }

  /** Puts prefix `text` (advertised by `entries`) in the router's blocks as a whole render would; false when policies change. */
  #repatch(router: Router, text: string, entries: readonly IPAnnouncement[]): boolean {
    const members: PolicyMember[] = [];
    let prefix: Cidr | null = null;
    for (const n of router.neighbors) {
      let merged: FrrAdvertisement | undefined;
      for (const e of entries) {
        if (!e.announced) continue;
        for (const ad of e.advertisements) if (ad.prefix.text === text && goesTo(ad, n.peer, n.families)) merged = mergeAdvertisement(merged, ad);
      }
      if (merged === undefined) continue;
      prefix = merged.prefix;
      members.push({ neighborId: n.id, localPref: merged.localPref, communities: merged.communities });
    }
    const signature = members.length === 0 ? null : signatureOf(members);
    const tag = signature === null ? null : policyTag(signature);
    if (tag !== null && router.signatures.get(tag) !== signature) return false; // a new policy (or a tag collision)
    const old = router.tagOf.get(text) ?? null;
    if (tag === (old?.tag ?? null)) return true;
    // The prefix leaves its policy: it must not be the policy's last.
    if (old !== null && (router.counts.get(old.tag) ?? 0) <= 1) return false;
    const block = router.blocks.get((prefix ?? old?.prefix)?.family ?? 'ipv4');
    if (block === undefined) return false;
    if (old !== null) {
      const { at, found } = search(block.networks, old.prefix);
      if (!found) return false;
      block.networks.splice(at, 1);
      block.lines.splice(at, 1);
      block.text = null;
      router.counts.set(old.tag, (router.counts.get(old.tag) ?? 1) - 1);
      router.tagOf.delete(text);
    }
    if (tag !== null && prefix !== null) {
      const { at, found } = search(block.networks, prefix);
      if (found) return false;
      block.networks.splice(at, 0, prefix);
      block.lines.splice(at, 0, this.#line(text, tagRouteMap(tag)));
      block.text = null;
      router.counts.set(tag, (router.counts.get(tag) ?? 0) + 1);
      router.tagOf.set(text, { prefix, tag });
    }
    return true;
  }

  #text(): string {
    let out = this.#segments[0] ?? '';
    for (const [i, block] of this.#blocks.entries()) {
      block.text ??= block.lines.join('');
      out += block.text + (this.#segments[i + 1] ?? '');
    }
    return out;
  }
}

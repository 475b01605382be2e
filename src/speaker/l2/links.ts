// The open raw links, one per eligible interface: opened and closed as scans find interfaces come
// and go, and their solicited-node multicast memberships (RFC 4861 §7.2.1) ref-counted per group.

import { ipFamily, type IPv6 } from '../../net/ip.ts';
import { macBytes, macFromBytes, type Mac } from './codec/bytes.ts';
import { multicastMac, solicitedNodeAddress } from './codec/ipv6.ts';
import { interfaceAllowed } from './interfaces.ts';
import type { InterfaceInfo } from './link-scan.ts';
import type { RawLink } from './ports.ts';
import type { LinkView, OwnedAddresses } from './responder.ts';

export type OpenLink = (ifname: string, onError: (error: Error) => void) => RawLink;

export type OpenedLink = {
  readonly raw: RawLink;
  /** Updated by every scan (a link-local address can appear after the link). */
  view: LinkView;
  /** Solicited-node group MAC -> how many owned addresses need it. */
  readonly groups: Map<Mac, number>;
};

export type LinkEvents = {
  readonly onFrame: (link: OpenedLink, frame: Uint8Array) => void;
  readonly onError: (ifname: string, error: Error) => void;
};

export type ReconcileResult = {
  readonly opened: readonly string[];
  readonly closed: readonly string[];
  readonly failed: readonly { readonly ifname: string; readonly error: string }[];
};

export class LinkSet {
  readonly #open: OpenLink;
  readonly #events: LinkEvents;
  readonly #links = new Map<string, OpenedLink>();

  constructor(open: OpenLink, events: LinkEvents) {
    this.#open = open;
    this.#events = events;
  }

  links(): readonly OpenedLink[] {
    return [...this.#links.values()];
  }

  /** Every MAC of this node's open links: frames from them are ours, never duplicates. */
  localMacs(): ReadonlySet<Mac> {
    return new Set([...this.#links.values()].map((l) => l.view.mac));
  }

  /** Opens links for new interfaces, closes those gone (or re-created with another index). */
  reconcile(eligible: readonly InterfaceInfo[]): ReconcileResult {
    const wanted = new Map(eligible.map((i) => [i.ifname, i]));
    const closed: string[] = [];
    for (const [ifname, link] of this.#links) {
      const info = wanted.get(ifname);
      if (info !== undefined && info.ifindex === link.raw.ifindex) continue;
      this.#close(ifname, link);
      closed.push(ifname);
    }
    const opened: string[] = [];
    const failed: { ifname: string; error: string }[] = [];
    for (const info of eligible) {
      const held = this.#links.get(info.ifname);
      if (held !== undefined) {
        // The MAC can change under an open socket (ip link set address): answer with the new one.
        held.view = { ...held.view, mac: info.mac ?? held.view.mac, linkLocal: info.linkLocal };
        continue;
      }
      try {
        this.#links.set(info.ifname, this.#openOne(info));
        opened.push(info.ifname);
      } catch (e) {
        failed.push({ ifname: info.ifname, error: e instanceof Error ? e.message : String(e) });
      }
    }
    return { opened, closed, failed };
  }

  /** Joins and leaves solicited-node groups so each link is in exactly those its owned IPv6 addresses need. */
  setGroups(owned: OwnedAddresses): void {
    for (const link of this.#links.values()) {
      const want = new Map<Mac, number>();
      for (const [ip, filter] of owned) {
        if (ipFamily(ip) !== 'ipv6' || !interfaceAllowed(filter, link.view.ifname)) continue;
        const group = multicastMac(solicitedNodeAddress(ip as IPv6));
        want.set(group, (want.get(group) ?? 0) + 1);
      }
      for (const [group, count] of want) {
        if (!link.groups.has(group)) this.#membership(link, group, 'join');
        link.groups.set(group, count);
      }
      for (const group of [...link.groups.keys()]) {
        if (want.has(group)) continue;
        this.#membership(link, group, 'leave');
        link.groups.delete(group);
      }
    }
  }

  closeAll(): void {
    for (const [ifname, link] of this.#links) this.#close(ifname, link);
  }

  #openOne(info: InterfaceInfo): OpenedLink {
    const raw = this.#open(info.ifname, (e) => this.#events.onError(info.ifname, e));
    const view: LinkView = { ifname: info.ifname, mac: info.mac ?? macFromBytes(raw.mac), linkLocal: info.linkLocal };
    const link: OpenedLink = { raw, view, groups: new Map() };
    raw.onFrame((frame) => this.#events.onFrame(link, frame));
    return link;
  }

  #membership(link: OpenedLink, group: Mac, op: 'join' | 'leave'): void {
    try {
      if (op === 'join') link.raw.joinMulticast(macBytes(group));
      else link.raw.leaveMulticast(macBytes(group));
    } catch (e) {
      this.#events.onError(link.view.ifname, e instanceof Error ? e : new Error(String(e)));
    }
  }

  #close(ifname: string, link: OpenedLink): void {
    this.#links.delete(ifname);
    try {
      link.raw.close();
    } catch (e) {
      this.#events.onError(ifname, e instanceof Error ? e : new Error(String(e)));
    }
  }
}

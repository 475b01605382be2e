// Who uses each allocated address, and the sharing rules (MetalLB §4.6): two Services may share
// an IP iff both carry the same non-empty sharing key, the same backend key, and no common
// (protocol, port). Sharers are indexed by (sharingKey, backendKey) so packing never scans the pool.

import type { ServiceInput, ServiceKey, ServicePort } from '../api/model.ts';
import type { Family, IP } from '../net/ip.ts';
import type { CidrSpace } from './free-space.ts';
import { reject, type Rejection } from './reasons.ts';

/** The fields of a Service that sharing decisions read. */
export type Sharer = Pick<ServiceInput, 'key' | 'sharingKey' | 'backendKey' | 'ports'>;

type IPUse = {
  readonly family: Family;
  readonly value: bigint;
  /** All users of one IP share these (checked on every add). */
  readonly sharingKey: string;
  readonly backendKey: string;
  /**
   * Who uses the IP, with their ports. A list, not maps: nearly every IP has one user, and two maps
   * per IP were ~2.5 MB of the controller's heap at 10 000 Services; sharers are few per IP.
   */
  readonly users: { readonly key: ServiceKey; readonly ports: readonly ServicePort[] }[];
};

const portId = (p: ServicePort): string => `${p.protocol}/${p.port}`;
const groupOf = (sharingKey: string, backendKey: string): string => `${sharingKey}\u0000${backendKey}`;

export class SharingIndex {
  readonly #uses = new Map<IP, IPUse>();
  /** Non-empty sharing key + backend key -> the IPs its Services hold. */
  readonly #groups = new Map<string, Map<IP, IPUse>>();

  /** How many Services use the IP. */
  userCount(ip: IP): number {
    return this.#uses.get(ip)?.users.length ?? 0;
  }

  /** Users of the IP, sorted. */
  usersOf(ip: IP): readonly ServiceKey[] {
    return (this.#uses.get(ip)?.users ?? []).map((u) => u.key).sort();
  }

  /** null when the Service may use the IP; else why not. */
  check(ip: IP, svc: Sharer): Rejection | null {
    const use = this.#uses.get(ip);
    if (use === undefined) return null;
    const others = use.users.filter((u) => u.key !== svc.key);
    if (others.length === 0) return null;
    const held = `${ip} is held by ${others.map((u) => u.key).sort().join(', ')}`;
    const mine = svc.sharingKey ?? '';
    if (mine === '') return reject('ip-in-use', `${held} and this Service has no allow-shared-ip key`);
    if (use.sharingKey === '') return reject('sharing-conflict', `${held}, which does not allow sharing`);
    if (use.sharingKey !== mine) {
      return reject('sharing-conflict', `${held} with sharing key "${use.sharingKey}", not "${mine}"`);
    }
    if (use.backendKey !== svc.backendKey) {
      return reject('sharing-conflict', `${held} with backend "${use.backendKey}", not "${svc.backendKey}" (externalTrafficPolicy/selector differ)`);
    }
    const taken = new Set(others.flatMap((u) => u.ports.map(portId)));
    const clashes = svc.ports.filter((p) => taken.has(portId(p)));
    if (clashes.length > 0) {
      return reject('sharing-conflict', `${held}, which already serves ${clashes.map(portId).join(', ')}`);
    }
    return null;
  }

  /** Records the Service as a user. Precondition: check(ip, svc) === null. */
  add(ip: IP, family: Family, value: bigint, svc: Sharer): void {
    const user = { key: svc.key, ports: svc.ports };
    const use = this.#uses.get(ip);
    if (use !== undefined) {
      const at = use.users.findIndex((u) => u.key === svc.key);
      if (at >= 0) use.users[at] = user;
      else use.users.push(user);
      return;
    }
    // The list made with its first user: a [] grown by push reserves room for 17.
    const fresh: IPUse = { family, value, sharingKey: svc.sharingKey ?? '', backendKey: svc.backendKey, users: [user] };
    this.#uses.set(ip, fresh);
    if (fresh.sharingKey !== '') {
      const group = groupOf(fresh.sharingKey, fresh.backendKey);
      const members = this.#groups.get(group) ?? new Map<IP, IPUse>();
      members.set(ip, fresh);
      this.#groups.set(group, members);
    }
  }

  /** Removes the user; returns true when the IP has no user left. */
  remove(ip: IP, key: ServiceKey): boolean {
    const use = this.#uses.get(ip);
    if (use === undefined) return true;
    const at = use.users.findIndex((u) => u.key === key);
    if (at >= 0) use.users.splice(at, 1);
    if (use.users.length > 0) return false;
    this.#uses.delete(ip);
    const group = groupOf(use.sharingKey, use.backendKey);
    const members = this.#groups.get(group);
    members?.delete(ip);
    if (members?.size === 0) this.#groups.delete(group);
    return true;
  }

  /**
   * The lowest address of the space already used by Services this one may join, or null.
   * Cost: the number of IPs held by the Service's sharing group, not the pool size.
   */
  lowestSharedIn(space: CidrSpace, svc: Sharer): bigint | null {
    const mine = svc.sharingKey ?? '';
    if (mine === '') return null;
    const members = this.#groups.get(groupOf(mine, svc.backendKey));
    if (members === undefined) return null;
    let best: bigint | null = null;
    for (const [ip, use] of members) {
      if (use.family !== space.family || !space.allows(use.value)) continue;
      if ((best === null || use.value < best) && this.check(ip, svc) === null) best = use.value;
    }
    return best;
  }
}

// Free space of one CIDR: which addresses are in use and which is the lowest free one, in
// O(log n) amortised per operation, without ever enumerating the prefix (an IPv6 /48 is fine).

import { cidrLast, cidrSize, type Cidr } from '../net/cidr.ts';
import type { Family } from '../net/ip.ts';

/** An IPv4 address ending in .0 or .255, which some old clients mishandle (avoidBuggyIPs). */
export const isBuggy = (family: Family, value: bigint): boolean =>
  family === 'ipv4' && ((value & 0xffn) === 0n || (value & 0xffn) === 0xffn);

/** Usable addresses of a CIDR, as MetalLB's poolCount computes them (IPv4 .0/.255 only). */
export function cidrCapacity(cidr: Cidr, avoidBuggyIPs: boolean): bigint {
  const size = cidrSize(cidr);
  if (!avoidBuggyIPs || cidr.family !== 'ipv4') return size;
  if (cidr.prefixLen <= 24) return size - 2n * (size / 256n);
  // A prefix longer than /24 lies inside one /24: only its first can be .0, only its last .255.
  let usable = size;
  if ((cidr.base & 0xffn) === 0n) usable -= 1n;
  if ((cidrLast(cidr) & 0xffn) === 0xffn) usable -= 1n;
  return usable;
}

/** A binary min-heap of bigints. */
export class MinHeap {
  readonly #items: bigint[] = [];

  get size(): number {
    return this.#items.length;
  }

  peek(): bigint | undefined {
    return this.#items[0];
  }

  push(value: bigint): void {
    const items = this.#items;
    items.push(value);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as bigint;
      if (p <= value) break;
      items[i] = p;
      i = parent;
    }
    items[i] = value;
  }

  pop(): bigint | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && (items[right] as bigint) < (items[left] as bigint) ? right : left;
      const c = items[child] as bigint;
      if (c >= last) break;
      items[i] = c;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

/**
 * Used and free addresses of one CIDR of a pool.
 * Invariant: every usable address below `#mark` is either in `#used` or in `#freed`
 * (`#freed` may also hold stale entries that were taken again; they are dropped lazily).
 * Addresses at or above the mark are free unless in `#used` (explicit claims above the mark).
 */
export class CidrSpace {
  readonly cidr: Cidr;
  /** First address of the CIDR. */
  readonly base: bigint;
  readonly last: bigint;
  readonly avoidBuggyIPs: boolean;
  #mark: bigint;
  readonly #freed = new MinHeap();
  readonly #used = new Set<bigint>();

  constructor(cidr: Cidr, avoidBuggyIPs: boolean) {
    this.cidr = cidr;
    this.base = cidr.base;
    this.last = cidrLast(cidr);
    this.avoidBuggyIPs = avoidBuggyIPs;
    this.#mark = cidr.base;
  }

  get family(): Family {
    return this.cidr.family;
  }

  /** Distinct addresses in use. */
  get usedCount(): number {
    return this.#used.size;
  }

  /** Whether the value lies in this CIDR and is not an avoided .0/.255 address. */
  allows(value: bigint): boolean {
    return value >= this.base && value <= this.last && !this.#avoided(value);
  }

  isUsed(value: bigint): boolean {
    return this.#used.has(value);
  }

  /** The lowest usable address not in use, or null when the CIDR is full. Amortised O(log n). */
  lowestFree(): bigint | null {
    for (let top = this.#freed.peek(); top !== undefined && this.#used.has(top); top = this.#freed.peek()) {
      this.#freed.pop();
    }
    const top = this.#freed.peek();
    if (top !== undefined) return top;
    // The mark only moves forward, so each used or avoided address is stepped over once.
    while (this.#mark <= this.last && (this.#avoided(this.#mark) || this.#used.has(this.#mark))) this.#mark += 1n;
    return this.#mark <= this.last ? this.#mark : null;
  }

  /** Marks an address used. Precondition: allows(value). Taking a used address is a no-op. */
  take(value: bigint): void {
    this.#used.add(value);
  }

  /** Returns an address to the free space. Freeing a free address is a no-op. */
  free(value: bigint): void {
    if (!this.#used.delete(value)) return;
    if (value < this.#mark) this.#freed.push(value);
  }

  #avoided(value: bigint): boolean {
    return this.avoidBuggyIPs && isBuggy(this.cidr.family, value);
  }
}

// Baseline for the allocator bench: MetalLB's way of finding a free address
// (internal/allocator getFreeIPsFromPool), walking the pool from its first address and
// testing each one against the in-use set, so each allocation costs O(addresses in use).
// Plain numbers and a Set keep it as fast as that algorithm can be in JavaScript.

export class LinearScanAllocator {
  readonly #first: number;
  readonly #size: number;
  readonly #used = new Set<number>();

  constructor(first: number, prefixLen: number) {
    this.#first = first;
    this.#size = 2 ** (32 - prefixLen);
  }

  /** The lowest free address, or null when the pool is full. */
  allocate(): number | null {
    for (let i = 0; i < this.#size; i++) {
      const ip = this.#first + i;
      if (!this.#used.has(ip)) {
        this.#used.add(ip);
        return ip;
      }
    }
    return null;
  }
}

// The router's bgpd log as a stream of UPDATEs: with `debug bgp updates in`, bgpd logs every
// prefix it receives or sees withdrawn, one line each. The benchmark follows the log file (inotify
// plus a 5 ms poll as a safety net) and notes when each line arrived, so "the prefix is in the
// router's table" is known within a few ms without running vtysh in a loop.

import { closeSync, openSync, readSync, watch, type FSWatcher } from 'node:fs';

export type UpdateKind = 'announced' | 'withdrawn';

export type SeenUpdate = { readonly kind: UpdateKind; readonly peer: string; readonly prefix: string; readonly at: number };

type Waiter = { readonly match: (u: SeenUpdate) => boolean; readonly resolve: (u: SeenUpdate) => void };

// FRR 10.3: "… 2001:db8::11(node-1) rcvd UPDATE about 2001:db8:100::5/128 IPv6 unicast -- withdrawn"
// and "… 2001:db8::11(node-1) rcvd 2001:db8:100::5/128 IPv6 unicast" for an announcement.
const WITHDRAWN = /\s(\S+?)(?:\([^)]*\))? rcvd UPDATE about (\S+) IPv[46] unicast -- withdrawn/;
const ANNOUNCED = /\s(\S+?)(?:\([^)]*\))? rcvd (\S+\/\d+) IPv[46] unicast/;

export function parseUpdateLine(line: string, at: number): SeenUpdate | null {
  const w = WITHDRAWN.exec(line);
  if (w !== null) return { kind: 'withdrawn', peer: w[1] ?? '', prefix: w[2] ?? '', at };
  const a = ANNOUNCED.exec(line);
  if (a !== null) return { kind: 'announced', peer: a[1] ?? '', prefix: a[2] ?? '', at };
  return null;
}

export class RouterLog {
  readonly #fd: number;
  readonly #watcher: FSWatcher;
  readonly #timer: NodeJS.Timeout;
  readonly #buffer = Buffer.alloc(1 << 20);
  #offset: number;
  #partial = '';
  #waiters: Waiter[] = [];
  /** The first update per `kind peer prefix` since the last reset, so a wait that starts late still finds it. */
  readonly #last = new Map<string, SeenUpdate>();

  /** Follows `path` from its current end. */
  constructor(path: string) {
    this.#fd = openSync(path, 'r');
    this.#offset = 0;
    // Skip what is there already: only updates after this point count.
    for (;;) {
      const n = readSync(this.#fd, this.#buffer, 0, this.#buffer.length, this.#offset);
      if (n === 0) break;
      this.#offset += n;
    }
    this.#watcher = watch(path, () => this.#drain());
    this.#timer = setInterval(() => this.#drain(), 5);
  }

  /** Forgets every update seen so far (call before a trial that may repeat a prefix). */
  reset(): void {
    this.#drain();
    this.#last.clear();
  }

  /**
   * Resolves with the first update of `kind` from `peer` (for `prefix`, or any prefix when null)
   * seen since the last reset; rejects after `timeoutMs`.
   */
  waitFor(kind: UpdateKind, peer: string, prefix: string | null, timeoutMs: number): Promise<SeenUpdate> {
    this.#drain();
    const match = (u: SeenUpdate): boolean => u.kind === kind && u.peer === peer && (prefix === null || u.prefix === prefix);
    const seen = [...this.#last.values()].filter(match).sort((a, b) => a.at - b.at)[0];
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(new Error(`the router did not see ${prefix ?? 'a prefix'} ${kind} by ${peer} within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: Waiter = {
        match,
        resolve: (u) => {
          clearTimeout(timer);
          resolve(u);
        },
      };
      this.#waiters.push(waiter);
    });
  }

  close(): void {
    clearInterval(this.#timer);
    this.#watcher.close();
    closeSync(this.#fd);
  }

  #drain(): void {
    for (;;) {
      const n = readSync(this.#fd, this.#buffer, 0, this.#buffer.length, this.#offset);
      if (n === 0) return;
      const at = performance.now();
      this.#offset += n;
      const lines = (this.#partial + this.#buffer.toString('utf8', 0, n)).split('\n');
      this.#partial = lines.pop() ?? '';
      for (const line of lines) {
        const u = parseUpdateLine(line, at);
        if (u === null) continue;
        const key = `${u.kind} ${u.peer} ${u.prefix}`;
        if (!this.#last.has(key)) this.#last.set(key, u);
        const hit = this.#waiters.filter((w) => w.match(u));
        if (hit.length === 0) continue;
        this.#waiters = this.#waiters.filter((w) => !w.match(u));
        for (const w of hit) w.resolve(u);
      }
    }
  }
}

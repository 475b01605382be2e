// Local mode's record of the controller's decisions (the equivalent of Service status in a
// cluster): DIR/.barelb/state.json, written atomically so a crash never leaves half a file.

import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { stampFileSync, stillValid, wallClockNs, type Stamped } from './file-stamp.ts';
import { decodeStateJson, decodeStateLines, noLines, type Decoded, type LineMemo, type LocalState } from './state-codec.ts';

export { StateEncoder } from './state-codec.ts';
export type { LocalState, PendingRecord } from './state-codec.ts';

export const stateDirName = '.barelb';
export const stateFileName = 'state.json';

export const statePath = (dir: string): string => join(dir, stateDirName, stateFileName);

export const emptyState = (): LocalState => ({ allocations: new Map(), pending: new Map() });

async function readStateText(dir: string): Promise<string | null> {
  try {
    return await readFile(statePath(dir), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/**
 * The last state read, for a reader that reads it again and again (the speaker): an unchanged file
 * (by stat stamp, else by text) gives the same LocalState object, and an unchanged entry the same
 * Allocation object, so what depends on them can be reused by identity.
 */
export class StateCache {
  #last: { readonly stamped: Stamped; readonly text: string; readonly decoded: Decoded; readonly lines: LineMemo } | null = null;

  async read(dir: string): Promise<LocalState> {
    let stamped: Stamped;
    try {
      stamped = stampFileSync(statePath(dir), wallClockNs());
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      this.#last = null;
      return emptyState();
    }
    const last = this.#last;
    if (last !== null && stillValid(last.stamped, stamped)) return last.decoded.state;
    const text = await readStateText(dir);
    if (text === null) {
      this.#last = null;
      return emptyState();
    }
    if (last !== null && last.text === text) {
      this.#last = { ...last, stamped };
      return last.decoded.state;
    }
    const previous = last?.decoded.state.allocations ?? new Map();
    const byLines = decodeStateLines(statePath(dir), text, previous, last?.lines ?? noLines);
    const decoded = byLines?.decoded ?? decodeStateJson(statePath(dir), text, previous);
    this.#last = { stamped, text, decoded, lines: byLines?.lines ?? noLines };
    return decoded.state;
  }
}

/** Reads the state; a missing file is an empty state, a corrupt one an error (never silently empty). */
export async function readState(dir: string, cache?: StateCache): Promise<LocalState> {
  if (cache !== undefined) return cache.read(dir);
  const text = await readStateText(dir);
  return text === null ? emptyState() : decodeStateJson(statePath(dir), text, new Map()).state;
}

/** Write to a temporary file in the same directory, then rename: readers see the old or the new file, whole. */
export async function writeState(dir: string, text: string): Promise<void> {
  const d = join(dir, stateDirName);
  await mkdir(d, { recursive: true });
  const tmp = join(d, `.${stateFileName}.${process.pid}.tmp`);
  const fh = await open(tmp, 'w', 0o644);
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, statePath(dir));
}

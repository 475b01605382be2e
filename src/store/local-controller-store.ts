// Local mode's controller store: snapshots from the watched directory, outcomes into the state file.

import type { ControllerSnapshot, ControllerStore } from '../controller/loop.ts';
import type { Reconciled } from '../controller/reconcile.ts';
import { watchLocalDir, type LocalSnapshot } from './local-source.ts';
import { encodeState, writeState } from './state-file.ts';

const toControllerSnapshot = (s: LocalSnapshot): ControllerSnapshot => ({
  objects: s.manifests.objects,
  loadErrors: s.manifests.errors,
  held: s.state === null ? null : s.state.allocations,
  heldError: s.stateError,
});

export function localControllerStore(dir: string, onError: (e: unknown) => void): ControllerStore {
  let lastWritten = '';
  // Once the controller has persisted, it holds the allocations in memory and never reads the
  // state file again: its own writes need not reload the directory.
  let persisted = false;
  return {
    watch: (onSnapshot, signal) => watchLocalDir(dir, { signal, onError, watchState: () => !persisted, onSnapshot: (s) => onSnapshot(toControllerSnapshot(s)) }),
    persist: async (r: Reconciled) => {
      const text = encodeState(r.plan, r.allocations);
      // The watcher reports our own write too; skipping identical text keeps that a no-op.
      if (text === lastWritten) return;
      await writeState(dir, text);
      lastWritten = text;
      persisted = true;
    },
  };
}

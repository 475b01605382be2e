// Local mode's controller store: snapshots from the watched directory, outcomes into the state file.

import type { ControllerSnapshot, ControllerStore } from '../controller/loop.ts';
import type { Reconciled } from '../controller/reconcile.ts';
import { watchLocalDir, type LocalSnapshot } from './local-source.ts';
import { StateEncoder, writeState } from './state-file.ts';

const toControllerSnapshot = (s: LocalSnapshot): ControllerSnapshot => ({
  objects: s.manifests.objects,
  loadErrors: s.manifests.errors,
  held: s.state === null ? null : s.state.allocations,
  heldError: s.stateError,
});

export function localControllerStore(dir: string, onError: (e: unknown) => void): ControllerStore {
  let lastWritten = '';
  // Re-encodes only the entries whose allocation changed since the last round.
  const encoder = new StateEncoder();
  // The controller takes the allocations from the first snapshot that holds them and keeps them in
  // memory from then on (ControllerSnapshot.held): after that, the state file is neither read nor
  // watched, since reloading the directory after each of its own writes would only compete with the
  // speakers for the CPU.
  let holds = false;
  return {
    watch: (onSnapshot, signal) =>
      watchLocalDir(dir, {
        signal,
        onError,
        useState: () => !holds,
        onSnapshot: (s) => {
          if (s.state !== null) holds = true;
          return onSnapshot(toControllerSnapshot(s));
        },
      }),
    persist: async (r: Reconciled) => {
      const text = encoder.encode(r.plan, r.allocations);
      // The watcher reports our own write too; skipping identical text keeps that a no-op.
      if (text === lastWritten) return;
      await writeState(dir, text);
      lastWritten = text;
    },
  };
}

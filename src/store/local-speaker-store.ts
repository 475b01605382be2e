// Local mode's speaker store: the watched directory's manifests plus the controller's state file.

import type { SpeakerStore } from '../speaker/loop.ts';
import { watchLocalDir } from './local-source.ts';

export function localSpeakerStore(dir: string, onError: (e: unknown) => void): SpeakerStore {
  return {
    watch: (onSnapshot, signal) =>
      watchLocalDir(dir, {
        signal,
        onError,
        onSnapshot: (s) => onSnapshot({ objects: s.manifests.objects, loadErrors: s.manifests.errors, allocations: s.state?.allocations ?? null }),
      }),
  };
}

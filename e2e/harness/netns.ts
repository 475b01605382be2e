// The e2e face of src/lab/netns.ts (moved there; the lab uses it too): namespaces named
// `blb-<pid>-<n>-<label>` and registered in this run's cleanup registry, so that a failed test
// still removes them.
import { Netns as LabNetns } from '../../src/lab/netns.ts';
import { tracked, uniqueName } from './cleanup.ts';

export { addVethPair, type VethEnd } from '../../src/lab/netns.ts';

export type Netns = LabNetns;

export const Netns = {
  /** Creates `blb-<pid>-<n>-<label>` (see src/lab/netns.ts), tracked for cleanup. */
  create: (label: string): Promise<Netns> => LabNetns.create(uniqueName(label), tracked),
};

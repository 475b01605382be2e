// One instance of each short string that thousands of objects repeat (namespaces, node names,
// Service types, pool names). JSON.parse makes a new string for every occurrence: at 10 000
// Services in one namespace, "LoadBalancer" and the namespace were 10 000 strings each.

import { memoized } from './memoized.ts';

/** `s`, or the equal string met first. Bounded: past 4 096 distinct strings it starts over. */
export const intern: (s: string) => string = memoized((s: string) => s, 4096);

// Lists kept per object for as long as the object lives (a Service's addresses, an EndpointSlice's
// endpoints): at 10 000 Services every byte of each is 10 kB. An array grown by push, filter or
// flatMap keeps spare capacity (one element: 17 slots, 225 bytes instead of 97), and every empty
// list is one more object; these give each kept list exactly its length, and all empty ones one
// shared frozen array.

/** The one empty list every reading shares (frozen: a caller that mutates it fails at once). */
export const none: readonly never[] = Object.freeze([]);

/** `xs` as a list of exactly its length: a copy without spare capacity, or `none` when empty. */
export const keptList = <T>(xs: readonly T[]): readonly T[] => (xs.length === 0 ? none : xs.slice());

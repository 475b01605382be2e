// Object names for what migrate creates: legacy names made valid (as MetalLB's own converter
// did), numbered names for generated objects, and no name used twice within a kind.

import { objectNameProblem } from '../api/names.ts';

/** Names in use, by kind. */
export type NameBook = Map<string, Set<string>>;

export const newNameBook = (): NameBook => new Map();

function used(book: NameBook, kind: string): Set<string> {
  const set = book.get(kind) ?? new Set<string>();
  book.set(kind, set);
  return set;
}

export function reserve(book: NameBook, kind: string, name: string): void {
  used(book, kind).add(name);
}

/** `base`, or `base-2`, `base-3`, ... whichever is free; the result is reserved. */
export function claimUnique(book: NameBook, kind: string, base: string): string {
  const set = used(book, kind);
  let name = base;
  for (let i = 2; set.has(name); i++) name = `${base}-${i}`;
  set.add(name);
  return name;
}

/** `prefix1`, `prefix2`, ...: the first free one (MetalLB's converter named objects this way). */
export function claimNumbered(book: NameBook, kind: string, prefix: string): string {
  const set = used(book, kind);
  let i = 1;
  while (set.has(`${prefix}${i}`)) i++;
  set.add(`${prefix}${i}`);
  return `${prefix}${i}`;
}

/** Lowercase, runs of other characters as "-", alphanumeric at both ends, at most 253 characters. */
export function sanitizeName(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, 253)
    .replace(/^[^a-z0-9]+/, '')
    .replace(/[^a-z0-9]+$/, '');
}

export type Named = { readonly name: string; readonly changed: boolean };

/**
 * A legacy name as an object name: kept when valid (even if another object has it: that
 * is for `barelb plan` to report), else sanitised to a free name, else `fallback`.
 */
export function objectName(book: NameBook, kind: string, text: string, fallback: string): Named {
  if (objectNameProblem(text) === null) {
    reserve(book, kind, text);
    return { name: text, changed: false };
  }
  const clean = sanitizeName(text);
  return { name: claimUnique(book, kind, clean === '' ? fallback : clean), changed: true };
}

// Reads the desired configs the applier is handed, one after another. Consecutive configs mostly
// differ in a few body lines of one context (a Service IP adds or removes one `network` line), so
// when the changed lines all lie in the body of one context whose lines normalise line by line,
// the result is the previous one with that context patched; anything else is read whole. Either
// way the result equals readConfig(text).

import { contextKey, traceFrrConfig, isIndented, lineAction, cleanLine, type FrrConfig, type FrrContext, type ParseTrace } from './frr-config.ts';
import { lineNormaliser, normaliseConfig } from './normalise.ts';
import { changedWindow, type ChangedWindow } from '../../../core/changed-window.ts';

/**
 * One context as parsed (before normalisation): its lines, how often each occurs in the text, and
 * its normalised lines as a set. Internal: a patch updates them in place (a failed patch is
 * followed by a whole read, which starts afresh).
 */
type Parsed = { readonly path: readonly string[]; lines: readonly string[]; readonly counts: Map<string, number>; readonly normalised: Set<string> };

type Read = {
  readonly text: string;
  readonly lines: readonly string[];
  readonly trace: ParseTrace;
  /** Contexts patched or counted so far (the others are taken from the trace when needed). */
  readonly parsed: Map<string, Parsed>;
  readonly config: FrrConfig;
  readonly raw: FrrConfig;
};

/** The clean body lines of raw lines that, read with `stack` open, are all body lines of it; null otherwise. */
function bodyLines(raw: readonly string[], stack: readonly string[]): string[] | null {
  const out: string[] = [];
  for (const r of raw) {
    const line = cleanLine(r);
    if (line === null) continue;
    if (lineAction(stack, line, isIndented(r)) !== 'body') return null;
    out.push(line);
  }
  return out;
}

const countsOf = (lines: readonly string[]): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const l of lines) counts.set(l, (counts.get(l) ?? 0) + 1);
  return counts;
};

export class ConfigReader {
  #last: Read | null = null;

  /** The text's config, normalised: readConfig(text). */
  read(text: string): FrrConfig {
    const last = this.#last;
    if (last !== null && last.text === text) return last.config;
    const lines = text.split(/\r?\n/);
    const patched = last === null ? null : patch(last, text, lines);
    this.#last = patched ?? readWhole(text, lines);
    return this.#last.config;
  }
}

function readWhole(text: string, lines: readonly string[]): Read {
  const { config: raw, trace } = traceFrrConfig(lines);
  return { text, lines, trace, parsed: new Map(), config: normaliseConfig(raw), raw };
}

/** The context with its line counts: every body line the text gave it, duplicates included. */
function parsedContext(read: Read, key: string): Parsed | null {
  const known = read.parsed.get(key);
  if (known !== undefined) return known;
  const ctx = read.raw.contexts.get(key);
  if (ctx === undefined) return null;
  const keys = new Map<readonly string[], string>();
  const all: string[] = [];
  const { cleaned, actions, stacks } = read.trace;
  for (let i = 0; i < cleaned.length; i += 1) {
    const stack = stacks[i] ?? [];
    if (actions[i] !== 'body') continue;
    const k = keys.get(stack) ?? keys.set(stack, contextKey(stack)).get(stack);
    if (k === key) all.push(cleaned[i] ?? '');
  }
  const parsed: Parsed = { path: ctx.path, lines: ctx.lines, counts: countsOf(all), normalised: new Set(read.config.contexts.get(key)?.lines ?? []) };
  read.parsed.set(key, parsed);
  return parsed;
}

/**
 * Where in the context's lines the changed lines sit: after the nearest clean line before the
 * change, which must be a body line of the context occurring once, or the context's first opening.
 */
function insertionPoint(read: Read, ctx: Parsed, key: string, start: number): number | null {
  const { cleaned, actions, stacks } = read.trace;
  let q = start - 1;
  while (q >= 0 && cleaned[q] === null) q -= 1;
  const line = cleaned[q];
  if (q < 0 || line === null || line === undefined) return null;
  if (contextKey(stacks[q] ?? []) !== key) return null;
  if (actions[q] === 'body') return ctx.counts.get(line) === 1 ? ctx.lines.indexOf(line) + 1 : null;
  if (actions[q] !== 'open' && actions[q] !== 'open-sub') return null;
  // The opening before the change must be the context's first: nothing of it came before.
  for (let i = 0; i < q; i += 1) if ((actions[i] === 'open' || actions[i] === 'open-sub') && contextKey(stacks[i] ?? []) === key) return null;
  return 0;
}

function patch(last: Read, text: string, lines: readonly string[]): Read | null {
  const w = changedWindow(last.lines, lines);
  const stack = w.start === 0 ? [] : (last.trace.stacks[w.start - 1] ?? []);
  if (stack.length === 0) return null;
  const removed = bodyLines(last.lines.slice(w.start, w.oldEnd), stack);
  const added = bodyLines(lines.slice(w.start, w.newEnd), stack);
  const key = contextKey(stack);
  const normalise = lineNormaliser(stack);
  const before = last.config.contexts.get(key);
  const ctx = parsedContext(last, key);
  if (removed === null || added === null || normalise === null || before === undefined || ctx === null) return null;
  // Without duplicates, a line's place in the context is its place in the text.
  if (removed.some((l) => ctx.counts.get(l) !== 1) || new Set(added).size !== added.length) return null;
  const gone = new Set(removed);
  if (added.some((l) => ctx.counts.has(l) && !gone.has(l))) return null;
  const at = insertionPoint(last, ctx, key, w.start);
  if (at === null || removed.some((l, i) => ctx.lines[at + i] !== l)) return null;
  // Normalised line by line without a collision: the i-th normalised line is the i-th line's.
  if (before.lines.length !== ctx.lines.length || ctx.lines.length - removed.length + added.length === 0) return null;
  const normalised = added.map(normalise);
  const goneNormalised = new Set(removed.map(normalise));
  if (new Set(normalised).size !== normalised.length || normalised.some((l) => ctx.normalised.has(l) && !goneNormalised.has(l))) return null;
  // Checked: from here on the patch succeeds, and updates what it keeps in place.
  for (const l of removed) ctx.counts.delete(l);
  for (const l of added) ctx.counts.set(l, 1);
  for (const l of goneNormalised) ctx.normalised.delete(l);
  for (const l of normalised) ctx.normalised.add(l);
  ctx.lines = [...ctx.lines.slice(0, at), ...added, ...ctx.lines.slice(at + removed.length)];
  const next: FrrContext = { path: before.path, lines: [...before.lines.slice(0, at), ...normalised, ...before.lines.slice(at + removed.length)] };
  spliceTrace(last.trace, lines, w, stack);
  return {
    text,
    lines,
    trace: last.trace,
    parsed: new Map([[key, ctx]]),
    config: { globals: last.config.globals, contexts: new Map(last.config.contexts).set(key, next) },
    raw: { globals: last.raw.globals, contexts: new Map(last.raw.contexts).set(key, { path: ctx.path, lines: ctx.lines }) },
  };
}

/** Makes the trace the new text's: the changed lines are skipped or body lines of `stack`. */
function spliceTrace(t: ParseTrace, lines: readonly string[], w: ChangedWindow, stack: readonly string[]): void {
  const changed = lines.slice(w.start, w.newEnd);
  const cleaned = changed.map(cleanLine);
  const count = w.oldEnd - w.start;
  t.cleaned.splice(w.start, count, ...cleaned);
  t.actions.splice(w.start, count, ...cleaned.map((l) => (l === null ? null : ('body' as const))));
  t.stacks.splice(w.start, count, ...changed.map(() => stack));
}

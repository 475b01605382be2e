// Parsing metav1.LabelSelector from manifests into LabelSelector, with Kubernetes' rules on
// operators and values, and the "no duplicate selectors in one list" rule MetalLB applies.

import { selectorMatches, selectorOperators, selectorText, type LabelSelector, type Labels, type SelectorOperator, type SelectorRequirement } from './labels.ts';
import { labelKeyProblem, labelValueProblem } from './names.ts';
import { at, fail, index, readList, readRecord, readString, readStringList, readStringMap, show, warnUnknownFields, type Reader } from './wire.ts';

export const everything: LabelSelector = { matchLabels: {}, matchExpressions: [] };

function readMatchLabels(r: Reader, v: unknown, path: string): Record<string, string> {
  const labels = readStringMap(r, v, path);
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels)) {
    const problem = labelKeyProblem(key) ?? labelValueProblem(value);
    if (problem !== null) fail(r, at(path, key), problem);
    else Object.defineProperty(out, key, { value, enumerable: true });
  }
  return out;
}

const isOperator = (s: string): s is SelectorOperator => (selectorOperators as readonly string[]).includes(s);

function readRequirement(r: Reader, v: unknown, path: string): SelectorRequirement | undefined {
  const rec = readRecord(r, v, path);
  if (rec === undefined) {
    if (v === undefined || v === null) fail(r, path, 'must be an object, not null');
    return undefined;
  }
  warnUnknownFields(r, rec, path, ['key', 'operator', 'values']);
  const before = r.issues.errors.length;
  const key = readString(r, rec['key'], at(path, 'key')) ?? '';
  const operator = readString(r, rec['operator'], at(path, 'operator')) ?? '';
  const values = readStringList(r, rec['values'], at(path, 'values')).map((e) => e.value);
  const keyProblem = rec['key'] === undefined ? 'is required' : labelKeyProblem(key);
  if (keyProblem !== null) fail(r, at(path, 'key'), keyProblem);
  if (!isOperator(operator)) {
    fail(r, at(path, 'operator'), `${show(rec['operator'] ?? '')} is not an operator; use one of ${selectorOperators.join(', ')}`);
    return undefined;
  }
  const wantsValues = operator === 'In' || operator === 'NotIn';
  if (wantsValues && values.length === 0) fail(r, at(path, 'values'), `operator ${operator} needs at least one value`);
  if (!wantsValues && values.length > 0) fail(r, at(path, 'values'), `operator ${operator} takes no values`);
  values.forEach((value, i) => {
    const bad = labelValueProblem(value);
    if (bad !== null) fail(r, index(at(path, 'values'), i), bad);
  });
  return r.issues.errors.length === before ? { key, operator, values } : undefined;
}

/** Reads one selector; undefined (after reporting) when it is not usable. */
export function readSelector(r: Reader, v: unknown, path: string): LabelSelector | undefined {
  if (v === undefined || v === null) return everything;
  const rec = readRecord(r, v, path);
  if (rec === undefined) return undefined;
  warnUnknownFields(r, rec, path, ['matchLabels', 'matchExpressions']);
  const before = r.issues.errors.length;
  const matchLabels = readMatchLabels(r, rec['matchLabels'], at(path, 'matchLabels'));
  const exprPath = at(path, 'matchExpressions');
  const matchExpressions = (readList(r, rec['matchExpressions'], exprPath) ?? []).map((e, i) => readRequirement(r, e, index(exprPath, i)));
  if (r.issues.errors.length > before) return undefined;
  return { matchLabels, matchExpressions: matchExpressions.filter((e) => e !== undefined) };
}

/** Reads a list of selectors; a selector equal to an earlier one is an error. */
export function readSelectorList(r: Reader, v: unknown, path: string): LabelSelector[] {
  const out: LabelSelector[] = [];
  const seen = new Set<string>();
  (readList(r, v, path) ?? []).forEach((item, i) => {
    const selector = readSelector(r, item, index(path, i));
    if (selector === undefined) return;
    const text = selectorText(selector);
    if (seen.has(text)) fail(r, index(path, i), `duplicate definition in ${path}: selector {${text}} is listed twice`);
    else {
      seen.add(text);
      out.push(selector);
    }
  });
  return out;
}

/** True when any selector matches; an empty list matches everything. */
export const anySelectorMatches = (selectors: readonly LabelSelector[], labels: Labels): boolean =>
  selectors.length === 0 || selectors.some((s) => selectorMatches(s, labels));

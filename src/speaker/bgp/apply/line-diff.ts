// Diffs the body lines of one context: removed lines become `no …` commands unless a new line
// takes their slot (FRR overwrites it), added lines are sent as they are. Each is classified.
import { describeLine, undoLine } from './line-rules.ts';
import type { ChangeClass, ContextKind } from './line-rules.ts';
import type { Change } from './plan-model.ts';
import { changedWindow } from '../../../core/changed-window.ts';

export interface LineDiffOptions {
  readonly kind: ContextKind;
  /** Removed lines to leave alone (their neighbor goes as a whole with `no neighbor X`). */
  readonly keepRemoved?: (line: string) => boolean;
  /** A class for added lines that differs from the rules (lines of a neighbor added now). */
  readonly addedAs?: (line: string) => { readonly cls: ChangeClass; readonly why: string } | undefined;
}

export interface LineDiff {
  /** Commands removing lines whose slot is not taken over, last-seen first. */
  readonly removals: readonly string[];
  /** New lines, in the order of the new config. */
  readonly additions: readonly string[];
  readonly changes: readonly Change[];
}

/**
 * Lines only in the new list (in its order) and lines only in the old one (in theirs). A big
 * context that changed in a few lines (a Service's `network` line among thousands) is compared
 * around the changed stretch only: lines before and after it are in both lists.
 */
function addedAndRemoved(oldLines: readonly string[], newLines: readonly string[], options: LineDiffOptions): { added: string[]; removed: string[] } {
  const { start, oldEnd, newEnd } = changedWindow(oldLines, newLines);
  const oldChanged = oldLines.slice(start, oldEnd);
  const newChanged = newLines.slice(start, newEnd);
  if (oldChanged.length + newChanged.length <= 32) {
    return {
      added: newChanged.filter((l) => !oldLines.includes(l)),
      removed: oldChanged.filter((l) => !newLines.includes(l) && options.keepRemoved?.(l) !== true),
    };
  }
  const oldSet = new Set(oldLines);
  const newSet = new Set(newLines);
  return {
    added: newLines.filter((l) => !oldSet.has(l)),
    removed: oldLines.filter((l) => !newSet.has(l) && options.keepRemoved?.(l) !== true),
  };
}

export function diffLines(
  path: readonly string[],
  oldLines: readonly string[],
  newLines: readonly string[],
  options: LineDiffOptions,
): LineDiff {
  const { added, removed } = addedAndRemoved(oldLines, newLines, options);
  const addedBySlot = new Map(added.map((l) => [describeLine(options.kind, l).slot, l]));
  const replaced = new Map<string, string>();
  const changes: Change[] = [];
  const removals: string[] = [];
  for (const line of removed) {
    const info = describeLine(options.kind, line);
    const successor = addedBySlot.get(info.slot);
    if (successor !== undefined) {
      replaced.set(successor, line);
      continue;
    }
    removals.unshift(undoLine(line));
    changes.push({ op: 'remove', path, line, cls: info.onRemove, why: info.why });
  }
  for (const line of added) {
    const info = describeLine(options.kind, line);
    const override = options.addedAs?.(line);
    const previous = replaced.get(line);
    const base = { path, line, cls: override?.cls ?? info.onAdd, why: override?.why ?? info.why };
    changes.push(previous === undefined ? { op: 'add', ...base } : { op: 'replace', previous, ...base });
  }
  return { removals, additions: added, changes };
}

// Printing a migration: the manifests as multi-document YAML, and the report as text or as the
// JSON contract of `barelb migrate --format json`. Pure and deterministic.

import { stringify } from 'yaml';
import { severityOf, type MigrationNote, type Severity } from './notes.ts';
import type { MigrationResult, MigrationSummary } from './migrate.ts';

const header = '# Written by `barelb migrate` from MetalLB manifests. Review its report before applying.\n';

/**
 * YAML 1.1 quoting, so kubectl (a YAML 1.1 reader) reads back the same strings: "64512:1"
 * would otherwise be a base-60 number there, and "yes" a boolean.
 */
export function renderManifests(objects: readonly Record<string, unknown>[]): string {
  const docs = objects.map((o) => stringify(o, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false }));
  return header + docs.map((d) => `---\n${d}`).join('');
}

export type MigrationReport = {
  readonly summary: MigrationSummary;
  /** True when something MetalLB used is not in the output (exit status 1). */
  readonly incomplete: boolean;
  readonly notes: readonly (MigrationNote & { readonly severity: Severity })[];
};

export function buildReport(result: MigrationResult): MigrationReport {
  return {
    summary: result.summary,
    incomplete: result.incomplete,
    notes: result.notes.map((n) => ({ severity: severityOf(n.code), ...n })),
  };
}

function summaryLine(s: MigrationSummary): string {
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `barelb migrate: ${plural(s.converted, 'MetalLB object')} converted (into namespace ${s.targetNamespace}), ${s.rewritten} rewritten, ${s.passedThrough} passed through unchanged, ${s.leftOut} left out; ${plural(s.outputObjects, 'object')} written.`;
}

function section(title: string, notes: readonly MigrationNote[]): string[] {
  if (notes.length === 0) return [];
  const width = Math.max(...notes.map((n) => n.code.length));
  const lines = notes.map((n) => `  ${n.code.padEnd(width)}  ${n.object}${n.field === '' ? '' : ` ${n.field}`}: ${n.message}`);
  return ['', title, ...lines];
}

export function renderReportText(result: MigrationResult): string {
  const leftOut = result.notes.filter((n) => severityOf(n.code) === 'left-out');
  const changed = result.notes.filter((n) => severityOf(n.code) === 'changed');
  const verdict = leftOut.length === 0 ? 'Nothing was left out.' : leftOut.length === 1 ? '1 thing was left out: review it before applying.' : `${leftOut.length} things were left out: review them before applying.`;
  const lines = [
    summaryLine(result.summary),
    verdict,
    ...section('Left out (not carried over):', leftOut),
    ...section('Changed (carried over, written differently):', changed),
  ];
  return `${lines.join('\n')}\n`;
}

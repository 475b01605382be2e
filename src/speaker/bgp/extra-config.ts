// The raw-config extension point: operator text appended verbatim at the end of frr.conf
// (MetalLB's bgpextras). The only raw text that reaches frr.conf, so it is checked here.

import { err, ok, type Result } from '../../core/result.ts';
import { renderError, type RenderError } from './render-error.ts';

/** Where the text comes from (a file path, "ConfigMap/ns/name") and the text itself. */
export type ExtraConfig = { readonly source: string; readonly text: string };

/** 256 KiB: far above any hand-written addition, far below what would slow a reload. */
export const maxExtraConfigBytes = 256 * 1024;

// Tab and newline are fine; every other C0/C1 control, DEL, CR and Unicode line separators are not.
const forbidden = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

/**
 * Validates and normalises the extra config into lines: no control characters but tab and
 * newline (no CR: write LF line endings), at most 256 KiB; trailing whitespace of each line
 * and blank lines at both ends are dropped. FRR itself judges the commands.
 */
export function extraConfigLines(extra: ExtraConfig | null): Result<readonly string[], RenderError> {
  if (extra === null) return ok([]);
  const bad = (message: string) => err(renderError('invalid-extra-config', extra.source, '', message));
  if (new TextEncoder().encode(extra.text).length > maxExtraConfigBytes) return bad(`is larger than ${maxExtraConfigBytes} bytes`);
  const lines = extra.text.split('\n');
  const badLine = lines.findIndex((l) => forbidden.test(l));
  if (badLine >= 0) {
    const code = lines[badLine]?.match(forbidden)?.[0]?.codePointAt(0) ?? 0;
    return bad(`line ${badLine + 1} contains the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}${code === 13 ? ' (CR: use LF line endings)' : ''}`);
  }
  const trimmed = lines.map((l) => l.trimEnd());
  while (trimmed.length > 0 && trimmed[0] === '') trimmed.shift();
  while (trimmed.length > 0 && trimmed[trimmed.length - 1] === '') trimmed.pop();
  return ok(trimmed);
}

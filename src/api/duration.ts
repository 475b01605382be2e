// Go duration strings ("90s", "1m30s", "500ms", "1.5h") as Kubernetes metav1.Duration writes
// them, parsed the way Go's time.ParseDuration does, into milliseconds.

import { err, ok, type Result } from '../core/result.ts';

/** Milliseconds per unit; Go accepts both micro signs for microseconds. */
const unitMs: ReadonlyMap<string, number> = new Map(Object.entries({
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
}));

const part = /^([0-9]*(?:\.[0-9]*)?)([a-zµμ]+)/;

/** Parses a Go duration into milliseconds (may be fractional or negative). */
export function parseDuration(text: string): Result<number, string> {
  const bad = err(`"${text}" is not a duration (use Go syntax such as "90s", "1m30s" or "500ms")`);
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return ok(0);
  if (rest === '') return bad;
  let total = 0;
  while (rest !== '') {
    const m = part.exec(rest);
    const number = m?.[1] ?? '';
    const factor = unitMs.get(m?.[2] ?? '');
    if (m === null || factor === undefined || number === '' || number === '.') return bad;
    total += Number(number) * factor;
    rest = rest.slice(m[0].length);
  }
  return ok(sign * total);
}

/** Go-style text for messages: "90s", "1.5s", "250ms". */
export function formatDuration(ms: number): string {
  if (ms !== 0 && Math.abs(ms) < 1000) return `${ms}ms`;
  return `${ms / 1000}s`;
}

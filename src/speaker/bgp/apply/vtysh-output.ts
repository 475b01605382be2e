// Reads what vtysh prints (FRR 10.x): progress noise of the forked `-f` children, `line N:` errors
// with the failing command, daemon explanations (`% …`), lock and connection failures. Pure.
import type { PortFailureReason } from './frr-port.ts';
import { redact } from './redact.ts';

const NOISE: readonly RegExp[] = [
  /^\[\d+\|[\w-]+\] (sending configuration|done)$/,
  /^Waiting for children to finish applying config\.\.\.$/,
  /^MGMTD: No changes found to be committed!$/,
  /^(\[\d+\|[\w-]+\] )?Configuration file\[.*\] processing failure: \d+$/,
];

export interface VtyshReport {
  /** Distinct error messages, each once (the forked children repeat them), secrets redacted. */
  readonly messages: readonly string[];
  /** Daemons whose `-f` child reported `done`. Empty when vtysh did not fork (`-d`, `-c`). */
  readonly done: ReadonlySet<string>;
  /** Set when the output itself says why it failed. */
  readonly reason?: PortFailureReason;
}

/** Parses vtysh's stdout+stderr. `batch` (the `-f` file's lines) names the command of `line N:`. */
export function readVtyshOutput(output: string, batch: readonly string[] = []): VtyshReport {
  const messages: string[] = [];
  const done = new Set<string>();
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    const finished = /^\[\d+\|([\w-]+)\] done$/.exec(line)?.[1];
    if (finished !== undefined) done.add(finished);
    if (line === '' || NOISE.some((re) => re.test(line))) continue;
    const text = redact(withCommand(line, batch));
    if (!messages.includes(text)) messages.push(text);
  }
  const reason = reasonOf(output);
  return reason === undefined ? { messages, done } : { messages, done, reason };
}

/** `line 3: Failure to communicate[13] to bgpd, line: …` already names it; `% Unknown command[28]: x` too. */
function withCommand(line: string, batch: readonly string[]): string {
  const m = /^line (\d+): (.*)$/.exec(line);
  if (m === null || /, line: |: \S/.test(m[2] ?? '')) return line;
  const command = batch[Number(m[1]) - 1]?.trim();
  return command === undefined ? line : `${line} (${command})`;
}

function reasonOf(output: string): PortFailureReason | undefined {
  if (/could not lock candidate DS/i.test(output)) return 'locked';
  if (/failed to connect to any daemons|\bbgpd is not running/.test(output)) return 'unreachable';
  return undefined;
}

/** The daemons listed by `show daemons` (` mgmtd zebra bgpd staticd bfdd`). */
export function readDaemons(output: string): Set<string> {
  return new Set(output.trim().split(/\s+/).filter((w) => w !== ''));
}

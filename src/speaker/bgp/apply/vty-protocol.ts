// FRR's vty protocol between vtysh and a daemon's unix socket (FRR 10.x lib/vty.c `vtysh_read`,
// vtysh/vtysh.c `vtysh_client_run`): commands go out NUL-terminated, each reply is the command's
// text followed by `\0\0\0<status>`. Also the session `vtysh -f` opens around a file, and what the
// replies of one batch mean. Pure.
import { err, ok } from '../../../core/result.ts';
import type { Result } from '../../../core/result.ts';
import type { PortFailure, PortResult } from './frr-port.ts';
import { redact } from './redact.ts';

/** A daemon's answer to one command. */
export interface VtyReply {
  /** What the command printed (may be empty). */
  readonly text: string;
  /** FRR's CMD_* return code (lib/command.h). */
  readonly status: number;
}

/** lib/command.h return codes, by value. 0 and 1 count as accepted (vtysh -f goes on after both). */
const STATUS_NAMES: Readonly<Record<number, string>> = {
  0: 'success',
  1: 'warning',
  2: 'unknown command',
  3: 'ambiguous command',
  4: 'incomplete command',
  5: 'too many arguments',
  6: 'nothing to do',
  10: 'success (daemon)',
  11: 'no file',
  12: 'suspended',
  13: 'config failed',
  14: 'not my instance',
  15: 'no level up',
  16: 'no daemon',
};

export const CMD_SUCCESS = 0;
export const CMD_WARNING = 1;

export function statusName(status: number): string {
  return STATUS_NAMES[status] ?? `status ${status}`;
}

/**
 * What `vtysh -d bgpd -f FILE` sends around the file's lines, verified with strace on FRR 10.3.
 * A vtysh connection starts in VIEW node; `file-lock` only matters to mgmtd's front end. The
 * XFRR markers make bgpd commit northbound changes (prefix-lists) once, at the end, and report a
 * failed commit in the reply to `XFRR_end_configuration` (status 0, `% Configuration failed.`).
 */
export const SESSION_OPEN = ['enable', 'conf term file-lock'] as const;
export const BATCH_START = 'XFRR_start_configuration';
export const BATCH_END = 'XFRR_end_configuration';
export const SESSION_CLOSE = [BATCH_END, 'end', 'disable'] as const;

/** Why `commands` cannot be sent (one would split or merge lines), or null. */
export function commandError(commands: readonly string[]): string | null {
  const bad = commands.findIndex((c) => /[\0\n\r]/.test(c));
  return bad < 0 ? null : `command ${bad + 1} contains a NUL or newline: ${JSON.stringify(redact(commands[bad] ?? ''))}`;
}

/** The bytes of `commands`, each NUL-terminated; an error names a command that would split or merge lines. */
export function encodeCommands(commands: readonly string[]): Result<Buffer, string> {
  const bad = commandError(commands);
  if (bad !== null) return err(bad);
  // One string and one buffer for the batch, not one of each per command (10 000s in a first round).
  return ok(Buffer.from(commands.length === 0 ? '' : `${commands.join('\0')}\0`, 'utf8'));
}

/**
 * Splits received bytes into complete replies and the unfinished rest. Reply text never holds a
 * NUL, so the first NUL starts the 4-byte trailer (vtysh_client_run relies on the same).
 */
export function splitReplies(data: Buffer): Result<{ readonly replies: readonly VtyReply[]; readonly rest: Buffer }, string> {
  const replies: VtyReply[] = [];
  let at = 0;
  for (;;) {
    const nul = data.indexOf(0, at);
    if (nul < 0 || data.length < nul + 4) break;
    if (data[nul + 1] !== 0 || data[nul + 2] !== 0) return err(`malformed vty reply trailer at byte ${nul}`);
    replies.push({ text: data.toString('utf8', at, nul), status: data[nul + 3] ?? 0 });
    at = nul + 4;
  }
  return ok({ replies, rest: data.subarray(at) });
}

/** Whether the daemon took the session-opening commands; `locked` when config mode is held elsewhere. */
export function readOpen(replies: readonly VtyReply[]): Result<void, PortFailure> {
  for (const [i, reply] of replies.entries()) {
    if (reply.status === CMD_SUCCESS) continue;
    const text = messages(reply.text);
    const reason = /locked/i.test(reply.text) ? 'locked' : 'rejected';
    return err({ reason, message: `bgpd refused '${SESSION_OPEN[i] ?? '?'}' (${statusName(reply.status)})`, details: text });
  }
  return ok(undefined);
}

/**
 * Reads the replies to `[BATCH_START, ...commands, ...SESSION_CLOSE]`. Like `vtysh -f` it is best
 * effort: every line was sent, and each refused one is reported as `line N: …` (N counts in
 * `commands`, as in the batch file). A failed northbound commit at the end rejects the batch too.
 */
export function readBatch(commands: readonly string[], replies: readonly VtyReply[]): PortResult {
  const failures: string[] = [];
  const warnings: string[] = [];
  commands.forEach((command, i) => {
    const reply = replies[i + 1];
    if (reply === undefined) return;
    const text = messages(reply.text);
    if (reply.status === CMD_SUCCESS || reply.status === CMD_WARNING) {
      warnings.push(...text);
      return;
    }
    // Redacted piece by piece: a secret's redaction would swallow the punctuation after it.
    const said = text.length === 0 ? `% ${statusName(reply.status)}` : text.join(' ');
    const shown = redact(command.trim());
    const named = said.includes(shown) ? said : `${said} (${shown})`;
    failures.push(`line ${i + 1}: ${named} [${statusName(reply.status)}]`);
  });
  const end = replies[commands.length + 1];
  const endText = end === undefined ? [] : messages(end.text);
  const commitFailed = end !== undefined && (end.status !== CMD_SUCCESS || endText.some((l) => l.startsWith('% Configuration failed')));
  if (!commitFailed) warnings.push(...endText);
  if (failures.length === 0 && !commitFailed) return ok({ warnings });
  const refused = failures.length === 0 ? [] : [`bgpd refused ${failures.length} of ${commands.length} lines`];
  const summary = [...refused, ...(commitFailed ? ['bgpd did not commit the batch\'s northbound changes'] : [])].join('; ');
  return err({ reason: 'rejected', message: summary, details: commitFailed ? [...failures, ...endText] : failures });
}

/** Non-empty lines of a reply, secrets redacted. */
function messages(text: string): string[] {
  return text.split('\n').map((l) => l.trimEnd()).filter((l) => l.trim() !== '').map(redact);
}

// The real FrrQuery: runs `vtysh -c CMD` (argument array, never a shell) with a timeout and parses
// its stdout. A command prefix lets tests reach an FRR in a namespace and chroot.

import { runCommand } from '../apply/run-command.ts';
import { FrrQueryError, type FrrQuery } from './frr-query.ts';

export type VtyshQueryOptions = {
  /**
   * The argv before `-c CMD`. Default `['vtysh']`; an e2e test uses
   * `['ip', 'netns', 'exec', NS, 'chroot', ROOT, '/usr/bin/vtysh', '-N', NAME]`.
   */
  readonly command?: readonly [string, ...string[]];
  /** Killed (SIGTERM, SIGKILL 1 s later) after this long. Default 5 s; vtysh answers in ~20 ms. */
  readonly timeoutMs?: number;
};

const DEFAULT_TIMEOUT_MS = 5_000;
/** Enough of vtysh's output to say what went wrong without flooding a log line. */
const EXCERPT_CHARS = 300;

const excerpt = (text: string): string => {
  const t = text.trim();
  return t.length > EXCERPT_CHARS ? `${t.slice(0, EXCERPT_CHARS)}…` : t;
};

export function vtyshQuery(options: VtyshQueryOptions = {}): FrrQuery {
  const [file, ...prefixArgs] = options.command ?? ['vtysh'];
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    async showJson(command) {
      // vtysh's messages are matched on their English text.
      const result = await runCommand(file, [...prefixArgs, '-c', command], { timeoutMs: timeout, killAfterMs: 1_000, env: { LC_ALL: 'C' } });
      const what = `${[file, ...prefixArgs].join(' ')} -c '${command}'`;
      if (result.timedOut) throw new FrrQueryError('timeout', `${what} timed out after ${timeout} ms`);
      if (result.exitCode === undefined) throw new FrrQueryError('spawn-failed', `${what}: ${result.message}`);
      if (result.exitCode !== 0) {
        throw new FrrQueryError('exit-status', `${what} exited ${result.exitCode}: ${excerpt(`${result.stdout}\n${result.stderr}`)}`);
      }
      try {
        return JSON.parse(result.stdout) as unknown;
      } catch {
        throw new FrrQueryError('not-json', `${what} did not print JSON: ${excerpt(result.stdout)}`);
      }
    },
  };
}

// Runs a command to completion (an argument array, never a shell) with a deadline, collecting its
// output: all the speaker needs of a child process (vtysh, frr-reload.py). node:child_process, not
// execa: execa and the fifteen packages it loads cost the long-running speaker ~3 MB of heap and
// more of RSS at every start (bench/k8s-scale); the lab, a short-lived tool, keeps execa.

import { spawn, type ChildProcess } from 'node:child_process';

export type RunOptions = {
  /** SIGTERM after this long, ms. */
  readonly timeoutMs: number;
  /** SIGKILL this long after the SIGTERM, ms. */
  readonly killAfterMs: number;
  /** Added to the speaker's own environment. */
  readonly env?: Readonly<Record<string, string>>;
};

export type CommandResult = {
  /** The exit status; undefined when the command could not start or a signal ended it. */
  readonly exitCode: number | undefined;
  /** Whether the deadline ended it. */
  readonly timedOut: boolean;
  /** Without one final newline, as a shell's `$(...)` would give them. */
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr interleaved as they arrived. */
  readonly all: string;
  /** Why it did not exit by itself ('' when it did). */
  readonly message: string;
};

const withoutFinalNewline = (text: string): string => (text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text);

/** Never rejects: a command that cannot start resolves with exitCode undefined and the reason. */
export function runCommand(file: string, args: readonly string[], options: RunOptions): Promise<CommandResult> {
  return new Promise((resolve) => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const all: string[] = [];
    let timedOut = false;
    let done = false;
    let killTimer: ReturnType<typeof setTimeout> | undefined;
    let child: ChildProcess;
    const finish = (exitCode: number | undefined, message: string) => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      clearTimeout(killTimer);
      const text = (parts: string[]) => withoutFinalNewline(parts.join(''));
      resolve({ exitCode, timedOut, stdout: text(stdout), stderr: text(stderr), all: text(all), message });
    };
    const deadline = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
    }, options.timeoutMs);
    try {
      child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
    } catch (e) {
      finish(undefined, `could not start ${file}: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    const collect = (stream: NodeJS.ReadableStream | null, into: string[]) => {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        into.push(chunk);
        all.push(chunk);
      });
    };
    collect(child.stdout, stdout);
    collect(child.stderr, stderr);
    child.once('error', (e) => finish(undefined, `could not run ${file}: ${e.message}`));
    // 'close', not 'exit': the output streams have ended by then.
    child.once('close', (code, signal) =>
      finish(code ?? undefined, timedOut ? `timed out after ${options.timeoutMs} ms` : signal !== null ? `killed by ${signal}` : ''),
    );
  });
}

// Runs one host command with an argument array (never a shell string) and a timeout. A non-zero
// exit is data for the caller; a timeout, a cancellation or a command that cannot start is thrown.
// Shared by the lab and the e2e harness.
import { execa } from 'execa';

export interface RunOptions {
  /** Killed (SIGTERM, then SIGKILL after 2 s) when it runs longer. Default 30 s. */
  readonly timeoutMs?: number;
  /** Written to the command's stdin; stdin is closed otherwise. */
  readonly input?: string;
  /** Aborting kills the command (then the call throws). */
  readonly signal?: AbortSignal;
}

export interface RunResult {
  readonly command: string;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/** Runs `file args…`; resolves with its exit code and output, whatever the exit code. */
export async function run(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const result = await execa(file, args, {
    reject: false,
    timeout,
    forceKillAfterDelay: 2_000,
    stripFinalNewline: false,
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
    env: { LC_ALL: 'C' },
    ...(options.signal === undefined ? {} : { cancelSignal: options.signal }),
  });
  const command = [file, ...args].join(' ');
  if (result.timedOut) throw new Error(`timed out after ${timeout} ms: ${command}`);
  if (result.isCanceled) throw new Error(`cancelled: ${command}`);
  if (result.exitCode === undefined) {
    throw new Error(`could not run ${command}: ${result.shortMessage}`);
  }
  return { command, exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
}

/** Like `run`, but a non-zero exit is an error naming the command and its output. */
export async function runOk(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const result = await run(file, args, options);
  if (result.exitCode !== 0) throw new Error(describeFailure(result));
  return result;
}

export function describeFailure(result: RunResult): string {
  const output = `${result.stdout}${result.stderr}`.trim();
  return `${result.command} exited ${result.exitCode}${output === '' ? '' : `:\n${output}`}`;
}

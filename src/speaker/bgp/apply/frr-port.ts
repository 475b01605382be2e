// The port the applier drives FRR through: batches of config commands, exec commands, the running
// config, a full reload and the on-disk file. vtysh-port.ts implements it; tests use fakes.
import type { Result } from '../../../core/result.ts';
import type { BatchTarget } from './plan-model.ts';

export const PORT_FAILURES = ['rejected', 'locked', 'unreachable', 'timeout', 'io'] as const;
/**
 * - `rejected`: FRR refused a command (syntax, or a daemon said no); retrying the same text fails again.
 * - `locked`: mgmtd's candidate datastore was locked by another writer (frr.md §3.2); retry later.
 * - `unreachable`: vtysh could not reach bgpd (FRR down or restarting).
 * - `timeout`: the command did not finish in time.
 * - `io`: a local file could not be written.
 */
export type PortFailureReason = (typeof PORT_FAILURES)[number];

export interface PortFailure {
  readonly reason: PortFailureReason;
  /** One line, secrets redacted. */
  readonly message: string;
  /** FRR's own messages (`line 3: % Unknown command: …`), secrets redacted. */
  readonly details: readonly string[];
}

export interface PortSuccess {
  /** Non-fatal FRR messages, e.g. `% BGP: Unknown neighbor` from a soft clear; secrets redacted. */
  readonly warnings: readonly string[];
}

export type PortResult = Result<PortSuccess, PortFailure>;

export interface BatchOptions {
  /** `bgpd` sends the batch to bgpd alone (`vtysh -d bgpd`). Default `all`. */
  readonly target?: BatchTarget;
}

export interface FrrPort {
  /** Applies config-mode lines (with their context lines and exits) in one vtysh invocation. */
  runBatch(commands: readonly string[], options?: BatchOptions): Promise<PortResult>;
  /** Runs exec-mode commands (`clear bgp …`) in one vtysh invocation. */
  runExec(commands: readonly string[]): Promise<PortResult>;
  /** `show running-config`; `unreachable` when bgpd is not running (its part would be missing). */
  showRunning(): Promise<Result<string, PortFailure>>;
  /** Replaces the running config with `fullText` (frr-reload.py --reload). */
  reload(fullText: string): Promise<PortResult>;
  /** Atomically replaces the file FRR loads at (re)start. */
  writeConfigFile(text: string): Promise<Result<void, PortFailure>>;
}

// Makes FRR run a desired frr.conf: plans from what FRR runs, sends one batch (or frr-reload.py for
// rebuilds, and as the fallback when a batch is rejected), soft-clears where policy changed, writes
// the file FRR reloads at restart, and on request reads the running config back and repairs drift.
import { createHash } from 'node:crypto';
import { err, ok } from '../../../core/result.ts';
import type { Result } from '../../../core/result.ts';
import { batchLines } from './batch.ts';
import { ConfigReader } from './config-reader.ts';
import type { FrrConfig } from './frr-config.ts';
import type { FrrPort, PortFailure, PortResult } from './frr-port.ts';
import { noopRecorder } from './hooks.ts';
import type { ApplyFailureReason, ApplyKind, ApplyRecorder, Clock, Logger } from './hooks.ts';
import { readConfig, textForReload } from './normalise.ts';
import { planApply } from './plan.ts';
import type { ApplyPlan, Change } from './plan-model.ts';
import { redact } from './redact.ts';

export interface ApplyReport {
  /** `unchanged` when FRR already ran the desired config. */
  readonly kind: ApplyKind | 'unchanged';
  /** sha256 of the desired text (first 16 hex digits). */
  readonly hash: string;
  /** From planning to FRR's answer, soft clears included. */
  readonly ms: number;
  /** Lines of the vtysh batch (0 for unchanged and full reloads). */
  readonly commands: number;
  /** Changes that reset BGP sessions, as `context: line (why)`. */
  readonly resets: readonly string[];
  /** Set when a rejected incremental batch fell back to a full reload: FRR's messages. */
  readonly fallbackBecause?: readonly string[];
}

export interface ApplyFailure {
  readonly reason: ApplyFailureReason;
  readonly message: string;
  /** FRR's messages, secrets redacted. */
  readonly details: readonly string[];
  readonly hash: string;
}

export type ApplyOutcome = Result<ApplyReport, ApplyFailure>;

export interface VerifyReport {
  /** Whether the running config differed from the desired one. */
  readonly drifted: boolean;
  /** The changes the repair made (empty without drift). */
  readonly repaired: readonly string[];
}

export interface ApplierDeps {
  readonly port: FrrPort;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly recorder?: ApplyRecorder;
}

const LOGGED_COMMANDS = 40;

/** What #execute reports: how the plan reached FRR. */
interface Sent {
  readonly kind: ApplyKind;
  readonly commands: number;
  readonly fallbackBecause?: readonly string[];
}

export class Applier {
  readonly #d: ApplierDeps;
  readonly #recorder: ApplyRecorder;
  /** What FRR runs, normalised; undefined when unknown (start, failure, FRR restart). */
  #running: FrrConfig | undefined;
  #fileHash: string | undefined;
  /** Reads each desired text from the previous one when only a few lines changed. */
  readonly #desired = new ConfigReader();

  constructor(deps: ApplierDeps) {
    this.#d = deps;
    this.#recorder = deps.recorder ?? noopRecorder;
  }

  /** Forgets what FRR runs: the next apply plans from `show running-config`. */
  forget(): void {
    this.#running = undefined;
  }

  /** Makes FRR run `desiredText`, with as few and as cheap commands as the difference allows. */
  async apply(desiredText: string): Promise<ApplyOutcome> {
    const start = this.#d.clock.now();
    const hash = hashText(desiredText);
    const desired = this.#desired.read(desiredText);
    const running = await this.#baseline();
    if (!running.ok) return this.#fail(running.error, hash);
    const plan = planApply(running.value, desired);
    if (plan.cls === 'none') return this.#finish(desiredText, desired, { kind: 'unchanged', hash, ms: this.#d.clock.now() - start, commands: 0, resets: [] });
    const resets = plan.changes.filter((c) => c.cls !== 'incremental').map(describeChange);
    if (resets.length > 0) this.#d.logger.warn({ hash, changes: resets }, 'applying FRR changes that reset BGP sessions');
    const sent = await this.#execute(plan, desiredText, hash, start);
    if (!sent.ok) return this.#fail(sent.error, hash);
    const report: ApplyReport = { ...sent.value, hash, ms: this.#d.clock.now() - start, resets };
    this.#d.logger.info({ hash, kind: report.kind, ms: Math.round(report.ms), commands: report.commands, target: plan.target, softClears: plan.softClears.length }, 'applied FRR config');
    return this.#finish(desiredText, desired, report);
  }

  /** Reads the running config back; on drift, re-plans from it and applies the repair once. */
  async verify(desiredText: string): Promise<Result<VerifyReport, ApplyFailure>> {
    const hash = hashText(desiredText);
    const desired = this.#desired.read(desiredText);
    const before = await this.#readRunning();
    if (!before.ok) return this.#fail(before.error, hash);
    const plan = planApply(before.value, desired);
    if (plan.cls === 'none') {
      this.#running = desired;
      return ok({ drifted: false, repaired: [] });
    }
    const repaired = plan.changes.map(describeChange);
    this.#d.logger.warn({ hash, changes: repaired.slice(0, LOGGED_COMMANDS) }, 'FRR running config drifted from the desired config; repairing');
    const sent = await this.#execute(plan, desiredText, hash, this.#d.clock.now());
    if (!sent.ok) return this.#fail(sent.error, hash);
    const after = await this.#readRunning();
    if (!after.ok) return this.#fail(after.error, hash);
    const left = planApply(after.value, desired).changes.map(describeChange);
    if (left.length > 0) return this.#fail({ reason: 'drift', message: 'running config still differs after a repair', details: left.slice(0, LOGGED_COMMANDS) }, hash);
    this.#running = desired;
    const written = await this.#writeFile(desiredText, hash, true);
    return written.ok ? ok({ drifted: true, repaired }) : this.#fail(written.error, hash);
  }

  async #baseline(): Promise<Result<FrrConfig, PortFailure>> {
    return this.#running === undefined ? this.#readRunning() : ok(this.#running);
  }

  async #readRunning(): Promise<Result<FrrConfig, PortFailure>> {
    const text = await this.#d.port.showRunning();
    return text.ok ? ok(readConfig(text.value)) : text;
  }

  /** Sends a plan and records the attempt (path, time since `start`, success). */
  async #execute(plan: ApplyPlan, desiredText: string, hash: string, start: number): Promise<Result<Sent, PortFailure>> {
    const sent = await this.#send(plan, desiredText, hash);
    const kind = sent.ok ? sent.value.kind : sent.error.kind;
    this.#recorder.observeApply({ kind, seconds: (this.#d.clock.now() - start) / 1000, ok: sent.ok });
    return sent;
  }

  /** One batch, or frr-reload.py for rebuilds and for rejected batches; then soft clears. */
  async #send(plan: ApplyPlan, desiredText: string, hash: string): Promise<Result<Sent, PortFailure & { readonly kind: ApplyKind }>> {
    if (plan.cls === 'full-reload') {
      const full = await this.#reload(desiredText, hash);
      return full.ok ? ok({ kind: 'full', commands: 0 }) : err({ ...full.error, kind: 'full' });
    }
    const lines = batchLines(plan.steps);
    this.#d.logger.info({ hash, target: plan.target, lines: lines.length, commands: lines.slice(0, LOGGED_COMMANDS).map(redact) }, 'sending FRR batch');
    const batch = await this.#d.port.runBatch(lines, { target: plan.target });
    if (!batch.ok && batch.error.reason !== 'rejected') return err({ ...batch.error, kind: 'incremental' });
    let sent: Sent = { kind: 'incremental', commands: lines.length };
    if (!batch.ok) {
      this.#d.logger.warn({ hash, message: redact(batch.error.message), frr: batch.error.details.map(redact) }, 'FRR rejected the batch; falling back to a full reload');
      const full = await this.#reload(desiredText, hash);
      // The batch's messages say what is wrong with the config; frr-reload's mostly repeat them.
      if (!full.ok) return err({ ...batch.error, details: [...batch.error.details, ...full.error.details], kind: 'full' });
      sent = { kind: 'full', commands: 0, fallbackBecause: batch.error.details.map(redact) };
    }
    if (plan.softClears.length > 0) await this.#softClear(plan.softClears, hash);
    return ok(sent);
  }

  async #reload(desiredText: string, hash: string): Promise<PortResult> {
    const running = await this.#d.port.showRunning();
    this.#d.logger.info({ hash }, 'running frr-reload.py for a full reload');
    return this.#d.port.reload(running.ok ? textForReload(desiredText, running.value) : desiredText);
  }

  async #softClear(commands: readonly string[], hash: string): Promise<void> {
    const cleared = await this.#d.port.runExec(commands);
    const messages = cleared.ok ? cleared.value.warnings : [cleared.error.message, ...cleared.error.details];
    if (messages.length > 0) this.#d.logger.warn({ hash, commands, frr: messages.map(redact) }, 'soft clear reported problems');
  }

  async #finish(desiredText: string, desired: FrrConfig, report: ApplyReport): Promise<ApplyOutcome> {
    this.#running = desired;
    // Rewritten after anything was sent: FRR may have restarted from another file, and
    // frr-reload.py --overwrite writes the running config there.
    const written = await this.#writeFile(desiredText, report.hash, report.kind !== 'unchanged');
    if (!written.ok) return this.#fail(written.error, report.hash);
    this.#recorder.lastApplied?.(report.hash);
    return ok(report);
  }

  async #writeFile(desiredText: string, hash: string, always: boolean): Promise<Result<void, PortFailure>> {
    if (!always && this.#fileHash === hash) return ok(undefined);
    const written = await this.#d.port.writeConfigFile(desiredText);
    this.#fileHash = written.ok ? hash : undefined;
    return written;
  }

  #fail(failure: Pick<ApplyFailure, 'reason' | 'message' | 'details'>, hash: string): Result<never, ApplyFailure> {
    // FRR may run part of a rejected or interrupted change: plan the next one from what it runs.
    if (failure.reason !== 'io') this.#running = undefined;
    this.#recorder.failed?.(failure.reason);
    const details = failure.details.map(redact);
    this.#d.logger.error({ hash, reason: failure.reason, frr: details }, `FRR apply failed: ${redact(failure.message)}`);
    return err({ reason: failure.reason, message: redact(failure.message), details, hash });
  }
}

export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

function describeChange(change: Change): string {
  const where = change.path.length === 0 ? '' : `${change.path.join(' > ')}: `;
  const what = change.op === 'replace' ? `${change.previous ?? ''} -> ${change.line}` : `${change.op} ${change.line}`;
  return redact(`${where}${what} [${change.cls}] (${change.why})`);
}

// Step bookkeeping for the lab: each step is timed, announced when it starts and ends, and
// recorded as pass / fail / skipped with what it showed; after a failure the remaining steps are
// skipped (except those that must always run, like tearing down); after an interrupt, the next
// step fails as interrupted. The summary table and the exit status come from the records. The
// clock, the output and the signal are injected, so this is pure to test.
import { formatTable } from '../cli/table.ts';

export const stepStatuses = ['pass', 'fail', 'skipped'] as const;
export type StepStatus = (typeof stepStatuses)[number];

export type StepRecord = {
  /** Short and stable, for progress lines and tests. */
  readonly id: string;
  /** What the step shows, as the summary table names it. */
  readonly title: string;
  readonly status: StepStatus;
  /** Wall time of the step in ms (0 when skipped). */
  readonly ms: number;
  /** What the step showed, or why it failed. */
  readonly detail: string;
};

/** What a step's body may do besides returning what it showed: print live progress lines. */
export type StepContext = { readonly note: (line: string) => void };

export type StepOptions = {
  /** Runs even after an earlier step failed (clean-up). */
  readonly always?: boolean;
};

/** Milliseconds for people: `312 ms` below one second, `12.3 s` from there on. */
export function formatMs(ms: number): string {
  return ms < 1_000 ? `${Math.round(ms)} ms` : `${(ms / 1_000).toFixed(1)} s`;
}

export class StepLog {
  readonly #now: () => number;
  readonly #emit: (line: string) => void;
  readonly #signal: AbortSignal | undefined;
  readonly #records: StepRecord[] = [];

  constructor(o: { readonly now: () => number; readonly emit: (line: string) => void; readonly signal?: AbortSignal }) {
    this.#now = o.now;
    this.#emit = o.emit;
    this.#signal = o.signal;
  }

  get records(): readonly StepRecord[] {
    return this.#records;
  }

  /** True while no step has failed or been skipped. */
  get ok(): boolean {
    return this.#records.every((r) => r.status === 'pass');
  }

  /**
   * Runs `body` as step `id` unless an earlier step failed, and records the outcome: what the body
   * returns is what the step showed; what it throws is why it failed. Resolves true on a pass.
   */
  async run(id: string, title: string, body: (ctx: StepContext) => Promise<string>, options: StepOptions = {}): Promise<boolean> {
    if (!this.ok && options.always !== true) {
      this.#records.push({ id, title, status: 'skipped', ms: 0, detail: 'an earlier step failed' });
      return false;
    }
    this.#emit(`-> ${title}`);
    const start = this.#now();
    let record: StepRecord;
    try {
      if (this.#signal?.aborted === true && options.always !== true) throw new Error('interrupted');
      const detail = await body({ note: (line) => this.#emit(`   ${line}`) });
      record = { id, title, status: 'pass', ms: this.#now() - start, detail };
    } catch (error) {
      const detail = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
      record = { id, title, status: 'fail', ms: this.#now() - start, detail };
    }
    this.#records.push(record);
    this.#emit(`${record.status === 'pass' ? 'ok' : 'FAIL'} ${id} (${formatMs(record.ms)}): ${record.detail}`);
    return record.status === 'pass';
  }
}

/** The final table: every step, its result, its time and what it showed; then a total line. */
export function summaryTable(records: readonly StepRecord[]): string {
  const rows = records.map((r) => [r.title, r.status === 'pass' ? 'pass' : r.status === 'fail' ? 'FAIL' : 'skipped', r.status === 'skipped' ? '-' : formatMs(r.ms), r.detail]);
  const passed = records.filter((r) => r.status === 'pass').length;
  const total = records.reduce((sum, r) => sum + r.ms, 0);
  return `${formatTable(['STEP', 'RESULT', 'TIME', 'WHAT WAS SHOWN'], rows)}\n\n${passed} of ${records.length} steps passed in ${formatMs(total)}\n`;
}

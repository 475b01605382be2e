// The lab's record of what it created (namespaces, processes, files), kept in DIR/lab.json and
// rewritten atomically on every change, so that `barelb lab down` finds everything even after
// the process that made it was killed. A process is identified by PID and start time, so a PID
// reused by an unrelated process after a reboot is never signalled.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Tracker } from './tracker.ts';

export type ProcessEntry = {
  readonly pid: number;
  /** Start time in clock ticks since boot (/proc/PID/stat field 22), or null if unreadable. */
  readonly start: string | null;
  /** What it is: `controller`, `speaker node-2`, `frr blab-router bgpd`, … */
  readonly label: string;
};

type RecordJson = {
  readonly version: 1;
  readonly frrRoot: string;
  readonly namespaces: readonly string[];
  readonly processes: readonly ProcessEntry[];
  readonly paths: readonly string[];
};

/** State and start time from the text of /proc/PID/stat (the name may hold spaces and parentheses). */
export function parseProcStat(text: string): { readonly state: string; readonly start: string } | null {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); field 22 (starttime) is fields[19].
  const state = fields[0];
  const start = fields[19];
  return state === undefined || start === undefined || !/^\d+$/.test(start) ? null : { state, start };
}

function procStat(pid: number): { readonly state: string; readonly start: string } | null {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** True while `entry` still names the process the lab started (alive, not a zombie, same start time). */
export function isRunning(entry: ProcessEntry): boolean {
  const stat = procStat(entry.pid);
  return stat !== null && stat.state !== 'Z' && (entry.start === null || stat.start === entry.start);
}

export class LabRecord implements Tracker {
  readonly file: string;
  #data: RecordJson;

  private constructor(file: string, data: RecordJson) {
    this.file = file;
    this.#data = data;
  }

  /** A new, empty record written to `file`. */
  static create(file: string, frrRoot: string): LabRecord {
    const record = new LabRecord(file, { version: 1, frrRoot, namespaces: [], processes: [], paths: [] });
    record.#save();
    return record;
  }

  /** The record in `file`, or null when there is none; a file that is not a lab record throws. */
  static load(file: string): LabRecord | null {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
    const json = JSON.parse(text) as Partial<RecordJson>;
    if (json.version !== 1 || typeof json.frrRoot !== 'string' || !Array.isArray(json.namespaces) || !Array.isArray(json.processes) || !Array.isArray(json.paths)) {
      throw new Error(`${file} is not a barelb lab record`);
    }
    return new LabRecord(file, json as RecordJson);
  }

  get frrRoot(): string {
    return this.#data.frrRoot;
  }

  get namespaces(): readonly string[] {
    return this.#data.namespaces;
  }

  get processes(): readonly ProcessEntry[] {
    return this.#data.processes;
  }

  get paths(): readonly string[] {
    return this.#data.paths;
  }

  /** The recorded process labelled `label` (the latest, if restarted), if any. */
  process(label: string): ProcessEntry | undefined {
    return this.#data.processes.findLast((p) => p.label === label);
  }

  addNamespace(name: string): void {
    this.#update({ namespaces: [...this.#data.namespaces.filter((n) => n !== name), name] });
  }

  dropNamespace(name: string): void {
    this.#update({ namespaces: this.#data.namespaces.filter((n) => n !== name) });
  }

  addPid(pid: number): void {
    this.#update({ processes: [...this.#data.processes.filter((p) => p.pid !== pid), { pid, start: procStat(pid)?.start ?? null, label: 'process' }] });
  }

  /** Names a recorded process. */
  label(pid: number, label: string): void {
    this.#update({ processes: this.#data.processes.map((p) => (p.pid === pid ? { ...p, label } : p)) });
  }

  dropPid(pid: number): void {
    this.#update({ processes: this.#data.processes.filter((p) => p.pid !== pid) });
  }

  addPath(path: string): void {
    this.#update({ paths: [...this.#data.paths.filter((p) => p !== path), path] });
  }

  dropPath(path: string): void {
    this.#update({ paths: this.#data.paths.filter((p) => p !== path) });
  }

  #update(change: Partial<RecordJson>): void {
    this.#data = { ...this.#data, ...change };
    this.#save();
  }

  /** Synchronous and atomic (temp file, then rename): the record is right even if the next line crashes. */
  #save(): void {
    writeFileSync(`${this.file}.tmp`, `${JSON.stringify(this.#data, null, 2)}\n`, { mode: 0o600 });
    renameSync(`${this.file}.tmp`, this.file);
  }
}

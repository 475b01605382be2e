// The `barelb lab` commands: `lab` (up, demo, down), `up` (build and leave running), `demo` (on a
// running lab), `status` and `down`. Exit statuses: 0 every step passed, 1 a step failed or the
// lab is not in the state the command needs, 2 not root or tools missing, 130 interrupted.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliIO } from '../cli/io.ts';
import { demoSteps } from './demo.ts';
import { describeDown, labNamespaces, removeLab, removeLabSync } from './down.ts';
import { frrRoot } from './frr-root.ts';
import { preflight } from './host.ts';
import { labHandle } from './lab-handle.ts';
import { controllerLabel, logTail, speakerLabel } from './processes.ts';
import { LabRecord } from './record.ts';
import { statusReport } from './status.ts';
import { StepLog, summaryTable } from './steps.ts';
import { DEFAULT_LAB_DIR, NODES, labPaths, type LabPaths } from './topology.ts';
import { upSteps } from './up.ts';

export type LabCommandOptions = {
  readonly dir: string;
  readonly io: CliIO;
  readonly signal: AbortSignal;
};

/** How a user runs a lab subcommand (the README's form). */
const cmd = (sub: string, dir = DEFAULT_LAB_DIR): string => `sudo npm run lab -- ${sub}${resolve(dir) === DEFAULT_LAB_DIR ? '' : ` --dir ${resolve(dir)}`}`;

/** Checks root, tools and that no lab is running; makes the directory and its record. */
function prepare(o: LabCommandOptions): { paths: LabPaths; record: LabRecord } | number {
  const ready = preflight();
  if (!ready.ok) {
    o.io.stderr(`${ready.message}\n`);
    return 2;
  }
  const paths = labPaths(resolve(o.dir));
  const running = labNamespaces();
  if (running.length > 0) {
    o.io.stderr(`a lab is already running (namespaces ${running.join(' ')}): see \`${cmd('status', o.dir)}\`, or remove it with \`${cmd('down', o.dir)}\`\n`);
    return 1;
  }
  if (existsSync(paths.record)) removeLabSync(paths); // left by a crashed run: nothing of it runs
  if (existsSync(paths.dir) && readdirSync(paths.dir).length > 0) {
    o.io.stderr(`${paths.dir} exists and is not a lab directory: choose another with --dir\n`);
    return 1;
  }
  mkdirSync(paths.dir, { recursive: true });
  return { paths, record: LabRecord.create(paths.record, frrRoot()) };
}

function newStepLog(o: LabCommandOptions): StepLog {
  return new StepLog({ now: () => performance.now(), emit: (line) => o.io.stdout(`${line}\n`), signal: o.signal });
}

/** Log tails of barelb's processes, printed when a step failed, before `down` removes the logs. */
function diagnostics(paths: LabPaths): string {
  const labels = [controllerLabel, ...NODES.map((n) => speakerLabel(n))];
  return labels.map((l) => `--- ${l} (last lines of its log)\n${logTail(paths, l)}`).join('\n');
}

async function downStep(steps: StepLog, paths: LabPaths): Promise<void> {
  await steps.run('down', 'lab removed', async () => {
    const report = await removeLab(paths);
    const left = labNamespaces();
    if (left.length > 0) throw new Error(`namespaces still there: ${left.join(' ')}`);
    return describeDown(report);
  }, { always: true });
}

function finish(o: LabCommandOptions, steps: StepLog): number {
  o.io.stdout(`\nSUMMARY\n${summaryTable(steps.records)}`);
  if (o.signal.aborted) return 130;
  return steps.ok ? 0 : 1;
}

/** Removes the lab even when the process is ended by a second interrupt (process.exit). */
function guardExit(paths: LabPaths): () => void {
  const handler = () => void removeLabSync(paths);
  process.on('exit', handler);
  return () => void process.off('exit', handler);
}

/** `barelb lab`: up, demo, down; exit 0 only if every step passed. */
export async function labAll(o: LabCommandOptions): Promise<number> {
  const prepared = prepare(o);
  if (typeof prepared === 'number') return prepared;
  const { paths, record } = prepared;
  o.io.stdout(`barelb lab: working directory ${paths.dir}\n`);
  const release = guardExit(paths);
  const steps = newStepLog(o);
  try {
    if (await upSteps(steps, paths, record, o.signal)) await demoSteps(steps, labHandle(paths, record), o.signal);
    if (!steps.ok && !o.signal.aborted) o.io.stderr(`${diagnostics(paths)}\n`);
    await downStep(steps, paths);
  } finally {
    release();
  }
  return finish(o, steps);
}

/** `barelb lab up`: builds the lab and leaves it running (removes it again if a step failed). */
export async function labUp(o: LabCommandOptions): Promise<number> {
  const prepared = prepare(o);
  if (typeof prepared === 'number') return prepared;
  const { paths, record } = prepared;
  o.io.stdout(`barelb lab up: working directory ${paths.dir}\n`);
  const release = guardExit(paths);
  const steps = newStepLog(o);
  try {
    if (!(await upSteps(steps, paths, record, o.signal))) {
      if (!o.signal.aborted) o.io.stderr(`${diagnostics(paths)}\n`);
      await downStep(steps, paths);
      return finish(o, steps);
    }
  } finally {
    release();
  }
  const code = finish(o, steps);
  o.io.stdout([
    '',
    'The lab is running. Edit the manifests in',
    `  ${paths.manifests}`,
    'and watch the controller and the speakers follow: add a Service (with an EndpointSlice), change a pool, remove the BGPAdvertisement.',
    `  ${cmd('status', o.dir)}    what runs, allocations, sessions, routes, owners`,
    `  ${cmd('demo', o.dir)}      reach both addresses from the client, then fail the L2 owner over`,
    `  tail -f ${paths.logs}/*.log`,
    `  sudo ip netns exec ${NODES[0]?.ns ?? ''} bash    a shell on a node (the client and the router likewise)`,
    `  ${cmd('down', o.dir)}      remove everything`,
    '',
  ].join('\n'));
  return code;
}

/** Opens the lab at `dir` if it runs; otherwise says so and returns the exit status. */
function openRunning(o: LabCommandOptions): { paths: LabPaths; record: LabRecord } | number {
  if (process.getuid?.() !== 0) {
    o.io.stderr('barelb lab needs root: it reads network namespaces and FRR state. Run it with sudo.\n');
    return 2;
  }
  const paths = labPaths(resolve(o.dir));
  let record: LabRecord | null;
  try {
    record = LabRecord.load(paths.record);
  } catch (e) {
    o.io.stderr(`${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  if (record === null || labNamespaces().length === 0) {
    o.io.stderr(`no lab is running at ${paths.dir} (start one with \`${cmd('up', o.dir)}\`)\n`);
    return 1;
  }
  return { paths, record };
}

/** `barelb lab demo`: the demo steps on a running lab. */
export async function labDemo(o: LabCommandOptions): Promise<number> {
  const opened = openRunning(o);
  if (typeof opened === 'number') return opened;
  const steps = newStepLog(o);
  await demoSteps(steps, labHandle(opened.paths, opened.record), o.signal);
  return finish(o, steps);
}

/** `barelb lab status`. */
export async function labStatus(o: LabCommandOptions): Promise<number> {
  const opened = openRunning(o);
  if (typeof opened === 'number') return opened;
  o.io.stdout(await statusReport(labHandle(opened.paths, opened.record), labNamespaces()));
  return 0;
}

/** `barelb lab down`: removes the lab at `dir` and anything named blab-*, running or crashed. */
export async function labDown(o: LabCommandOptions): Promise<number> {
  if (process.getuid?.() !== 0) {
    o.io.stderr('barelb lab down needs root: it deletes network namespaces and stops processes. Run it with sudo.\n');
    return 2;
  }
  const report = await removeLab(labPaths(resolve(o.dir)));
  const left = labNamespaces();
  o.io.stdout(`${describeDown(report)}${report.namespaces.length > 0 ? ` (${report.namespaces.join(' ')})` : ''}\n`);
  if (left.length > 0) {
    o.io.stderr(`still there: ${left.join(' ')}\n`);
    return 1;
  }
  return 0;
}

// bench/k8s-scale/speaker-ab.ts: the speaker's start at N Services, over and over, against one
// kept control plane, comparing builds or node flags in alternation.
//
//   sudo node bench/k8s-scale/speaker-ab.ts [--services 10000] [--rounds 3] [--variant SPEC]... [--serve DIR]
//
// run.ts measures the speaker once per ~5 minutes (most of it creating the Services). A memory
// change of a few MB is smaller than the run-to-run spread of the speaker's peak (~±6 MB at 10 000),
// so judging one needs many runs of each side, interleaved so a drift of the machine hits both
// sides alike. This script creates the Services once (and lets the controller allocate them), then
// starts a speaker for each variant in turn, each with a fresh FRR, exactly as run.ts starts one,
// and reads its peak RSS (VmHWM) when FRR holds all N networks, as run.ts does. Between runs the
// ServiceBGPStatus objects the last speaker wrote are deleted, so every start writes all of them,
// as the first start on a cluster does.
//
// SPEC is `LABEL=ENTRY` or `LABEL=ENTRY=FLAGS`: ENTRY a built barelb.js (empty: dist/bin/barelb.js,
// built first), FLAGS space-separated node flags added after the image's, or NAME=VALUE words
// added to the image's environment (MALLOC_MMAP_THRESHOLD_=131072). Default: one variant,
// `image=`. --settle S (default 10): the peak is read again S seconds after FRR holds all, while the
// status objects are still being written. Every run also samples RSS (anonymous and file-backed) every 20 ms: the report gives
// when the peak came (ms after start) and the last log message before it.
//
// --serve DIR keeps the cluster after the rounds and takes more work from DIR, so that the ~5
// minutes of creating the Services are spent once per session: each DIR/NAME.job (first line
// `rounds R`, then one SPEC per line) is run like the command line's variants, its summary written
// to DIR/NAME.result.json and the job file removed; DIR/stop ends the script. Every run's log (GC
// traces included, with --trace-gc among the FLAGS) and RSS samples go to DIR/logs/.

import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, hostname } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { kubeClient, type KubeClient } from '../../src/k8s/client.ts';
import { startControlPlane } from '../../e2e/cluster/control-plane.ts';
import { installCrds } from '../../e2e/k8s/crds-helpers.ts';
import { BarelbProcess, imageRuntime } from '../../e2e/harness/barelb.ts';
import { Teardown } from '../../e2e/harness/cleanup.ts';
import { FrrInstance } from '../../e2e/harness/frr.ts';
import { ensureFrrRoot, frrRoot } from '../../e2e/harness/frr-root.ts';
import { buildLan, type LanNode } from '../../e2e/harness/lan.ts';
import { CONTROLLER_METRICS, NS, SPEAKER_METRICS, SYSTEM, countAllocated, createServices, createSpeakerObjects, logger, peakRssMb, pool, sleep, waitReady } from './fixtures.ts';

const { values } = parseArgs({
  options: {
    services: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '3' },
    variant: { type: 'string', multiple: true, default: ['image='] },
    concurrency: { type: 'string', default: '32' },
    serve: { type: 'string' },
    settle: { type: 'string', default: '10' },
  },
});
const N = Number(values.services);
const ROUNDS = Number(values.rounds);
const log = logger('speaker-ab');

type Variant = { readonly label: string; readonly entry: string | undefined; readonly flags: readonly string[]; readonly env: Readonly<Record<string, string>> };

function parseVariant(spec: string): Variant {
  // Split at the first two '=' only: a flag may hold one (--import=FILE).
  const [, label, entry = '', flags = ''] = /^([^=]*)(?:=([^=]*)(?:=(.*))?)?$/.exec(spec) ?? [];
  if (label === undefined || label === '') throw new Error(`--variant ${spec}: expected LABEL=ENTRY[=FLAGS]`);
  const words = flags.split(' ').filter((f) => f !== '');
  const isEnv = (w: string) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(w);
  const env = Object.fromEntries(words.filter(isEnv).map((w) => [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)]));
  return { label, entry: entry === '' ? undefined : entry, flags: words.filter((w) => !isEnv(w)), env };
}

type Sample = { readonly ms: number; readonly rss: number; readonly anon: number; readonly file: number };

function sample(pid: number, t0: number): Sample | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(text)?.[1] ?? Number.NaN);
  return { ms: Math.round(performance.now() - t0), rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile') };
}

type RunResult = {
  readonly variant: string;
  readonly round: number;
  readonly peakRssMb: number;
  readonly peakAtMs: number;
  readonly anonAtPeakMb: number;
  readonly fileAtPeakMb: number;
  readonly allInFrrMs: number;
  readonly peakRssMbAfterSettle: number;
  readonly lastLogBeforePeak: string;
};

/** --serve: the run's log (GC traces too, with --trace-gc), RSS samples and smaps (the mappings
 * behind the RSS, which stays near its peak once reached: V8's heap pages vs malloc vs the binary). */
function keepRunFiles(dir: string, name: string, speaker: BarelbProcess, samples: readonly Sample[]): void {
  mkdirSync(dir, { recursive: true });
  // Read and written, not copied: copy_file_range on a /proc file copies nothing.
  writeFileSync(join(dir, `${name}.smaps`), readFileSync(`/proc/${speaker.pid}/smaps`));
  copyFileSync(speaker.logPath, join(dir, `${name}.log`));
  writeFileSync(join(dir, `${name}.samples.tsv`), `ms\trss_kb\tanon_kb\tfile_kb\n${samples.map((x) => `${x.ms}\t${x.rss}\t${x.anon}\t${x.file}`).join('\n')}\n`);
}

/** The image's node flags and environment (imageRuntime), read once dist/ is built. */
let image: ReturnType<typeof imageRuntime>;

async function runOnce(api: KubeClient, node: LanNode, variant: Variant, round: number, teardown: Teardown): Promise<RunResult> {
  const frr = await FrrInstance.start({ netns: node.ns, config: 'frr defaults traditional\n', daemons: [] });
  try {
    const inNs = ['ip', 'netns', 'exec', node.ns.name, 'chroot', frrRoot()];
    const t0 = performance.now();
    const startedAt = Date.now();
    const speaker = BarelbProcess.start([
      'speaker', '--kubeconfig', kubeconfigPath, '--namespace', SYSTEM, '--node', 'node-1', '--no-l2',
      '--vtysh', [...inNs, '/usr/bin/vtysh'].join(' '), '--frr-reload', [...inNs, '/usr/lib/frr/frr-reload.py'].join(' '),
      '--frr-root', frrRoot(), '--frr-pathspace', frr.name, '--metrics-address', SPEAKER_METRICS,
    ], { label: `speaker-${variant.label}`, built: true, ...(variant.entry === undefined ? {} : { entry: variant.entry }), nodeArgs: [...image.nodeArgs, ...variant.flags], env: { ...image.env, ...variant.env } });
    const stopSpeaker = async () => void (await speaker.stop());
    teardown.defer(stopSpeaker);
    const samples: Sample[] = [];
    const timer = setInterval(() => {
      const s = sample(speaker.pid, t0);
      if (s !== null) samples.push(s);
    }, 20);
    try {
      await waitReady(SPEAKER_METRICS, 600_000, () => speaker.exited);
      const countNetworks = async () => (await frr.vtysh(['-c', 'show running-config'])).stdout.split('\n').filter((l) => l.trim().startsWith('network 2001:db8:1:')).length;
      let networks = await countNetworks();
      for (let i = 0; i < 300 && networks < N; i++) {
        await sleep(1000);
        networks = await countNetworks();
      }
      if (networks < N) throw new Error(`${variant.label}: FRR holds ${networks} of ${N} networks after 300 s\n${speaker.logTail(15)}`);
      const allInFrrMs = performance.now() - t0;
      const peak = peakRssMb(speaker.pid);
      await sleep(Number(values.settle) * 1000);
      const after = peakRssMb(speaker.pid);
      clearInterval(timer);
      const top = samples.reduce((a, b) => (b.rss > a.rss ? b : a), { ms: 0, rss: 0, anon: 0, file: 0 });
      if (values.serve !== undefined) keepRunFiles(join(values.serve, 'logs'), `${variant.label}-${round}`, speaker, samples);
      const at = (l: Record<string, unknown>) => Date.parse(String(l['time'])) - startedAt;
      const last = speaker.logLines().filter((l) => at(l) <= top.ms).at(-1);
      return {
        variant: variant.label,
        round,
        peakRssMb: peak,
        peakAtMs: top.ms,
        anonAtPeakMb: Math.round(top.anon / 1024),
        fileAtPeakMb: Math.round(top.file / 1024),
        allInFrrMs: Math.round(allInFrrMs),
        peakRssMbAfterSettle: after,
        lastLogBeforePeak: last === undefined ? '' : `${String(last['msg'])} (+${at(last)} ms)`,
      };
    } finally {
      clearInterval(timer);
      await stopSpeaker();
    }
  } finally {
    await frr.stop();
    // The next start writes every status object again, as a first start does.
    await api.delete(`/apis/barelb.io/v1beta1/namespaces/${SYSTEM}/servicebgpstatuses`);
    for (let i = 0; i < 120; i++) {
      if ((await api.list(`/apis/barelb.io/v1beta1/namespaces/${SYSTEM}/servicebgpstatuses`)).items.length === 0) break;
      await sleep(500);
    }
  }
}

let kubeconfigPath = '';

async function runRounds(api: KubeClient, node: LanNode, variants: readonly Variant[], rounds: number, teardown: Teardown): Promise<RunResult[]> {
  const runs: RunResult[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const variant of variants) {
      const r = await runOnce(api, node, variant, round, teardown);
      runs.push(r);
      log(`round ${round} ${r.variant}: peak ${r.peakRssMb} MB (anon ${r.anonAtPeakMb} + file ${r.fileAtPeakMb} at +${r.peakAtMs} ms, after "${r.lastLogBeforePeak}"); all in FRR at ${r.allInFrrMs} ms; ${r.peakRssMbAfterSettle} MB ${values.settle} s later`);
    }
  }
  for (const s of summarize(variants, runs)) log(`${s.variant}: peaks ${s.peaks.join(', ')} MB (mean ${s.mean}, ${s.min}-${s.max}); ${values.settle} s later ${s.after.join(', ')} MB (mean ${s.afterMean})`);
  return runs;
}

function summarize(variants: readonly Variant[], runs: readonly RunResult[]) {
  const mean = (xs: readonly number[]) => +(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)).toFixed(1);
  return variants.map((v) => {
    const mine = runs.filter((r) => r.variant === v.label);
    const peaks = mine.map((r) => r.peakRssMb);
    const after = mine.map((r) => r.peakRssMbAfterSettle);
    return { variant: v.label, entry: v.entry ?? 'dist/bin/barelb.js', flags: [...v.flags, ...Object.entries(v.env).map(([k, x]) => `${k}=${x}`)].join(' '), peaks, mean: mean(peaks), min: Math.min(...peaks), max: Math.max(...peaks), after, afterMean: mean(after) };
  });
}

/** --serve: runs DIR/*.job files until DIR/stop appears. */
async function serve(dir: string, api: KubeClient, node: LanNode, teardown: Teardown): Promise<void> {
  mkdirSync(dir, { recursive: true });
  log(`serving jobs from ${dir} (write NAME.job: "rounds R" then one LABEL=ENTRY[=FLAGS] per line; touch ${dir}/stop to end)`);
  while (!existsSync(join(dir, 'stop'))) {
    const job = readdirSync(dir).filter((f) => f.endsWith('.job')).sort()[0];
    if (job === undefined) {
      await sleep(1000);
      continue;
    }
    const lines = readFileSync(join(dir, job), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
    rmSync(join(dir, job));
    const rounds = Number(/^rounds\s+(\d+)$/.exec(lines[0] ?? '')?.[1] ?? '3');
    const variants = lines.filter((l) => !l.startsWith('rounds')).map(parseVariant);
    log(`job ${job}: ${rounds} rounds of ${variants.map((v) => v.label).join(', ')}`);
    try {
      const runs = await runRounds(api, node, variants, rounds, teardown);
      writeFileSync(join(dir, job.replace(/\.job$/, '.result.json')), `${JSON.stringify({ date: new Date().toISOString(), summary: summarize(variants, runs), runs }, null, 2)}\n`);
    } catch (e) {
      log(`job ${job} failed: ${String(e)}`);
      writeFileSync(join(dir, job.replace(/\.job$/, '.result.json')), `${JSON.stringify({ error: String(e) })}\n`);
    }
  }
  rmSync(join(dir, 'stop'));
}

async function main(): Promise<void> {
  const variants = (values.variant ?? []).map(parseVariant);
  log('building dist/ (npm run build), as the image does');
  execFileSync(process.execPath, [join(import.meta.dirname, '../../node_modules/typescript/bin/tsc'), '-p', join(import.meta.dirname, '../../tsconfig.build.json')], { stdio: 'inherit' });
  image = imageRuntime();
  const teardown = new Teardown();
  process.once('SIGINT', () => void teardown.run().finally(() => process.exit(130)));
  const runs: RunResult[] = [];
  try {
    const cp = await startControlPlane();
    teardown.defer(() => cp.stop());
    kubeconfigPath = cp.kubeconfigPath;
    const api = kubeClient(cp.kubeConfig);
    await installCrds(cp.kubeConfig);
    for (const ns of [SYSTEM, NS]) await api.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await api.create(`/apis/barelb.io/v1beta1/namespaces/${SYSTEM}/ipaddresspools`, pool());
    const controller = BarelbProcess.start(['controller', '--kubeconfig', cp.kubeconfigPath, '--namespace', SYSTEM, '--no-leader-elect', '--metrics-address', CONTROLLER_METRICS], { label: 'controller', ...image });
    teardown.defer(async () => void (await controller.stop()));
    await waitReady(CONTROLLER_METRICS, 60_000);
    const t0 = performance.now();
    log(`creating ${N} Services`);
    await createServices(api, N, Number(values.concurrency), (created) => log(`  created ${created}/${N} (${((performance.now() - t0) / 1000).toFixed(1)} s)`));
    let allocated = 0;
    for (let i = 0; i < 600 && allocated < N; i++) {
      allocated = await countAllocated(api);
      if (allocated < N) await sleep(1000);
    }
    if (allocated < N) throw new Error(`only ${allocated} of ${N} Services have an address`);
    await controller.stop();
    await ensureFrrRoot();
    const lan = await buildLan(1);
    teardown.defer(() => lan.destroy());
    const node = lan.nodes[0];
    if (node === undefined) throw new Error('no node');
    await createSpeakerObjects(api);
    runs.push(...(await runRounds(api, node, variants, ROUNDS, teardown)));
    if (values.serve !== undefined) await serve(values.serve, api, node, teardown);
  } finally {
    await teardown.run();
  }
  const summary = summarize(variants, runs);
  const dir = join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `ab-${new Date().toISOString().slice(0, 16).replace(':', '-')}-${N}.json`);
  writeFileSync(file, `${JSON.stringify({ services: N, machine: { host: hostname(), cpu: cpus()[0]?.model, cores: cpus().length }, date: new Date().toISOString(), node: process.version, summary, runs }, null, 2)}\n`);
  log(`results: ${file}`);
}

await main();

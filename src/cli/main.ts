// The `barelb` command line: argument parsing (commander) and dispatch to commands.
// Exit statuses: 0 success, 1 the input is invalid, 2 usage error.
//
// Only the command line is defined up front; each command's implementation is imported when its
// action runs. A long-running controller or speaker then never holds the lab, migrate, explain or
// render code (and their dependencies) in memory; src/cli/lazy-imports.test.ts keeps it so.

import { Command, CommanderError, Option } from 'commander';
import type { CliIO } from './io.ts';
import { addRenderCommand } from './render-command.ts';
import { addExplainCommand } from './explain-command.ts';
import { addMigrateCommand } from './migrate-command.ts';
import { addLabCommand } from './lab-command.ts';
import type { SpeakerProtocolOptions } from './speaker-handlers.ts';
import { addBgpFlags, defaultHostname, type BgpFlags } from './speaker-bgp-flags.ts';
import { addL2Flags, type L2Flags } from './speaker-l2-flags.ts';
import { logLevels, type LogLevel } from '../log/logger.ts';
import { collect } from './flag-parsers.ts';

export type CliContext = { readonly io: CliIO; readonly signal: AbortSignal };

function buildProgram({ io, signal }: CliContext, setResult: (p: Promise<number>) => void): Command {
  const program = new Command('barelb')
    .description('Load balancer for bare-metal Kubernetes')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError();
  program
    .command('plan')
    .description('Validate manifests and show which Service gets which address')
    .requiredOption('-f, --file <path>', 'manifest file or directory (YAML or JSON; repeatable)', collect)
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--lb-class <name>', 'only handle Services of this loadBalancerClass (default: Services without a class)')
    .action((opts: { file: string[]; output: 'table' | 'json'; lbClass?: string }) => {
      setResult(import('./plan.ts').then(({ runPlan }) => runPlan({ files: opts.file, output: opts.output, loadBalancerClass: opts.lbClass ?? null }, io)));
    });
  program
    .command('controller')
    .description('Run the controller: allocate addresses and record them (Kubernetes: Service status; local mode: DIR/.barelb/state.json)')
    .option('--local <dir>', 'local mode: read manifests from this directory instead of the Kubernetes API')
    .option('--kubeconfig <path>', 'Kubernetes: kubeconfig file (default: $KUBECONFIG, ~/.kube/config, or in-cluster)')
    .option('--namespace <ns>', 'Kubernetes: namespace of the barelb.io objects, Secrets and the Lease', 'barelb-system')
    .option('--no-leader-elect', 'Kubernetes: do not campaign on the Lease (only for a single replica)')
    .option('--lease-name <name>', 'Kubernetes: the Lease replicas campaign on', 'barelb-controller')
    .option('--identity <id>', 'Kubernetes: this replica in the Lease and in Events (default: $POD_NAME or HOST-PID)')
    .addOption(new Option('--log-level <level>', 'log level').choices(logLevels).default('info'))
    .option('--metrics-address <host:port>', 'serve /metrics, /healthz and /readyz here')
    .option('--lb-class <name>', 'only handle Services of this loadBalancerClass')
    .action(async (opts: { local?: string; kubeconfig?: string; namespace: string; leaderElect: boolean; leaseName: string; identity?: string; logLevel: LogLevel; metricsAddress?: string; lbClass?: string }) => {
      const { defaultIdentity, runController } = await import('./controller-command.ts');
      const kubernetes = { kubeconfig: opts.kubeconfig ?? null, namespace: opts.namespace, leaderElect: opts.leaderElect, leaseName: opts.leaseName, identity: opts.identity ?? defaultIdentity() };
      setResult(runController({ local: opts.local ?? null, kubernetes, logLevel: opts.logLevel, metricsAddress: opts.metricsAddress ?? null, loadBalancerClass: opts.lbClass ?? null, signal }));
    });
  addRenderCommand(program, io, setResult);
  addExplainCommand(program, io, setResult);
  addMigrateCommand(program, io, setResult);
  addLabCommand(program, io, setResult, signal);
  const speaker = program
    .command('speaker')
    .description("Run one node's speaker: announce this node's Service addresses over BGP (FRR) and/or L2 (ARP/NDP)")
    .option('--local <dir>', 'local mode: read manifests and the controller state from this directory instead of the Kubernetes API')
    .option('--kubeconfig <path>', 'Kubernetes: kubeconfig file (default: $KUBECONFIG, ~/.kube/config, or in-cluster)')
    .option('--namespace <ns>', 'Kubernetes: namespace of the barelb.io objects and Secrets', 'barelb-system')
    .requiredOption('--node <name>', 'the Node this speaker runs on')
    .addOption(new Option('--log-level <level>', 'log level').choices(logLevels).default('info'))
    .option('--metrics-address <host:port>', 'serve /metrics, /healthz and /readyz here')
    .option('--lb-class <name>', 'only announce Services of this loadBalancerClass (default: Services without a class), as the controller\'s --lb-class')
    .option('--no-l2', 'do not answer ARP/NDP');
  addL2Flags(addBgpFlags(speaker, defaultHostname())).action(async (opts: { local?: string; kubeconfig?: string; namespace: string; node: string; logLevel: LogLevel; metricsAddress?: string; lbClass?: string; bgp: boolean; l2: boolean } & BgpFlags & L2Flags) => {
    const bgp = opts.bgp ? (await import('./speaker-bgp.ts')).bgpOptionsFromFlags(opts, opts.logLevel) : null;
    const l2 = opts.l2 ? await (await import('./speaker-l2.ts')).l2OptionsFromFlags(opts) : null;
    if ((bgp !== null && !bgp.ok) || (l2 !== null && !l2.ok)) {
      const usage = [bgp, l2].flatMap((r) => (r !== null && !r.ok ? [r.error] : []));
      io.stderr(usage.map((u) => `error: ${u}\n`).join(''));
      setResult(Promise.resolve(2));
      return;
    }
    const protocols: SpeakerProtocolOptions = {
      bgp: bgp === null ? { enabled: false } : { enabled: true, ...bgp.value },
      l2: l2 === null ? { enabled: false } : { enabled: true, ...l2.value },
    };
    const { runSpeaker } = await import('./speaker-command.ts');
    setResult(runSpeaker({ local: opts.local ?? null, kubeconfig: opts.kubeconfig ?? null, namespace: opts.namespace, node: opts.node, logLevel: opts.logLevel, metricsAddress: opts.metricsAddress ?? null, loadBalancerClass: opts.lbClass ?? null, protocols, signal }));
  });
  return program;
}

export async function runCli(argv: readonly string[], io: CliIO, signal: AbortSignal = new AbortController().signal): Promise<number> {
  let result: Promise<number> = Promise.resolve(0);
  const program = buildProgram({ io, signal }, (p) => (result = p));
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are successful exits; everything else commander reports is a usage error.
      return e.exitCode === 0 ? 0 : 2;
    }
    throw e;
  }
  if (argv.length === 0) {
    io.stderr(program.helpInformation());
    return 2;
  }
  return result;
}

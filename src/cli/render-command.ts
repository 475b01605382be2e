// Registers `barelb render` on the command line (flags -> RenderCliOptions). render.ts, and with
// it the FRR templates, loads only when the command runs, so other barelb processes never hold it.

import { Option, type Command } from 'commander';
import { speakerLogLevels, type SpeakerLogLevel } from '../speaker/bgp/log-level.ts';
import type { CliIO } from './io.ts';
import { collect } from './flag-parsers.ts';

type RenderFlags = {
  file: string[];
  node: string;
  hostname?: string;
  logLevel: SpeakerLogLevel;
  frrLogLevel?: string;
  extraConfig?: string;
  ignoreExcludeLb?: boolean;
  lbClass?: string;
};

export function addRenderCommand(program: Command, io: CliIO, setResult: (p: Promise<number>) => void): void {
  program
    .command('render')
    .description("Print the frr.conf a node's speaker would give FRR, from manifests alone")
    .requiredOption('-f, --file <path>', 'manifest file or directory (YAML or JSON; repeatable)', collect)
    .requiredOption('--node <name>', 'the node to render for (a node missing from the manifests has no labels)')
    .option('--hostname <name>', 'the hostname line (default: the node name)')
    .addOption(new Option('--log-level <level>', "the speaker's log level, mapped to FRR's").choices([...speakerLogLevels]).default('info'))
    .option('--frr-log-level <level>', "an FRR log level that wins over --log-level (MetalLB's FRR_LOGGING_LEVEL)")
    .option('--extra-config <path>', 'raw FRR config appended at the end (MetalLB bgpextras)')
    .option('--ignore-exclude-lb', 'announce from nodes labeled node.kubernetes.io/exclude-from-external-load-balancers')
    .option('--lb-class <name>', 'only handle Services of this loadBalancerClass (default: Services without a class)')
    .action((o: RenderFlags) => {
      const options = {
        files: o.file,
        node: o.node,
        hostname: o.hostname ?? null,
        logLevel: o.logLevel,
        frrLogLevel: o.frrLogLevel ?? null,
        extraConfigFile: o.extraConfig ?? null,
        ignoreExcludeLB: o.ignoreExcludeLb === true,
        loadBalancerClass: o.lbClass ?? null,
      };
      setResult(import('./render.ts').then(({ runRender }) => runRender(options, io)));
    });
}

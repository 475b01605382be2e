// Registers `barelb explain` on the command line (flags -> ExplainOptions). explain.ts, and with it
// src/explain and the Kubernetes client, loads only when the command runs, so other barelb
// processes never hold it.

import { Option, type Command } from 'commander';
import type { ExplainOptions } from './explain.ts';
import type { CliIO } from './io.ts';
import { collect } from './flag-parsers.ts';

type ExplainFlags = { file?: string[]; kubeconfig?: string; namespace: string; output: 'text' | 'json'; lbClass?: string; ignoreExcludeLb?: boolean };

export function addExplainCommand(program: Command, io: CliIO, setResult: (p: Promise<number>) => void): void {
  program
    .command('explain')
    .description('Tell the whole story of one Service: pools considered, its address, who announces it and why (or why not)')
    .argument('<service>', 'the Service, as NAMESPACE/NAME')
    .option('-f, --file <path>', 'local mode: manifest file or directory (repeatable); DIR/.barelb/state.json is read when present', collect)
    .option('--kubeconfig <path>', 'Kubernetes: kubeconfig file (default: $KUBECONFIG, ~/.kube/config, or in-cluster)')
    .option('--namespace <ns>', 'Kubernetes: namespace of the barelb.io objects and Secrets', 'barelb-system')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--lb-class <name>', 'the loadBalancerClass the controller handles (default: Services without a class)')
    .option('--ignore-exclude-lb', 'as the speakers\' flag: nodes labeled exclude-from-external-load-balancers still announce')
    .action((service: string, f: ExplainFlags) => {
      const options: ExplainOptions = {
        service,
        files: f.file ?? [],
        kubeconfig: f.kubeconfig ?? null,
        namespace: f.namespace,
        output: f.output,
        loadBalancerClass: f.lbClass ?? null,
        ignoreExcludeLB: f.ignoreExcludeLb === true,
      };
      setResult(import('./explain.ts').then(({ runExplain }) => runExplain(options, io)));
    });
}

// Registers `barelb migrate` on the command line (flags -> MigrateOptions). migrate.ts, and with it
// src/migrate, loads only when the command runs, so other barelb processes never hold it.

import { Option, type Command } from 'commander';
import type { CliIO } from './io.ts';
import type { MigrateOptions } from './migrate.ts';
import { collect } from './flag-parsers.ts';

type MigrateFlags = { file: string[]; output?: string; namespace?: string; format: 'text' | 'json' };

export function addMigrateCommand(program: Command, io: CliIO, setResult: (p: Promise<number>) => void): void {
  program
    .command('migrate')
    .description("Convert MetalLB manifests (metallb.io resources, the legacy ConfigMap, Service annotations) into barelb's")
    .requiredOption('-f, --file <path>', 'MetalLB manifest file or directory (YAML or JSON; repeatable)', collect)
    .option('-o, --output <file>', 'write the barelb manifests to this file (default: standard output)')
    .option('--namespace <name>', 'namespace for the configuration objects and the Secrets their peers use (default: barelb-system)')
    .addOption(new Option('--format <format>', 'format of the report on standard error').choices(['text', 'json']).default('text'))
    .action((o: MigrateFlags) => {
      const options: MigrateOptions = { files: o.file, output: o.output ?? null, namespace: o.namespace ?? null, format: o.format };
      setResult(import('./migrate.ts').then(({ runMigrate }) => runMigrate(options, io)));
    });
}

// Registers `barelb lab [up|demo|status|down]` on the command line (see src/lab/lab.ts and
// docs/lab.md). Every subcommand takes --dir, the lab's working directory.

import type { Command } from 'commander';
import { labAll, labDemo, labDown, labStatus, labUp, type LabCommandOptions } from '../lab/lab.ts';
import { DEFAULT_LAB_DIR } from '../lab/topology.ts';
import type { CliIO } from './io.ts';

const DIR_HELP = `the lab's working directory: its manifests, logs and record (default ${DEFAULT_LAB_DIR})`;

type Run = (o: LabCommandOptions) => Promise<number>;

export function addLabCommand(program: Command, io: CliIO, setResult: (p: Promise<number>) => void, signal: AbortSignal): void {
  const action = (run: Run) => (opts: { dir?: string }, cmd: Command) => {
    const dir = opts.dir ?? (cmd.optsWithGlobals() as { dir?: string }).dir ?? DEFAULT_LAB_DIR;
    setResult(run({ dir, io, signal }));
  };
  const lab = program
    .command('lab')
    .description('Show barelb at work in network namespaces (needs root): an FRR router, three nodes with FRR and a speaker, a client. Alone: up, demo, down')
    .option('--dir <path>', DIR_HELP)
    .action(action(labAll));
  const sub = (name: string, description: string, run: Run) =>
    lab.command(name).description(description).option('--dir <path>', DIR_HELP).action(action(run));
  sub('up', 'Build the lab and leave it running (edit its manifests and watch)', labUp);
  sub('demo', 'On a running lab: reach both Service addresses from the client, then fail the L2 owner over', labDemo);
  sub('status', 'What runs in the lab: allocations, BGP sessions and routes at the router, L2 owners', labStatus);
  sub('down', 'Remove everything the lab created, also after a crash', labDown);
}

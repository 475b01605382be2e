// Registers `barelb lab [up|demo|status|down]` on the command line (see src/lab/lab.ts and
// docs/lab.md). Every subcommand takes --dir, the lab's working directory. The lab, and with it
// its process and FRR drivers, loads only when a lab command runs.

import type { Command } from 'commander';
import type * as Lab from '../lab/lab.ts';
import type { CliIO } from './io.ts';
import { DEFAULT_LAB_DIR } from './lab-dir.ts';

const DIR_HELP = `the lab's working directory: its manifests, logs and record (default ${DEFAULT_LAB_DIR})`;

type Run = (o: Lab.LabCommandOptions) => Promise<number>;
/** The subcommand's function, out of the lab module once it is loaded. */
type Which = (lab: typeof Lab) => Run;

export function addLabCommand(program: Command, io: CliIO, setResult: (p: Promise<number>) => void, signal: AbortSignal): void {
  const action = (which: Which) => (opts: { dir?: string }, cmd: Command) => {
    const dir = opts.dir ?? (cmd.optsWithGlobals() as { dir?: string }).dir ?? DEFAULT_LAB_DIR;
    setResult(import('../lab/lab.ts').then((lab) => which(lab)({ dir, io, signal })));
  };
  const lab = program
    .command('lab')
    .description('Show barelb at work in network namespaces (needs root): an FRR router, three nodes with FRR and a speaker, a client. Alone: up, demo, down')
    .option('--dir <path>', DIR_HELP)
    .action(action((l) => l.labAll));
  const sub = (name: string, description: string, which: Which) =>
    lab.command(name).description(description).option('--dir <path>', DIR_HELP).action(action(which));
  sub('up', 'Build the lab and leave it running (edit its manifests and watch)', (l) => l.labUp);
  sub('demo', 'On a running lab: reach both Service addresses from the client, then fail the L2 owner over', (l) => l.labDemo);
  sub('status', 'What runs in the lab: allocations, BGP sessions and routes at the router, L2 owners', (l) => l.labStatus);
  sub('down', 'Remove everything the lab created, also after a crash', (l) => l.labDown);
}

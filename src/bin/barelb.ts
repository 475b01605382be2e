#!/usr/bin/env node
// Process entry point for the `barelb` command: wiring only.

import { runCli } from '../cli/main.ts';

const io = {
  stdout: (text: string) => void process.stdout.write(text),
  stderr: (text: string) => void process.stderr.write(text),
};

// SIGTERM/SIGINT end long-running commands cleanly (they watch the signal); a second one forces.
const stop = new AbortController();
for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.on(sig, () => {
    if (stop.signal.aborted) process.exit(130);
    stop.abort();
  });
}

runCli(process.argv.slice(2), io, stop.signal).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // A kubeconfig that cannot be used is the operator's to fix: its message names the file and field.
    if (e instanceof Error && e.name === 'KubeConfigError') {
      process.stderr.write(`barelb: ${e.message}\n`);
      process.exitCode = 1;
      return;
    }
    process.stderr.write(`barelb: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 70;
  },
);

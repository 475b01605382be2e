// The lab's long-running processes: barelb's controller and speakers and a UDP echo server per
// node, each started detached inside a lab namespace (it outlives `barelb lab up`), logging to
// DIR/logs, recorded by PID and start time, and stopped by that PID only.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { frrRoot } from './frr-root.ts';
import type { Netns } from './netns.ts';
import { isRunning, type LabRecord, type ProcessEntry } from './record.ts';
import { LAB_PREFIX, METRICS_ADDRESS, type LabNode, type LabPaths } from './topology.ts';
import { ECHO_CHILD, ECHO_PORT } from './udp-echo.ts';
import { waitFor } from './wait.ts';

// The entry beside this module: barelb.ts from the sources, barelb.js from the build (dist/).
const BARELB = fileURLToPath(new URL(`../bin/barelb.${import.meta.url.endsWith('.js') ? 'js' : 'ts'}`, import.meta.url));

export const controllerLabel = 'controller';
export const speakerLabel = (node: LabNode): string => `speaker ${node.name}`;
export const echoLabel = (node: LabNode): string => `echo ${node.name}`;
export const logFile = (paths: LabPaths, label: string): string => join(paths.logs, `${label.replaceAll(' ', '-')}.log`);

/** Starts `argv` inside `ns` in its own session with stdout and stderr to its log; returns the PID. */
export function startDetached(ns: Netns, argv: readonly string[], label: string, paths: LabPaths, record: LabRecord): number {
  const log = openSync(logFile(paths, label), 'a');
  let pid: number | undefined;
  try {
    // BARELB_LAB_DIR marks the process as the lab's (`grep -l` in /proc/*/environ finds them all).
    const env = { ...process.env, LC_ALL: 'C', BARELB_LAB_DIR: paths.dir };
    const child = spawn('ip', ['netns', 'exec', ns.name, ...argv], { stdio: ['ignore', log, log], detached: true, env });
    child.on('error', () => undefined);
    child.unref();
    pid = child.pid;
  } finally {
    closeSync(log);
  }
  if (pid === undefined) throw new Error(`could not start ${label} (is iproute2 installed?)`);
  record.addPid(pid);
  record.label(pid, label);
  return pid;
}

/** The chroot directory (as FRR sees it) where a node's speaker writes vtysh batch files. */
export const scratchDir = (node: LabNode): string => `/tmp/${LAB_PREFIX}${node.name}`;

export function controllerArgs(paths: LabPaths): string[] {
  return [process.execPath, BARELB, 'controller', '--local', paths.manifests, '--log-level', 'info'];
}

/** BGP through the node's FRR in the chroot (pathspace = the namespace), and L2 on its interfaces. */
export function speakerArgs(node: LabNode, paths: LabPaths): string[] {
  const root = frrRoot();
  return [
    process.execPath, BARELB, 'speaker', '--local', paths.manifests, '--node', node.name, '--hostname', node.name, '--log-level', 'info',
    '--metrics-address', METRICS_ADDRESS, '--heartbeat-key-file', paths.heartbeatKey,
    '--vtysh', `chroot ${root} /usr/bin/vtysh`, '--frr-reload', `chroot ${root} /usr/lib/frr/frr-reload.py`,
    '--frr-root', root, '--frr-pathspace', node.ns, '--frr-scratch-dir', scratchDir(node), '--frr-poll-interval', '500',
  ];
}

export function echoArgs(node: LabNode): string[] {
  return [process.execPath, ECHO_CHILD, 'serve', node.name, String(ECHO_PORT)];
}

/** Resolves once the echo server of `label` has printed that it listens. */
export async function echoReady(paths: LabPaths, label: string, signal: AbortSignal): Promise<void> {
  const file = logFile(paths, label);
  await waitFor(() => existsSync(file) && readFileSync(file, 'utf8').includes('"event":"ready"'), 10_000, { what: `${label} to listen`, intervalMs: 50, signal });
}

/** SIGKILLs a recorded process (only if it is still the one started) and waits until it is gone. */
export async function killProcess(entry: ProcessEntry, record: LabRecord, signal: AbortSignal): Promise<void> {
  if (isRunning(entry)) process.kill(entry.pid, 'SIGKILL');
  await waitFor(() => !isRunning(entry), 5_000, { what: `${entry.label} (pid ${entry.pid}) to exit`, intervalMs: 10, signal });
  record.dropPid(entry.pid);
}

/** The last `lines` lines of a process's log, for failure reports. */
export function logTail(paths: LabPaths, label: string, lines = 15): string {
  try {
    return readFileSync(logFile(paths, label), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

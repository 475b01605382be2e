// What the lab needs from the host before it starts: root, the host tools it runs (and the Debian
// packages that hold them), and the FRR 10.x chroot built by scripts/frr-chroot.sh, which also
// installs missing packages with apt-get. Nothing here changes the host's network.
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ensureFrrRoot, frrRoot, frrVersion, inRoot } from './frr-root.ts';

/** Host commands the lab runs, with the Debian package of each. */
export const HOST_TOOLS: readonly (readonly [command: string, pkg: string])[] = [
  ['ip', 'iproute2'],
  ['unshare', 'util-linux'],
  ['flock', 'util-linux'],
  ['sysctl', 'procps'],
  ['chroot', 'coreutils'],
];
/** Only needed to build the chroot. */
export const BUILD_TOOLS: readonly (readonly [command: string, pkg: string])[] = [['debootstrap', 'debootstrap']];

export const ROOT_HINT = 'barelb lab needs root: it creates network namespaces, chroots into the FRR tree and starts FRR. Run `sudo npm run lab`.';

/** The packages to install for the commands `has` does not find, sorted and without repeats. */
export function missingPackages(tools: readonly (readonly [string, string])[], has: (command: string) => boolean): string[] {
  return [...new Set(tools.filter(([command]) => !has(command)).map(([, pkg]) => pkg))].sort();
}

/** True when `command` is an executable file on PATH. */
export function onPath(command: string): boolean {
  const dirs = (process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(delimiter);
  return [...dirs, '/usr/sbin', '/sbin'].some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** True when the chroot is built and holds the daemons the lab starts. */
export function frrRootReady(): boolean {
  return frrVersion() !== null && ['/usr/lib/frr/bgpd', '/usr/lib/frr/zebra', '/usr/lib/frr/mgmtd', '/usr/bin/vtysh'].every((p) => existsSync(inRoot(p)));
}

export type Preflight = { readonly ok: true } | { readonly ok: false; readonly message: string };

/**
 * Root, and either every tool present or apt-get to install them with (through the chroot
 * script). Otherwise says exactly what to install.
 */
export function preflight(): Preflight {
  if (process.getuid?.() !== 0) return { ok: false, message: ROOT_HINT };
  const needed = frrRootReady() ? HOST_TOOLS : [...HOST_TOOLS, ...BUILD_TOOLS];
  const missing = missingPackages(needed, onPath);
  if (missing.length > 0 && !onPath('apt-get')) {
    return { ok: false, message: `barelb lab needs these packages, and this host has no apt-get to install them: ${missing.join(' ')}. Install them, then rerun.` };
  }
  return { ok: true };
}

/**
 * Makes sure the tools and the FRR 10.x chroot are there (runs scripts/frr-chroot.sh unless all is
 * ready: it installs missing packages with apt-get and builds the chroot, about 45 s cold).
 * Returns what the summary shows.
 */
export async function ensureHost(signal: AbortSignal): Promise<string> {
  const toolsReady = missingPackages(HOST_TOOLS, onPath).length === 0;
  if (!toolsReady || !frrRootReady()) await ensureFrrRoot(ROOT_HINT, signal);
  const version = frrVersion();
  if (version === null || !version.startsWith('10.')) {
    throw new Error(`FRR ${version ?? '(unknown version)'} in ${frrRoot()}: the lab needs FRR 10.x; remove that directory and rerun`);
  }
  return `FRR ${version} in ${frrRoot()}`;
}

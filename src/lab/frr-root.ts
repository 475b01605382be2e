// Where the FRR 10.x chroot lives and how it gets there: scripts/frr-chroot.sh builds it once per
// machine (BARELB_FRR_ROOT overrides the cached location); this module only calls and checks it.
// Shared by the lab and the e2e harness.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

export const DEFAULT_FRR_ROOT = '/var/cache/barelb/frr-trixie-v1';
export const FRR_CHROOT_SCRIPT = fileURLToPath(new URL('../../scripts/frr-chroot.sh', import.meta.url));
/** debootstrap plus apt, and possibly apt-get on the host first: minutes, not hours. */
const BUILD_TIMEOUT_MS = 15 * 60_000;
/** Written by the build script: recipe, suite, `frr=VERSION`, build time. */
const STAMP = '/.barelb-frr-chroot';

/** The chroot directory holding /usr/lib/frr and /usr/bin/vtysh. */
export function frrRoot(): string {
  return process.env['BARELB_FRR_ROOT'] ?? DEFAULT_FRR_ROOT;
}

/** Host path of a path inside the chroot. */
export function inRoot(path: string): string {
  if (!path.startsWith('/')) throw new Error(`chroot paths are absolute: ${path}`);
  return `${frrRoot()}${path}`;
}

/** The FRR package version the chroot was built with (from its stamp file), or null. */
export function frrVersion(): string | null {
  try {
    return /^frr=(.+)$/m.exec(readFileSync(inRoot(STAMP), 'utf8'))?.[1] ?? null;
  } catch {
    return null;
  }
}

/**
 * Makes sure the chroot exists, building it when missing (progress goes to stderr). Throws with
 * what is missing: root rights (`rootHint` says how to get them), or a build that failed.
 */
export async function ensureFrrRoot(rootHint: string, signal?: AbortSignal): Promise<string> {
  if (process.getuid?.() !== 0) throw new Error(rootHint);
  // Through bash, so a checkout that lost the script's exec bit still works.
  const result = await execa('bash', [FRR_CHROOT_SCRIPT], {
    reject: false,
    timeout: BUILD_TIMEOUT_MS,
    stdin: 'ignore',
    stdout: 'inherit',
    stderr: 'inherit',
    ...(signal === undefined ? {} : { cancelSignal: signal }),
  });
  if (result.failed) {
    throw new Error(
      `FRR chroot set-up failed: ${FRR_CHROOT_SCRIPT} ${result.timedOut ? 'timed out' : result.isCanceled ? 'was interrupted' : `exited ${String(result.exitCode)}`}. ` +
        `It needs debootstrap (installed by the script with apt-get when missing) and access to the Debian mirror; ` +
        `see ${frrRoot()}.build.log.`,
    );
  }
  for (const path of ['/usr/lib/frr/bgpd', '/usr/lib/frr/zebra', '/usr/lib/frr/mgmtd', '/usr/bin/vtysh']) {
    if (!existsSync(inRoot(path))) throw new Error(`FRR chroot ${frrRoot()} lacks ${path}; remove it and rerun`);
  }
  return frrRoot();
}

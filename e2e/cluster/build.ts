// Where kube-apiserver and etcd come from: scripts/build-k8s.sh compiles them from the Go module
// proxy once per machine into a cache directory (BARELB_K8S_CACHE overrides it); this module only
// calls the script, forwards its progress to stderr and checks what it produced.
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

export interface Binaries {
  /** Absolute path of the kube-apiserver executable. */
  readonly kubeApiserver: string;
  /** Absolute path of the etcd executable. */
  readonly etcd: string;
}

const BUILD_SCRIPT = fileURLToPath(new URL('../../scripts/build-k8s.sh', import.meta.url));
/** Cold on 2 cores about 7.5 min (6 min kube-apiserver, 1 min etcd); cached: 0.1 s. */
const BUILD_TIMEOUT_MS = 45 * 60_000;

let pending: Promise<Binaries> | undefined;

/**
 * Builds the binaries when the cache lacks them (or its stamp names other versions) and returns
 * their paths. Progress lines go to stderr. Throws, naming the script and its exit, when the
 * build fails: there is no fallback, so a suite that needs the control plane fails loudly.
 * Calls within one process share one build.
 */
export function ensureBinaries(): Promise<Binaries> {
  pending ??= build().catch((error: unknown) => {
    pending = undefined;
    throw error;
  });
  return pending;
}

async function build(): Promise<Binaries> {
  const started = Date.now();
  // Through bash, so a checkout that lost the script's exec bit still works.
  const result = await execa('bash', [BUILD_SCRIPT], {
    reject: false,
    timeout: BUILD_TIMEOUT_MS,
    forceKillAfterDelay: 5_000,
    stdin: 'ignore',
    stderr: 'inherit',
  });
  if (result.failed) {
    const how = result.timedOut ? `timed out after ${BUILD_TIMEOUT_MS / 60_000} min` : `exited ${String(result.exitCode)}`;
    throw new Error(
      `kube-apiserver/etcd build failed: ${BUILD_SCRIPT} ${how} (its output is above on stderr). ` +
        'It needs Go 1.26 at /usr/local/go/bin/go and the Go module proxy.',
    );
  }
  const dir = result.stdout.trim().split('\n').at(-1) ?? '';
  const binaries = { kubeApiserver: join(dir, 'kube-apiserver'), etcd: join(dir, 'etcd') };
  for (const path of Object.values(binaries)) {
    try {
      accessSync(path, constants.X_OK);
    } catch {
      throw new Error(`${BUILD_SCRIPT} reported '${dir}' but ${path} is not an executable`);
    }
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  if (seconds > 5) console.error(`[k8s] binaries ready in ${dir} after ${seconds} s`);
  return binaries;
}

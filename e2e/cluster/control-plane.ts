// A real Kubernetes control plane for e2e tests: etcd plus kube-apiserver (no controller-manager,
// scheduler or kubelet) on 127.0.0.1, free ports, fresh credentials and a temp directory per run.
// The apiserver alone can be stopped and started again to simulate an unreachable API server.
import { KubeConfig } from '@kubernetes/client-node';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installExitHandlers } from '../harness/cleanup.ts';
import { ensureBinaries } from './build.ts';
import type { Binaries } from './build.ts';
import { apiserverArgs, DEFAULT_DISABLED_ADMISSION, DEFAULT_SERVICE_CIDRS, etcdArgs } from './flags.ts';
import { createPki } from './pki.ts';
import type { Pki, ServiceAccountName } from './pki.ts';
import { freePorts, get } from './probe.ts';
import { ManagedProcess } from './process.ts';
import { createRunDir, removeRunDir, sweepStaleRunDirs } from './run-dir.ts';

export { ensureBinaries } from './build.ts';
export type { Binaries } from './build.ts';
export { DEFAULT_DISABLED_ADMISSION, DEFAULT_SERVICE_CIDRS } from './flags.ts';

export interface ControlPlaneOptions {
  /** `--service-cluster-ip-range`, one CIDR per family. Default {@link DEFAULT_SERVICE_CIDRS}. */
  readonly serviceCidrs?: readonly string[];
  /** `--disable-admission-plugins`. Default {@link DEFAULT_DISABLED_ADMISSION}. */
  readonly disabledAdmissionPlugins?: readonly string[];
  /** Extra kube-apiserver flags, appended last (a repeated `--flag=` overrides). */
  readonly extraApiserverArgs?: readonly string[];
  /** Identity of the restricted token. Default `barelb-system/barelb-controller`. */
  readonly serviceAccount?: ServiceAccountName;
  /** Budget for each daemon to become ready, in ms. Default 120 s (2 shared cores). */
  readonly startTimeoutMs?: number;
  /** SIGTERM-to-SIGKILL grace per daemon, in ms. Default 10 s. */
  readonly stopGraceMs?: number;
}

/** The restricted identity: what RBAC grants `system:serviceaccount:<namespace>:<name>`. */
export interface RestrictedIdentity extends ServiceAccountName {
  readonly user: string;
  readonly groups: readonly string[];
  readonly token: string;
  readonly kubeConfig: KubeConfig;
  readonly kubeconfigPath: string;
}

export interface ControlPlane {
  /** `https://127.0.0.1:<port>`; the port stays the same across apiserver restarts. */
  readonly server: string;
  /** PEM of the CA that signed the serving certificate. */
  readonly caPem: string;
  /** Admin kubeconfig file (for helm/kubectl); removed by `stop()`. */
  readonly kubeconfigPath: string;
  /** Admin client configuration (group `system:masters`). */
  readonly kubeConfig: KubeConfig;
  readonly adminToken: string;
  readonly serviceAccount: RestrictedIdentity;
  readonly binaries: Binaries;
  /** The run directory (certs, etcd data, `etcd.log`, `kube-apiserver.log`); removed by `stop()`. */
  readonly dir: string;
  /** PIDs of the daemons now running. */
  pids(): { readonly etcd?: number; readonly apiserver?: number };
  /** A client configuration for another bearer token against this server. */
  kubeConfigForToken(token: string): KubeConfig;
  /** Stops kube-apiserver alone (etcd keeps the data). Idempotent. */
  stopApiserver(): Promise<void>;
  /** Starts kube-apiserver again with the same port and flags, and waits for /readyz. */
  startApiserver(): Promise<void>;
  restartApiserver(): Promise<void>;
  logTail(component: 'etcd' | 'apiserver', lines?: number): string;
  /** Stops both daemons by PID (SIGTERM, then SIGKILL) and removes the run directory. Idempotent. */
  stop(): Promise<void>;
}

const CONTEXT = 'barelb-e2e';

/** Builds the binaries if needed, then starts etcd and kube-apiserver and waits until both are ready. */
export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  installExitHandlers();
  sweepStaleRunDirs();
  const binaries = await ensureBinaries();
  const dir = createRunDir();
  const plane = new LocalControlPlane(binaries, dir, options);
  try {
    await plane.start();
  } catch (error) {
    const logs = plane.failureLogs();
    await plane.stop().catch(() => undefined);
    throw new Error(`control plane did not start: ${error instanceof Error ? error.message : String(error)}\n${logs}`);
  }
  return plane;
}

class LocalControlPlane implements ControlPlane {
  readonly binaries: Binaries;
  readonly dir: string;
  readonly #options: ControlPlaneOptions;
  readonly #timeoutMs: number;
  readonly #graceMs: number;
  #pki: Pki | undefined;
  #apiserverArgs: string[] = [];
  #securePort = 0;
  #etcd: ManagedProcess | undefined;
  #apiserver: ManagedProcess | undefined;
  #identity: RestrictedIdentity | undefined;
  #admin: KubeConfig | undefined;
  #stopped = false;

  constructor(binaries: Binaries, dir: string, options: ControlPlaneOptions) {
    this.binaries = binaries;
    this.dir = dir;
    this.#options = options;
    this.#timeoutMs = options.startTimeoutMs ?? 120_000;
    this.#graceMs = options.stopGraceMs ?? 10_000;
  }

  get server(): string {
    return `https://127.0.0.1:${this.#securePort}`;
  }
  get caPem(): string {
    return this.#started(this.#pki).caPem;
  }
  get adminToken(): string {
    return this.#started(this.#pki).admin.token;
  }
  get kubeConfig(): KubeConfig {
    return this.#started(this.#admin);
  }
  get kubeconfigPath(): string {
    return join(this.dir, 'admin.kubeconfig');
  }
  get serviceAccount(): RestrictedIdentity {
    return this.#started(this.#identity);
  }

  async start(): Promise<void> {
    const sa = this.#options.serviceAccount ?? { namespace: 'barelb-system', name: 'barelb-controller' };
    const pki = await createPki(this.dir, sa);
    this.#pki = pki;
    const [etcdClientPort, etcdPeerPort, securePort] = await freePorts(3);
    if (etcdClientPort === undefined || etcdPeerPort === undefined || securePort === undefined) throw new Error('no ports');
    this.#securePort = securePort;

    const etcdUrl = `http://127.0.0.1:${etcdClientPort}/health`;
    this.#etcd = await this.#spawn('etcd', this.binaries.etcd,
      etcdArgs({ dataDir: join(this.dir, 'etcd-data'), clientPort: etcdClientPort, peerPort: etcdPeerPort }));
    await this.#waitUntil(this.#etcd, `etcd ${etcdUrl}`, async () => {
      const res = await get(etcdUrl);
      return res.status === 200 && res.body.includes('"health":"true"') ? true : `${res.status} ${res.body}`;
    });

    this.#apiserverArgs = apiserverArgs({
      pki,
      etcdClientPort,
      securePort,
      certDir: join(this.dir, 'apiserver-certs'),
      serviceCidrs: this.#options.serviceCidrs ?? DEFAULT_SERVICE_CIDRS,
      disabledAdmission: this.#options.disabledAdmissionPlugins ?? DEFAULT_DISABLED_ADMISSION,
      extra: this.#options.extraApiserverArgs ?? [],
    });
    await this.startApiserver();

    this.#admin = this.kubeConfigForToken(pki.admin.token);
    writeFileSync(this.kubeconfigPath, this.#admin.exportConfig(), { mode: 0o600 });
    const saConfig = this.kubeConfigForToken(pki.serviceAccount.token);
    const saPath = join(this.dir, 'serviceaccount.kubeconfig');
    writeFileSync(saPath, saConfig.exportConfig(), { mode: 0o600 });
    this.#identity = { ...sa, ...pki.serviceAccount, kubeConfig: saConfig, kubeconfigPath: saPath };
  }

  pids(): { readonly etcd?: number; readonly apiserver?: number } {
    return {
      ...(this.#etcd?.running === true ? { etcd: this.#etcd.pid } : {}),
      ...(this.#apiserver?.running === true ? { apiserver: this.#apiserver.pid } : {}),
    };
  }

  kubeConfigForToken(token: string): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: CONTEXT, server: this.server, caData: Buffer.from(this.caPem).toString('base64'), skipTLSVerify: false }],
      users: [{ name: CONTEXT, token }],
      contexts: [{ name: CONTEXT, cluster: CONTEXT, user: CONTEXT }],
      currentContext: CONTEXT,
    });
    return kc;
  }

  async stopApiserver(): Promise<void> {
    await this.#apiserver?.stop(this.#graceMs);
  }

  async startApiserver(): Promise<void> {
    if (this.#stopped) throw new Error('control plane already stopped');
    if (this.#apiserver?.running === true) throw new Error(`kube-apiserver already running (pid ${this.#apiserver.pid})`);
    const pki = this.#started(this.#pki);
    this.#apiserver = await this.#spawn('kube-apiserver', this.binaries.kubeApiserver, this.#apiserverArgs);
    const auth = { ca: pki.caPem, token: pki.admin.token };
    await this.#waitUntil(this.#apiserver, `${this.server}/readyz`, async () => {
      const res = await get(`${this.server}/readyz`, auth);
      return res.status === 200 ? true : `${res.status} ${res.body.slice(-300)}`;
    });
    // /readyz can pass a moment before the bootstrap controller has written `default`.
    await this.#waitUntil(this.#apiserver, 'namespace default', async () => {
      const res = await get(`${this.server}/api/v1/namespaces/default`, auth);
      return res.status === 200 ? true : `${res.status} ${res.body.slice(0, 300)}`;
    });
  }

  async restartApiserver(): Promise<void> {
    await this.stopApiserver();
    await this.startApiserver();
  }

  logTail(component: 'etcd' | 'apiserver', lines = 40): string {
    const proc = component === 'etcd' ? this.#etcd : this.#apiserver;
    return proc?.logTail(lines) ?? '(not started)';
  }

  /** Both log tails, for a start-up failure message. */
  failureLogs(): string {
    return [this.#etcd, this.#apiserver]
      .filter((proc) => proc !== undefined)
      .map((proc) => `--- ${proc.name} log (last lines) ---\n${proc.logTail(30)}`)
      .join('\n');
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    const errors: unknown[] = [];
    // The apiserver first: stopping etcd under it only makes it log connection errors.
    for (const proc of [this.#apiserver, this.#etcd]) {
      try {
        await proc?.stop(this.#graceMs);
      } catch (error) {
        errors.push(error);
      }
    }
    removeRunDir(this.dir);
    if (errors.length > 0) throw errors[0];
  }

  #started<T>(value: T | undefined): T {
    if (value === undefined) throw new Error('control plane not started');
    return value;
  }

  #spawn(name: 'etcd' | 'kube-apiserver', file: string, args: readonly string[]): Promise<ManagedProcess> {
    return ManagedProcess.start(name, file, args, join(this.dir, `${name}.log`), join(this.dir, `${name}.pid`));
  }

  /** Polls `probe` (true = ready, a string = why not) every 250 ms; fails fast if `proc` exits. */
  async #waitUntil(proc: ManagedProcess, what: string, probe: () => Promise<true | string>): Promise<void> {
    const deadline = Date.now() + this.#timeoutMs;
    let last = 'no probe finished';
    for (;;) {
      if (!proc.running) throw new Error(`${proc.describeExit()} while waiting for ${what}`);
      try {
        const result = await probe();
        if (result === true) return;
        last = result;
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      if (Date.now() > deadline) throw new Error(`timed out after ${this.#timeoutMs} ms waiting for ${what} (last: ${last})`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

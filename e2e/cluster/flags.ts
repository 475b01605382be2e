// Command lines of the two test daemons: etcd and kube-apiserver on 127.0.0.1 only, on ports
// chosen by the caller. Pure: paths and ports in, argument arrays out.
import type { Pki } from './pki.ts';

/** Dual-stack, and never routed: 198.51.100.0/24 is TEST-NET-2 (RFC 5737), fd00::/108 a ULA. */
export const DEFAULT_SERVICE_CIDRS = ['198.51.100.0/24', 'fd00::/108'] as const;

/**
 * Off by default: ServiceAccount (no controller creates `default` ServiceAccounts, so it would
 * reject Pods) and TaintNodesByCondition (it taints every new Node not-ready, and no node
 * lifecycle controller ever lifts the taint). All other default plugins stay on.
 */
export const DEFAULT_DISABLED_ADMISSION = ['ServiceAccount', 'TaintNodesByCondition'] as const;

export interface EtcdFlags {
  readonly dataDir: string;
  readonly clientPort: number;
  readonly peerPort: number;
}

export function etcdArgs(flags: EtcdFlags): string[] {
  const client = `http://127.0.0.1:${flags.clientPort}`;
  const peer = `http://127.0.0.1:${flags.peerPort}`;
  return [
    '--name=barelb-e2e',
    `--data-dir=${flags.dataDir}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=barelb-e2e=${peer}`,
    // Test data is disposable; fsync on a 2-core CI disk costs seconds per test.
    '--unsafe-no-fsync',
    '--log-level=warn',
  ];
}

export interface ApiserverFlags {
  readonly pki: Pki;
  readonly etcdClientPort: number;
  readonly securePort: number;
  /** Unused when the serving cert is given, but keeps the default /var/run/kubernetes untouched. */
  readonly certDir: string;
  readonly serviceCidrs: readonly string[];
  readonly disabledAdmission: readonly string[];
  /** Appended last, so a later `--flag=value` overrides an earlier one. */
  readonly extra: readonly string[];
}

export function apiserverArgs(flags: ApiserverFlags): string[] {
  const args = [
    `--etcd-servers=http://127.0.0.1:${flags.etcdClientPort}`,
    '--bind-address=127.0.0.1',
    // Without it kube-apiserver derives an address from the default route (and fails without one).
    '--advertise-address=127.0.0.1',
    `--secure-port=${flags.securePort}`,
    `--cert-dir=${flags.certDir}`,
    `--tls-cert-file=${flags.pki.serverCertFile}`,
    `--tls-private-key-file=${flags.pki.serverKeyFile}`,
    `--token-auth-file=${flags.pki.tokenFile}`,
    '--authorization-mode=RBAC',
    `--service-account-issuer=https://127.0.0.1:${flags.securePort}`,
    `--service-account-key-file=${flags.pki.saPubFile}`,
    `--service-account-signing-key-file=${flags.pki.saKeyFile}`,
    `--service-cluster-ip-range=${flags.serviceCidrs.join(',')}`,
    // The lease reconciler would try to publish 127.0.0.1 in the `kubernetes` Endpoints, which
    // validation rejects (loopback); tests never route to that Service anyway.
    '--endpoint-reconciler-type=none',
    '--allow-privileged=true',
    '--profiling=false',
    '--v=1',
  ];
  if (flags.disabledAdmission.length > 0) {
    args.push(`--disable-admission-plugins=${flags.disabledAdmission.join(',')}`);
  }
  return [...args, ...flags.extra];
}

// Throw-away credentials for one control-plane run: a CA and a loopback serving certificate
// (openssl, ECDSA P-256, valid 2 days), a service-account signing key (node:crypto) and a static
// token file with an admin and a restricted ServiceAccount-style identity. Nothing is reused.
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOk } from '../harness/run.ts';

/** A static-token identity (`--token-auth-file`); the server adds `system:authenticated`. */
export interface TokenIdentity {
  readonly user: string;
  readonly groups: readonly string[];
  readonly token: string;
}

export interface Pki {
  readonly caFile: string;
  readonly caPem: string;
  readonly serverCertFile: string;
  readonly serverKeyFile: string;
  /** PKCS#8 private key: `--service-account-signing-key-file`. */
  readonly saKeyFile: string;
  /** SPKI public key: `--service-account-key-file`. */
  readonly saPubFile: string;
  readonly tokenFile: string;
  /** In group `system:masters`: bypasses RBAC. */
  readonly admin: TokenIdentity;
  /** `system:serviceaccount:<ns>:<name>`: only what RBAC grants it. */
  readonly serviceAccount: TokenIdentity;
}

export interface ServiceAccountName {
  readonly namespace: string;
  readonly name: string;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
const SERVER_SANS = [
  'IP:127.0.0.1',
  'DNS:localhost',
  'DNS:kubernetes',
  'DNS:kubernetes.default',
  'DNS:kubernetes.default.svc',
].join(',');

/** Writes every file into `dir` (which must exist and be private to this run). */
export async function createPki(dir: string, sa: ServiceAccountName): Promise<Pki> {
  const caFile = join(dir, 'ca.crt');
  const caKey = join(dir, 'ca.key');
  const serverCertFile = join(dir, 'apiserver.crt');
  const serverKeyFile = join(dir, 'apiserver.key');
  await runOk('openssl', ['req', '-x509', ...EC, '-keyout', caKey, '-out', caFile, '-days', '2',
    '-subj', '/CN=barelb-e2e-ca',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  // OpenSSL 3: `req -x509 -CA` signs the new key with the CA in one step.
  await runOk('openssl', ['req', '-x509', ...EC, '-keyout', serverKeyFile, '-out', serverCertFile, '-days', '2',
    '-CA', caFile, '-CAkey', caKey, '-subj', '/CN=kube-apiserver',
    '-addext', `subjectAltName=${SERVER_SANS}`, '-addext', 'basicConstraints=critical,CA:FALSE',
    '-addext', 'keyUsage=critical,digitalSignature', '-addext', 'extendedKeyUsage=serverAuth']);

  const saKeyFile = join(dir, 'sa.key');
  const saPubFile = join(dir, 'sa.pub');
  const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  writeFileSync(saKeyFile, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(saPubFile, pair.publicKey.export({ type: 'spki', format: 'pem' }));

  const admin: TokenIdentity = { user: 'barelb-e2e-admin', groups: ['system:masters'], token: newToken() };
  const serviceAccount: TokenIdentity = {
    user: `system:serviceaccount:${sa.namespace}:${sa.name}`,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${sa.namespace}`],
    token: newToken(),
  };
  const tokenFile = join(dir, 'tokens.csv');
  writeFileSync(tokenFile, [admin, serviceAccount].map(tokenLine).join(''), { mode: 0o600 });

  return {
    caFile,
    caPem: readFileSync(caFile, 'utf8'),
    serverCertFile,
    serverKeyFile,
    saKeyFile,
    saPubFile,
    tokenFile,
    admin,
    serviceAccount,
  };
}

function newToken(): string {
  return randomBytes(24).toString('hex');
}

/** One `token,user,uid,"group1,group2"` line of a kube-apiserver token file. */
function tokenLine(identity: TokenIdentity): string {
  return `${identity.token},${identity.user},${randomUUID()},"${identity.groups.join(',')}"\n`;
}

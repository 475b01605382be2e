// Bare HTTP(S) GETs for readiness probes, before any Kubernetes client exists: etcd's /health
// over plain HTTP and kube-apiserver's /readyz over TLS with our CA and a bearer token.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';

export interface ProbeResponse {
  readonly status: number;
  readonly body: string;
}

export interface ProbeOptions {
  /** PEM CA for https URLs. */
  readonly ca?: string;
  readonly token?: string;
  /** Default 5 s. */
  readonly timeoutMs?: number;
}

export function get(url: string, options: ProbeOptions = {}): Promise<ProbeResponse> {
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: 'GET',
        timeout: options.timeoutMs ?? 5_000,
        agent: false,
        ...(options.ca === undefined ? {} : { ca: options.ca }),
        headers: options.token === undefined ? {} : { authorization: `Bearer ${options.token}` },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * `count` distinct TCP ports that were free on 127.0.0.1 a moment ago (all held open together,
 * then released). Another process could still take one before our daemon binds it.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    return address.port;
  });
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

// The metrics and health endpoint: /metrics (Prometheus text), /healthz (the process runs),
// /readyz (the component has done its first full sync).

import type { Server } from 'node:http';
import type { Registry } from 'prom-client';

// Through getBuiltinModule, not an ESM import: see k8s/client.ts (node:http's namespace loads undici).
const { createServer } = process.getBuiltinModule('node:http');

export type HealthSource = { readonly ready: () => boolean };

export function parseListenAddress(text: string): { host: string; port: number } | null {
  const m = /^\[?([^\]]*)\]?:(\d{1,5})$/.exec(text);
  if (m === null) return null;
  const port = Number(m[2]);
  return port <= 65535 ? { host: m[1] === '' ? '0.0.0.0' : (m[1] ?? ''), port } : null;
}

export async function startMetricsServer(address: string, registry: Registry, health: HealthSource): Promise<Server> {
  const listen = parseListenAddress(address);
  if (listen === null) throw new Error(`--metrics-address "${address}" is not HOST:PORT`);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics') {
      registry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body),
        (e: unknown) => res.writeHead(500).end(String(e)),
      );
    } else if (path === '/healthz') {
      res.writeHead(200).end('ok\n');
    } else if (path === '/readyz') {
      const ok = health.ready();
      res.writeHead(ok ? 200 : 503).end(ok ? 'ready\n' : 'not ready\n');
    } else {
      res.writeHead(404).end('not found\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  return server;
}

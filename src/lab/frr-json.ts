// Typed readers for the FRR 10.x JSON that e2e tests assert on (`show bgp … json`), parsed with zod
// so a changed key fails with a message instead of an undefined deep inside a test.
import { z } from 'zod';

const pathSchema = z.object({
  valid: z.boolean().optional(),
  bestpath: z.boolean().optional(),
  path: z.string().optional(),
  nexthops: z.array(z.object({ ip: z.string().optional(), afi: z.string().optional() })).default([]),
});

const tableSchema = z.object({ routes: z.record(z.string(), z.array(pathSchema)).default({}) });

const neighborsSchema = z.record(
  z.string(),
  z.object({ bgpState: z.string().optional(), remoteAs: z.number().optional() }),
);

export interface BgpPath {
  readonly valid: boolean;
  readonly best: boolean;
  /** Next-hop addresses as FRR prints them. */
  readonly nextHops: readonly string[];
  /** AS path text, e.g. `64512`; empty for a locally originated route. */
  readonly asPath: string;
}

/** Reads `show bgp ipv4|ipv6 unicast json` into prefix -> paths. */
export function bgpRoutes(json: unknown): ReadonlyMap<string, readonly BgpPath[]> {
  const table = tableSchema.parse(json);
  return new Map(
    Object.entries(table.routes).map(([prefix, paths]) => [
      prefix,
      paths.map((p) => ({
        valid: p.valid ?? false,
        best: p.bestpath ?? false,
        nextHops: p.nexthops.flatMap((hop) => (hop.ip === undefined ? [] : [hop.ip])),
        asPath: p.path ?? '',
      })),
    ]),
  );
}

/** Reads the FSM state (`Established`, `Active`, …) of `peer` from `show bgp neighbors json`. */
export function neighborState(json: unknown, peer: string): string | undefined {
  return neighborsSchema.parse(json)[peer]?.bgpState;
}

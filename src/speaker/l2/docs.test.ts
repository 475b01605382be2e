// docs/layer2.md keeps up with the code: every reason the L2 speaker can report (no owner, dropped
// frame, rejected heartbeat, interface without a responder) is explained there by its literal name.

import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { noOwnerReasons } from './election.ts';
import { heartbeatRejectReasons } from './heartbeat/membership.ts';
import { packetRejectReasons } from './heartbeat/packet.ts';
import { ineligibleReasons } from './link-scan.ts';
import { responderDropReasons } from './responder.ts';

describe('docs/layer2.md', () => {
  const doc = readFileSync(new URL('../../../docs/layer2.md', import.meta.url), 'utf8');
  /** The first cell of every table row, split at commas: `a`, `b` → a, b. */
  const documented = new Set(doc.split('\n').filter((l) => l.startsWith('| `')).flatMap((l) => [...(l.split('|')[1] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1])));
  const sets: Record<string, readonly string[]> = {
    'no-owner reasons': noOwnerReasons,
    'drop reasons (barelb_layer2_dropped_frames_total)': responderDropReasons,
    'heartbeat reject reasons (barelb_layer2_heartbeats_rejected_total)': [...packetRejectReasons, ...heartbeatRejectReasons],
    'interfaces without a responder': ineligibleReasons,
  };
  for (const [what, reasons] of Object.entries(sets)) {
    it(`explains every one of the ${what} in a table row`, () => {
      expect(reasons.filter((r) => !documented.has(r))).to.deep.equal([]);
    });
  }
});

// Rules across BGPPeers (FRR mode): BFD profiles must exist, no two peers alike, and peers
// that can share a node must agree on router ID and, per VRF, on the local ASN.

import type { BFDProfile, BGPPeer, NodeInput } from './model.ts';
import { nodeSetsIntersect, selectedNodes } from './node.ts';
import { canonicalJson, fail, show, type Reader } from './wire.ts';

export type PeerDraft = { readonly reader: Reader; readonly peer: BGPPeer };

/** FRR keys a neighbor by address or interface, per VRF. */
export const peerIdentifier = (p: BGPPeer): string =>
  `${p.target.kind === 'address' ? p.target.address : p.target.name}${p.vrf === null ? '' : `-${p.vrf}`}`;

export function checkBFDReferences(peers: readonly PeerDraft[], profiles: readonly BFDProfile[]): void {
  const names = new Set(profiles.map((p) => p.name));
  for (const { reader, peer } of peers) {
    if (peer.bfdProfile !== null && !names.has(peer.bfdProfile)) {
      fail(reader, 'spec.bfdProfile', `no BFDProfile named ${show(peer.bfdProfile)}`, true);
    }
  }
}

function pairProblem(a: BGPPeer, b: BGPPeer): { readonly field: string; readonly message: string } | null {
  const other = `BGPPeer ${show(a.name)}`;
  if (a.routerID !== b.routerID) {
    return { field: 'spec.routerID', message: `routerID ${show(b.routerID ?? 'unset')} differs from ${show(a.routerID ?? 'unset')} of ${other}; peers that can run on the same node must share the routerID` };
  }
  if (a.vrf === b.vrf && a.myASN !== b.myASN) {
    return { field: 'spec.myASN', message: `myASN ${b.myASN} differs from ${a.myASN} of ${other} in the same VRF; FRR has one local ASN per VRF` };
  }
  if (peerIdentifier(a) === peerIdentifier(b)) {
    return { field: b.target.kind === 'address' ? 'spec.peerAddress' : 'spec.interface', message: `${other} already peers with ${show(peerIdentifier(b))} on a node this peer can run on` };
  }
  return null;
}

/** Peers arrive sorted by name; each problem is reported on the later peer of the pair. */
export function checkPeerPairs(peers: readonly PeerDraft[], nodes: readonly NodeInput[]): void {
  const sets = peers.map((d) => selectedNodes(d.peer.nodeSelectors, nodes));
  const identity = peers.map((d) => canonicalJson({ ...d.peer, name: '' }));
  for (let j = 0; j < peers.length; j++) {
    const later = peers[j];
    if (later === undefined) continue;
    for (let i = 0; i < j; i++) {
      const earlier = peers[i];
      if (earlier === undefined) continue;
      if (identity[i] === identity[j]) {
        fail(later.reader, 'spec', `duplicate definition: BGPPeer ${show(earlier.peer.name)} has the same configuration`);
        break;
      }
      const problem = nodeSetsIntersect(sets[i] ?? null, sets[j] ?? null) ? pairProblem(earlier.peer, later.peer) : null;
      if (problem !== null) {
        fail(later.reader, problem.field, problem.message);
        break;
      }
    }
  }
}

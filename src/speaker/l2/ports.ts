// The ports the pure L2 core talks through: one raw link per interface (implemented over
// AF_PACKET by src/speaker/l2/raw-socket*.ts) and the clock the state machines are driven by.

/** One Ethernet interface opened for raw frames. Frames are whole Ethernet II frames, FCS excluded. */
export type RawLink = {
  readonly ifname: string;
  readonly ifindex: number;
  /** The interface's 6-byte hardware address. */
  readonly mac: Uint8Array;
  send(frame: Uint8Array): void;
  onFrame(cb: (frame: Uint8Array) => void): void;
  /** Joins a link-layer multicast group (e.g. 33:33:ff:xx:xx:xx for a solicited-node address). */
  joinMulticast(mac: Uint8Array): void;
  leaveMulticast(mac: Uint8Array): void;
  close(): void;
};

/** Milliseconds since the Unix epoch (Date.now in production, a counter in tests). */
export type Clock = () => number;

// FrrPort that sends bgpd-only batches straight to bgpd's vty socket (`<run dir>/bgpd.vty`), as
// vtysh does internally minus its ~50 ms start-up; everything else, and every batch when the
// socket cannot be reached, goes to the vtysh port it wraps. One connection per batch.
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { err, ok } from '../../../core/result.ts';
import type { Result } from '../../../core/result.ts';
import type { BatchOptions, FrrPort, PortFailure, PortResult } from './frr-port.ts';
import type { Logger } from './hooks.ts';
import { redact } from './redact.ts';
import { BATCH_START, SESSION_CLOSE, SESSION_OPEN, commandError, encodeCommands, readBatch, readOpen, splitReplies } from './vty-protocol.ts';
import type { VtyReply } from './vty-protocol.ts';

export interface VtySocketPortOptions {
  /** bgpd's vty socket as seen from here, e.g. `/run/frr/bgpd.vty` (inside `--frr-root`). */
  readonly socketPath: string;
  /** Takes exec commands, show, reload, file writes, all-daemon batches, and the fallback. */
  readonly vtysh: FrrPort;
  readonly logger: Logger;
  /** Per batch, connect to last reply, ms. Default 30 s (as vtysh's). */
  readonly timeoutMs?: number;
}

export type BatchTransport = 'socket' | 'vtysh';

export class VtySocketPort implements FrrPort {
  readonly #o: VtySocketPortOptions;
  /** The transport of the last bgpd batch, so that a change is logged once. */
  #last: BatchTransport | undefined;

  constructor(options: VtySocketPortOptions) {
    this.#o = options;
  }

  async runBatch(commands: readonly string[], options: BatchOptions = {}): Promise<PortResult> {
    if (options.target !== 'bgpd') return this.#o.vtysh.runBatch(commands, options);
    const bad = commandError(commands);
    if (bad !== null) return err({ reason: 'rejected', message: bad, details: [] });
    const timeoutMs = this.#o.timeoutMs ?? 30_000;
    const session = await VtySession.open(this.#o.socketPath, timeoutMs);
    if (!session.ok) {
      this.#using('vtysh', session.error);
      return this.#o.vtysh.runBatch(commands, options);
    }
    this.#using('socket');
    const vty = session.value;
    try {
      const opened = await vty.exchange(SESSION_OPEN);
      if (!opened.ok) return opened;
      const open = readOpen(opened.value);
      if (!open.ok) return open;
      const replies = await vty.exchange([BATCH_START, ...commands, ...SESSION_CLOSE]);
      return replies.ok ? readBatch(commands, replies.value) : replies;
    } finally {
      vty.close();
    }
  }

  runExec(commands: readonly string[]): Promise<PortResult> {
    return this.#o.vtysh.runExec(commands);
  }

  showRunning(): Promise<Result<string, PortFailure>> {
    return this.#o.vtysh.showRunning();
  }

  reload(fullText: string): Promise<PortResult> {
    return this.#o.vtysh.reload(fullText);
  }

  writeConfigFile(text: string): Promise<Result<void, PortFailure>> {
    return this.#o.vtysh.writeConfigFile(text);
  }

  #using(transport: BatchTransport, why?: string): void {
    if (this.#last === transport) return;
    const first = this.#last === undefined;
    this.#last = transport;
    const fields = { socket: this.#o.socketPath, ...(why === undefined ? {} : { error: why }) };
    if (transport === 'socket') this.#o.logger.info(fields, "sending bgpd batches to bgpd's vty socket");
    else if (first) this.#o.logger.info(fields, "bgpd's vty socket is unavailable; sending bgpd batches through vtysh");
    else this.#o.logger.warn(fields, "bgpd's vty socket became unavailable; sending bgpd batches through vtysh");
  }
}

/** One connection to a daemon's vty socket, with one deadline for everything sent on it. */
class VtySession {
  readonly #socket: Socket;
  readonly #timer: NodeJS.Timeout;
  #received: Buffer = Buffer.alloc(0);
  #replies: VtyReply[] = [];
  /** Set once the connection is unusable: why. */
  #broken: PortFailure | undefined;
  #wake: (() => void) | undefined;

  private constructor(socket: Socket, deadlineMs: number, timeoutMs: number) {
    this.#socket = socket;
    this.#timer = setTimeout(() => this.#fail({ reason: 'timeout', message: `bgpd's vty did not answer within ${timeoutMs} ms`, details: [] }), Math.max(0, deadlineMs - performance.now()));
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('error', (e: NodeJS.ErrnoException) => this.#fail({ reason: 'unreachable', message: `bgpd's vty connection failed: ${e.code ?? e.message}`, details: [] }));
    socket.on('close', () => this.#fail({ reason: 'unreachable', message: "bgpd closed its vty connection (restarting?)", details: [] }));
  }

  /** Connects; an error (no socket, refused, denied) is the caller's cue to use vtysh instead. */
  static open(path: string, timeoutMs: number): Promise<Result<VtySession, string>> {
    const deadline = performance.now() + timeoutMs;
    return new Promise((resolve) => {
      const socket = connect({ path });
      const timer = setTimeout(() => {
        socket.destroy();
        resolve(err(`connect timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        socket.destroy();
        resolve(err(redact(e.code ?? e.message)));
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(ok(new VtySession(socket, deadline, timeoutMs)));
      });
    });
  }

  /** Sends `commands` at once (bgpd runs them in order) and resolves with one reply each. */
  async exchange(commands: readonly string[]): Promise<Result<VtyReply[], PortFailure>> {
    const encoded = encodeCommands(commands);
    if (!encoded.ok) return err({ reason: 'rejected', message: encoded.error, details: [] });
    this.#replies = [];
    if (this.#broken === undefined) this.#socket.write(encoded.value);
    while (this.#broken === undefined && this.#replies.length < commands.length) {
      await new Promise<void>((wake) => {
        this.#wake = wake;
      });
    }
    const replies = this.#replies;
    if (replies.length >= commands.length) return ok(replies);
    const failure = this.#broken ?? { reason: 'unreachable', message: 'bgpd stopped answering', details: [] };
    return err({ ...failure, message: `${failure.message} after ${replies.length} of ${commands.length} replies` });
  }

  /** Ends the session; bgpd leaves config mode (committing anything pending) when it sees EOF. */
  close(): void {
    clearTimeout(this.#timer);
    this.#socket.destroy();
  }

  #receive(chunk: Buffer): void {
    const split = splitReplies(Buffer.concat([this.#received, chunk]));
    if (!split.ok) {
      this.#fail({ reason: 'unreachable', message: split.error, details: [] });
      return;
    }
    this.#received = split.value.rest;
    this.#replies.push(...split.value.replies);
    this.#notify();
  }

  #fail(failure: PortFailure): void {
    if (this.#broken !== undefined) return;
    this.#broken = failure;
    clearTimeout(this.#timer);
    this.#socket.destroy();
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}

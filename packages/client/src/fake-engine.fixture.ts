// A stand-in for engine-client's Socket, which manager.test.ts swaps in for the Manager's import: it records what the
// Manager writes and lets the test play the server (open, messages, errors, closes) with no network.
import { Emitter } from '@switchboard/protocol';
import type { SocketOptions } from '@switchboard/engine-client';

// The Manager also imports this from engine-client: the real one, so its timers are the ones under test.
export { startTimer } from '@switchboard/engine-client';

// A type alias, not an interface: the emitter needs the implicit index signature.
type FakeEngineEvents = {
  open: () => void;
  message: (data: string | Uint8Array) => void;
  ping: () => void;
  error: (err: Error) => void;
  close: (reason: string, description?: unknown) => void;
};

/** One fake Engine.IO connection; every instance is recorded in `Socket.created`, newest last. */
export class Socket extends Emitter<FakeEngineEvents> {
  /** Every engine the Manager created since the last `reset()`. */
  static readonly created: Socket[] = [];

  /** Forgets the engines created so far (between tests). */
  static reset(): void {
    Socket.created.length = 0;
  }

  readyState: 'opening' | 'open' | 'closed' = 'opening';
  /** What the Manager wrote, in order: encoded Socket.IO packets. */
  readonly sent: Array<string | Uint8Array> = [];
  /** Read by the client Socket before writing a volatile packet. */
  readonly transport = { writable: true };
  /** Set to play a connection whose ping deadline passed unnoticed. */
  pingExpired = false;

  constructor(
    readonly uri: string,
    readonly opts: SocketOptions,
  ) {
    super();
    Socket.created.push(this);
  }

  send(data: string | Uint8Array): this {
    this.sent.push(data);
    return this;
  }

  /** As engine-client's: a local close is reported as 'forced close', once. */
  close(): this {
    if (this.readyState === 'closed') return this;
    this.readyState = 'closed';
    this.emit('close', 'forced close');
    return this;
  }

  pingExpired_(): boolean {
    return this.pingExpired;
  }

  /** The server: completes the Engine.IO handshake. */
  accept(): void {
    this.readyState = 'open';
    this.emit('open');
  }

  /** The server: the connection failed to open (or failed while open). */
  fail(message = 'xhr poll error'): Error {
    const err = new Error(message);
    this.emit('error', err);
    return err;
  }

  /** The server: one Engine.IO message carrying a Socket.IO packet. */
  receive(data: string | Uint8Array): void {
    this.emit('message', data);
  }

  /** The connection dropped, for `reason` ('transport close', 'ping timeout'...). */
  drop(reason: string, description?: unknown): void {
    this.readyState = 'closed';
    this.emit('close', reason, description);
  }
}

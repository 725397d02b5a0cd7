// Retries (the `retries` option): a queue where only the head is in flight, so packets arrive in order, each at least once.
import { callUserCode } from '@switchboard/protocol';

/** Per-emit modifiers set by `compress()`, `volatile` and `timeout()`; `fromQueue` marks an emit made by the queue. */
export interface EmitFlags {
  compress?: boolean;
  volatile?: boolean;
  timeout?: number;
  fromQueue?: boolean;
}

/** An error-first acknowledgement. */
export type ErrorFirstAck = (err: unknown, ...response: unknown[]) => void;

// Field names end in '_' so the browser build shortens them (see scripts/build-browser.mjs).
interface Entry {
  args_: unknown[];
  flags_: EmitFlags;
  ack_: ErrorFirstAck | undefined;
  tries_: number;
  pending_: boolean;
}

/** Emits one packet at a time and sends it again until it is acknowledged or has used up its retries. */
export class RetryQueue {
  readonly #entries: Entry[] = [];
  readonly #retries: number;
  readonly #canSend: () => boolean;
  readonly #send: (args: unknown[], flags: EmitFlags, onAck: ErrorFirstAck) => void;

  /**
   * @param retries extra tries after the first
   * @param canSend false while the socket is disconnected: the head waits for `drain(true)` on connect
   * @param send emits `args` with `onAck` as the acknowledgement (which gets an error on timeout or disconnection)
   */
  constructor(
    retries: number,
    canSend: () => boolean,
    send: (args: unknown[], flags: EmitFlags, onAck: ErrorFirstAck) => void,
  ) {
    this.#retries = retries;
    this.#canSend = canSend;
    this.#send = send;
  }

  /** Queues an emit; a trailing function in `args` is the user's error-first acknowledgement. */
  add(args: unknown[], flags: EmitFlags): void {
    const last = args[args.length - 1];
    const ack = typeof last === 'function' ? (args.pop() as ErrorFirstAck) : undefined;
    this.#entries.push({ args_: args, flags_: { ...flags, fromQueue: true }, ack_: ack, tries_: 0, pending_: false });
    this.drain();
  }

  /** Sends the head unless it is in flight; `force` sends it again (its answer was lost with the connection). */
  drain(force = false): void {
    const entry = this.#entries[0];
    if (!entry || (entry.pending_ && !force) || !this.#canSend()) return;
    entry.pending_ = true;
    entry.tries_++;
    this.#send(entry.args_, entry.flags_, (err, ...response) => {
      // A late answer to an earlier try of a packet that has since been settled.
      if (entry !== this.#entries[0]) return;
      // The application's ack runs behind the boundary: a throw must not leave the head marked in flight.
      if (!err) {
        this.#entries.shift();
        if (entry.ack_) callUserCode(entry.ack_, undefined, [null, ...response]);
      } else if (entry.tries_ > this.#retries) {
        this.#entries.shift();
        if (entry.ack_) callUserCode(entry.ack_, undefined, [err]);
      }
      entry.pending_ = false;
      this.drain();
    });
  }
}

// Clients of the conformance cluster: each records the events it receives, so a test waits for one with a deadline.
import { io, type Socket } from '@switchboard/client';

/** An event a client received: its name and arguments. */
export interface Received {
  event: string;
  args: unknown[];
}

/** A client connected to one server of the cluster, named, placed in rooms by its handshake. */
export class RecordingClient {
  readonly name: string;
  readonly #socket: Socket;
  readonly received: Received[] = [];
  #waiters: (() => void)[] = [];

  constructor(name: string, port: number, rooms: string[], ackEvents: readonly string[]) {
    this.name = name;
    this.#socket = io(`http://127.0.0.1:${port}`, {
      auth: { name, rooms },
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
    });
    this.#socket.onAny((...all: unknown[]) => {
      const event = String(all[0]);
      const args = all.slice(1);
      const last = args[args.length - 1];
      // An event expecting an ack: answered with this client's name for those it is told to acknowledge.
      if (typeof last === 'function') {
        args.pop();
        if (ackEvents.includes(event)) (last as (answer: unknown) => void)(name);
      }
      this.#record({ event, args });
    });
    this.#socket.on('disconnect', (reason) => this.#record({ event: 'disconnect', args: [reason] }));
  }

  #record(received: Received): void {
    this.received.push(received);
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves once connected (its id known), or rejects after `ms`. */
  connected(ms: number): Promise<void> {
    if (this.#socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`client ${this.name} did not connect within ${ms} ms`)), ms);
      this.#socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      this.#socket.once('connect_error', (err: Error) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  get id(): string {
    const id = this.#socket.id;
    if (id === undefined) throw new Error(`client ${this.name} is not connected`);
    return id;
  }

  /** The arguments of every `event` received so far. */
  argsOf(event: string): unknown[][] {
    return this.received.filter((r) => r.event === event).map((r) => r.args);
  }

  /** Resolves with the arguments of the first `event` received (now or later), failing after `ms`. */
  async waitFor(event: string, ms: number): Promise<unknown[]> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.received.find((r) => r.event === event);
      if (found !== undefined) return found.args;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`client ${this.name} did not receive "${event}" within ${ms} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.#socket.disconnect();
  }
}

/** Polls `check` every 20 ms until it returns true; fails with `what` after `ms`. */
export async function eventually(what: string, ms: number, check: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`${what}: still not true after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// A broadcast whose local delivery waits (for its publish to a broker, say): its recipients are the sockets in its
// rooms when it was emitted, and each recipient's connection holds the writes made after it until it goes out, so a
// held broadcast never overtakes, nor is overtaken by, what the application sent on the same connection.
import createDebug from 'debug';
import type { Packet } from '@switchboard/protocol';
import type { AdapterNamespace, AdapterSocket, BroadcastFlags, EncodedPacket } from './types.js';

const debug = createDebug('switchboard:server:adapter');

/**
 * A local delivery put off until `release()`. Made by an adapter's `holdBroadcast(packet, opts)`, which reserves
 * each recipient connection's next write for it; the packet is encoded once, at release, so it may still be edited
 * until then (a stream offset appended, say).
 */
export class HeldBroadcast {
  readonly #nsp: AdapterNamespace;
  readonly #packet: Packet;
  readonly #flags: BroadcastFlags;
  #sockets: AdapterSocket[] | undefined = [];
  #encoded: EncodedPacket | undefined;

  constructor(nsp: AdapterNamespace, packet: Packet, flags: BroadcastFlags) {
    this.#nsp = nsp;
    this.#packet = packet;
    this.#flags = flags;
  }

  /** Whether `release()` was called. */
  get released(): boolean {
    return this.#sockets === undefined;
  }

  /** Adds a recipient and reserves its connection's next write. */
  add(socket: AdapterSocket): void {
    if (this.#sockets === undefined) throw new Error('HeldBroadcast: cannot add a recipient after release()');
    this.#sockets.push(socket);
    socket.reserveWrite?.(this);
  }

  /** Delivers it to every recipient still connected, each in its turn on its connection. Idempotent. */
  release(): void {
    const sockets = this.#sockets;
    if (sockets === undefined) return;
    this.#sockets = undefined;
    for (const socket of sockets) {
      try {
        if (socket.releaseWrites === undefined) this.writeTo(socket);
        else socket.releaseWrites();
      } catch (err) {
        // One recipient's failure (an outgoing listener that throws) must not cost the others their packet.
        debug('a held broadcast could not reach %s: %o', socket.id, err);
      }
    }
  }

  /** Writes it to `socket`, which the connection calls when this broadcast's turn comes. */
  writeTo(socket: AdapterSocket): void {
    // A socket that left the namespace meanwhile is no longer in any room: socket.io would not have reached it.
    if (this.#nsp.sockets.get(socket.id) !== socket) return;
    this.#encoded ??= this.#nsp.encodePacket(this.#packet, this.#flags.compress !== false);
    socket.writeEncoded(this.#packet, this.#encoded, this.#flags);
  }
}

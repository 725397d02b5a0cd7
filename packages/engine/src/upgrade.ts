// The transport upgrade of one session (polling -> WebSocket), as the protocol orders it:
// 1. the client opens a WebSocket with the session's sid and sends `2probe`; we answer `3probe` on it;
// 2. we answer the pending polling GET (with `6` noop when nothing is queued) so the client can pause polling;
// 3. the client sends `5` upgrade on the WebSocket; the session switches transports and flushes what queued meanwhile.
// Anything else on the new transport, its failure, or upgradeTimeout cancels the upgrade; the session goes on polling.
import type { EnginePacket } from '@switchboard/protocol';
import type { ReadyState } from './socket-types.js';
import type { Transport } from './transports/transport.js';

/** The session side of an upgrade. */
export interface UpgradeTarget {
  readonly readyState: ReadyState;
  /** Step 1 succeeded on `transport`. */
  onUpgradeProbed(transport: Transport): void;
  /** The upgrade finished (`transport` is the new one) or failed (undefined). */
  endUpgrade(transport: Transport | undefined): void;
}

/** An upgrade in progress; exists only while one is, so idle sessions carry no upgrade state. */
export class UpgradeAttempt {
  /** Step 1 done: the probe was answered. */
  probed = false;
  readonly #socket: UpgradeTarget;
  readonly #transport: Transport;
  readonly #timer: ReturnType<typeof setTimeout>;
  #done = false;

  constructor(socket: UpgradeTarget, transport: Transport, timeoutMs: number) {
    this.#socket = socket;
    this.#transport = transport;
    this.#timer = setTimeout(() => this.cancel(), timeoutMs).unref();
  }

  onPacket(transport: Transport, packet: EnginePacket): void {
    if (this.#done || transport !== this.#transport) return;
    if (packet.type === 'ping' && packet.data === 'probe' && !this.probed) {
      this.probed = true;
      transport.send([{ type: 'pong', data: 'probe', options: {} }]);
      this.#socket.onUpgradeProbed(transport);
    } else if (packet.type === 'upgrade' && this.#socket.readyState !== 'closed') {
      this.#finish(transport);
    } else {
      this.cancel();
    }
  }

  /** Abandons the upgrade and closes the new transport. */
  cancel(): void {
    if (this.#done) return;
    this.#finish(undefined);
    this.#transport.owner = undefined;
    this.#transport.close();
  }

  #finish(transport: Transport | undefined): void {
    this.#done = true;
    clearTimeout(this.#timer);
    this.#socket.endUpgrade(transport);
  }
}

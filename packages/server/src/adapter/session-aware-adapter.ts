// Connection state recovery in memory: keeps disconnected sessions and the broadcast EVENTs sent since, so a
// client that reconnects in time gets its id, rooms and data back plus the packets it missed, in order.
import { randomBytes } from 'node:crypto';
import { PacketType, type Packet } from '@switchboard/protocol';
import { systemClock, type Clock } from '../clock.js';
import { InMemoryAdapter } from './in-memory-adapter.js';
import type { AdapterNamespace, BroadcastOptions, PrivateSessionId, Room, Session, SessionToPersist } from './types.js';

interface StoredSession extends SessionToPersist {
  disconnectedAt: number;
}

interface StoredPacket {
  id: string;
  emittedAt: number;
  rooms: Set<Room>;
  except: Set<Room> | undefined;
  data: unknown[];
}

/** One sweep for the whole adapter, not a timer per session. */
const SWEEP_INTERVAL_MS = 60_000;

/** The adapter used when `connectionStateRecovery` is on (unless a custom adapter handles recovery itself). */
export class SessionAwareAdapter extends InMemoryAdapter {
  readonly #maxDisconnectionDuration: number;
  readonly #sessions = new Map<PrivateSessionId, StoredSession>();
  // Oldest first: packets are appended as they are broadcast and swept from the front.
  #packets: StoredPacket[] = [];
  readonly #clock: Clock;
  #sweeper: unknown;
  // Offsets: a per-adapter random prefix and a counter; unique and cheap, they only need to be findable.
  readonly #offsetPrefix = randomBytes(6).toString('base64url');
  #offsetCounter = 0;

  constructor(nsp: AdapterNamespace, clock: Clock = nsp.clock ?? systemClock) {
    super(nsp);
    this.#clock = clock;
    this.#maxDisconnectionDuration = nsp.recovery?.maxDisconnectionDuration ?? 120_000;
    this.#sweeper = this.#scheduleSweep();
  }

  #scheduleSweep(): unknown {
    return this.#clock.setTimeout(() => {
      this.#sweep();
      this.#sweeper = this.#scheduleSweep();
    }, SWEEP_INTERVAL_MS);
  }

  override close(): void {
    this.#clock.clearTimeout(this.#sweeper);
    this.#sessions.clear();
    this.#packets = [];
  }

  #sweep(): void {
    const threshold = this.#clock.now() - this.#maxDisconnectionDuration;
    for (const [pid, session] of this.#sessions) {
      if (session.disconnectedAt < threshold) this.#sessions.delete(pid);
    }
    let firstKept = 0;
    while (firstKept < this.#packets.length && (this.#packets[firstKept] as StoredPacket).emittedAt < threshold)
      firstKept++;
    if (firstKept > 0) this.#packets = this.#packets.slice(firstKept);
  }

  override persistSession(session: SessionToPersist): void {
    this.#sessions.set(session.pid, { ...session, disconnectedAt: this.#clock.now() });
  }

  override restoreSession(pid: PrivateSessionId, offset: string): Promise<Session | null> {
    const session = this.#sessions.get(pid);
    if (session === undefined) return Promise.resolve(null);
    // A session is usable once: a second reconnection with the same pid must not get the state again.
    this.#sessions.delete(pid);
    if (session.disconnectedAt + this.#maxDisconnectionDuration < this.#clock.now()) return Promise.resolve(null);
    let index = -1;
    for (let i = this.#packets.length - 1; i >= 0; i--) {
      if ((this.#packets[i] as StoredPacket).id === offset) {
        index = i;
        break;
      }
    }
    // An unknown offset means we cannot prove nothing was lost: refuse recovery rather than replay a gap.
    if (index === -1) return Promise.resolve(null);
    const rooms = new Set(session.rooms);
    const missedPackets: unknown[][] = [];
    for (let i = index + 1; i < this.#packets.length; i++) {
      const packet = this.#packets[i] as StoredPacket;
      if (isAddressedTo(rooms, packet)) missedPackets.push(packet.data);
    }
    const { disconnectedAt: _disconnectedAt, ...state } = session;
    return Promise.resolve({ ...state, missedPackets });
  }

  override broadcast(packet: Packet, opts: BroadcastOptions): void {
    const isEvent = packet.type === PacketType.EVENT || packet.type === PacketType.BINARY_EVENT;
    // Acknowledged and volatile packets are never replayed, so they carry no offset.
    if (isEvent && packet.id === undefined && opts.flags?.volatile !== true && Array.isArray(packet.data)) {
      const id = `${this.#offsetPrefix}-${(this.#offsetCounter++).toString(36)}`;
      const data = packet.data as unknown[];
      data.push(id);
      this.#packets.push({ id, emittedAt: this.#clock.now(), rooms: opts.rooms, except: opts.except, data });
    }
    super.broadcast(packet, opts);
  }
}

function isAddressedTo(socketRooms: Set<Room>, packet: StoredPacket): boolean {
  let included = packet.rooms.size === 0;
  if (!included) {
    for (const room of packet.rooms) {
      if (socketRooms.has(room)) {
        included = true;
        break;
      }
    }
  }
  if (!included || packet.except === undefined) return included;
  for (const room of packet.except) if (socketRooms.has(room)) return false;
  return true;
}

// Broadcast targeting (`to`/`in`/`except`, flags) and delivery through the adapter, acks collected per client.
import { PacketType, RESERVED_EVENTS, type Packet } from '@switchboard/protocol';
import { reportAdapterFailure, watchAdapterResult } from './adapter/adapter-failures.js';
import type { Adapter, BroadcastFlags, BroadcastOptions, Room, SocketDetails, SocketId } from './adapter/types.js';
import { ServerError, ServerErrorCode } from './errors.js';
import { RemoteSocket } from './remote-socket.js';
import { systemClock, type Clock } from './clock.js';
import { defaultUserCodeBoundary, type UserCodeBoundary } from './user-code.js';
import type {
  AllButLast,
  DecorateAcknowledgementsWithTimeoutAndMultipleResponses,
  EventNames,
  EventNamesWithError,
  EventParams,
  EventsMap,
  FirstNonErrorArg,
  Last,
  TypedEventBroadcaster,
  DefaultSocketData,
} from './typed-events.js';

type AckCallback = (err: Error | null, responses: unknown) => void;

/** What an operator needs from the server's runtime: the clock of its ack timeouts, the boundary of its callbacks. */
export interface BroadcastContext {
  readonly clock: Clock;
  readonly userCode: UserCodeBoundary;
}

const STANDALONE: BroadcastContext = Object.freeze({ clock: systemClock, userCode: defaultUserCodeBoundary });
// The application awaits a broadcast's acks: its timeout keeps the process alive, as socket.io's does.
const KEEP_ALIVE = Object.freeze({ keepAlive: true });

/** Throws the typed error for a reserved event name; shared by every emitting class. */
export function assertNotReserved(ev: unknown): void {
  if (typeof ev === 'string' && RESERVED_EVENTS.has(ev)) {
    throw new ServerError(ServerErrorCode.RESERVED_EVENT, `"${ev}" is a reserved event name`);
  }
}

/** An immutable broadcast target: each modifier returns a new operator. */
export class BroadcastOperator<
  EmitEvents extends EventsMap,
  SocketData = DefaultSocketData,
> implements TypedEventBroadcaster<EmitEvents> {
  readonly #adapter: Adapter;
  readonly #rooms: Set<Room>;
  readonly #exceptRooms: Set<Room>;
  readonly #flags: BroadcastFlags;
  readonly #context: BroadcastContext;

  /** socket.io's arguments, then the runtime's clock and boundary (the system's when constructed standalone). */
  constructor(
    adapter: Adapter,
    rooms: Set<Room> = new Set(),
    exceptRooms: Set<Room> = new Set(),
    flags: BroadcastFlags = {},
    context: BroadcastContext = STANDALONE,
  ) {
    this.#adapter = adapter;
    this.#rooms = rooms;
    this.#exceptRooms = exceptRooms;
    this.#flags = flags;
    this.#context = context;
  }

  /** Targets the sockets in `room` (added to the rooms already targeted). */
  to(room: Room | Room[]): BroadcastOperator<EmitEvents, SocketData> {
    const rooms = new Set(this.#rooms);
    if (Array.isArray(room)) for (const r of room) rooms.add(r);
    else rooms.add(room);
    return new BroadcastOperator(this.#adapter, rooms, this.#exceptRooms, this.#flags, this.#context);
  }

  /** Alias of `to`. */
  in(room: Room | Room[]): BroadcastOperator<EmitEvents, SocketData> {
    return this.to(room);
  }

  /** Excludes the sockets in `room`. */
  except(room: Room | Room[]): BroadcastOperator<EmitEvents, SocketData> {
    const exceptRooms = new Set(this.#exceptRooms);
    if (Array.isArray(room)) for (const r of room) exceptRooms.add(r);
    else exceptRooms.add(room);
    return new BroadcastOperator(this.#adapter, this.#rooms, exceptRooms, this.#flags, this.#context);
  }

  /** Sets whether the packet may be compressed. */
  compress(compress: boolean): BroadcastOperator<EmitEvents, SocketData> {
    return this.#withFlags({ compress });
  }

  /** The packet may be dropped for clients that are not ready to receive it. */
  get volatile(): BroadcastOperator<EmitEvents, SocketData> {
    return this.#withFlags({ volatile: true });
  }

  /** Deliver on this server only (matters with a cluster adapter). */
  get local(): BroadcastOperator<EmitEvents, SocketData> {
    return this.#withFlags({ local: true });
  }

  /** Waits `timeout` ms for one acknowledgement per client; the callback then gets an Error first. */
  timeout(
    timeout: number,
  ): BroadcastOperator<DecorateAcknowledgementsWithTimeoutAndMultipleResponses<EmitEvents>, SocketData> {
    return new BroadcastOperator(
      this.#adapter,
      this.#rooms,
      this.#exceptRooms,
      { ...this.#flags, timeout },
      this.#context,
    );
  }

  #withFlags(flags: BroadcastFlags): BroadcastOperator<EmitEvents, SocketData> {
    return new BroadcastOperator(
      this.#adapter,
      this.#rooms,
      this.#exceptRooms,
      { ...this.#flags, ...flags },
      this.#context,
    );
  }

  /**
   * Emits to every targeted client. A trailing callback (with `timeout`) receives an Error or null, then the
   * responses: an array with one entry per client.
   */
  emit<Ev extends EventNames<EmitEvents>>(ev: Ev, ...args: EventParams<EmitEvents, Ev>): boolean {
    assertNotReserved(ev);
    const data: unknown[] = [ev, ...(args as unknown[])];
    const packet: Packet = { type: PacketType.EVENT, nsp: '/', data };
    const last = data[data.length - 1];
    if (typeof last !== 'function') {
      const adapter = this.#adapter;
      try {
        // eslint-disable-next-line @typescript-eslint/no-confusing-void-expression -- adapters return void (socket.io's) or a promise
        watchAdapterResult(adapter, 'broadcast', adapter.broadcast(packet, this.#options()));
      } catch (err) {
        reportAdapterFailure(adapter, 'broadcast', err);
      }
      return true;
    }
    const timeoutMs = this.#flags.timeout;
    if (timeoutMs === undefined) {
      throw new ServerError(
        ServerErrorCode.BROADCAST_ACK_UNSUPPORTED,
        'an acknowledgement callback on a broadcast needs timeout(ms) first, e.g. io.timeout(5000).emit(...)',
      );
    }
    data.pop();
    this.#emitExpectingAcks(packet, last as AckCallback, timeoutMs);
    return true;
  }

  #emitExpectingAcks(packet: Packet, ack: AckCallback, timeoutMs: number): void {
    const single = this.#flags.expectSingleResponse === true;
    const responses: unknown[] = [];
    let done = false;
    let expectedServerCount = -1;
    let actualServerCount = 0;
    let expectedClientCount = 0;
    const { clock, userCode } = this.#context;
    const timer = clock.setTimeout(
      () => {
        done = true;
        const err = new ServerError(ServerErrorCode.ACK_TIMEOUT, 'operation has timed out');
        userCode.call(ack, undefined, [err, single ? null : responses]);
      },
      timeoutMs,
      KEEP_ALIVE,
    );
    // Complete once every server reported its client count and every counted client answered.
    const checkCompleteness = (): void => {
      if (done || expectedServerCount !== actualServerCount || responses.length !== expectedClientCount) return;
      done = true;
      clock.clearTimeout(timer);
      userCode.call(ack, undefined, [null, single ? responses[0] : responses]);
    };
    // A failing adapter leaves the count incomplete: the timeout then reports it to the caller.
    const adapter = this.#adapter;
    try {
      // eslint-disable-next-line @typescript-eslint/no-confusing-void-expression -- adapters return void (socket.io's) or a promise
      const result = adapter.broadcastWithAck(
        packet,
        this.#options(),
        (clientCount) => {
          expectedClientCount += clientCount;
          actualServerCount++;
          checkCompleteness();
        },
        (clientResponse) => {
          responses.push(clientResponse);
          checkCompleteness();
        },
      );
      watchAdapterResult(adapter, 'broadcastWithAck', result);
    } catch (err) {
      reportAdapterFailure(adapter, 'broadcastWithAck', err);
    }
    this.#adapter.serverCount().then(
      (serverCount) => {
        expectedServerCount = serverCount;
        checkCompleteness();
      },
      () => {}, // the timeout reports the failure
    );
  }

  /** Emits and resolves with the responses (one per client), or rejects on timeout. */
  emitWithAck<Ev extends EventNamesWithError<EmitEvents>>(
    ev: Ev,
    ...args: AllButLast<EventParams<EmitEvents, Ev>>
  ): Promise<FirstNonErrorArg<Last<EventParams<EmitEvents, Ev>>>> {
    return new Promise((resolve, reject) => {
      const callback: AckCallback = (err, responses) => {
        if (err !== null) reject(err);
        else resolve(responses as FirstNonErrorArg<Last<EventParams<EmitEvents, Ev>>>);
      };
      (this.emit as (ev: Ev, ...rest: unknown[]) => boolean)(ev, ...(args as unknown[]), callback);
    });
  }

  /** The targeted sockets, local ones as they are and remote ones as RemoteSocket. */
  async fetchSockets(): Promise<RemoteSocket<EmitEvents, SocketData>[]> {
    const details = await this.#adapter.fetchSockets({
      rooms: this.#rooms,
      except: this.#exceptRooms,
      flags: this.#flags,
    });
    return details.map((socket) => this.#toRemoteSocket(socket));
  }

  /**
   * A local socket already offers RemoteSocket's methods and is returned as it is (as socket.io does), so
   * `fetchSockets` allocates nothing for local sockets; others are wrapped.
   */
  #toRemoteSocket(details: SocketDetails): RemoteSocket<EmitEvents, SocketData> {
    if (typeof (details as { writeEncoded?: unknown }).writeEncoded === 'function') {
      return details as unknown as RemoteSocket<EmitEvents, SocketData>;
    }
    const flags: BroadcastFlags = { expectSingleResponse: true };
    const operator = new BroadcastOperator<EmitEvents, SocketData>(
      this.#adapter,
      new Set([details.id]),
      new Set(),
      flags,
      this.#context,
    );
    return new RemoteSocket(details, operator);
  }

  /** Ids of the targeted sockets on this server (deprecated in socket.io in favour of fetchSockets). */
  allSockets(): Promise<Set<SocketId>> {
    return this.#adapter.sockets(this.#rooms);
  }

  /** Makes the targeted sockets join `room`. */
  socketsJoin(room: Room | Room[]): void {
    this.#guard('addSockets', (adapter, opts) => adapter.addSockets(opts, Array.isArray(room) ? room : [room]));
  }

  /** Makes the targeted sockets leave `room`. */
  socketsLeave(room: Room | Room[]): void {
    this.#guard('delSockets', (adapter, opts) => adapter.delSockets(opts, Array.isArray(room) ? room : [room]));
  }

  /** Disconnects the targeted sockets; `close` also closes their underlying connections. */
  disconnectSockets(close = false): void {
    this.#guard('disconnectSockets', (adapter, opts) => adapter.disconnectSockets(opts, close));
  }

  #options(): BroadcastOptions {
    return { rooms: this.#rooms, except: this.#exceptRooms, flags: this.#flags };
  }

  /** Runs a call nobody awaits: a throw or a rejection is logged and counted, never passed on. */
  #guard(operation: string, call: (adapter: Adapter, opts: BroadcastOptions) => unknown): void {
    const adapter = this.#adapter;
    try {
      watchAdapterResult(adapter, operation, call(adapter, this.#options()));
    } catch (err) {
      reportAdapterFailure(adapter, operation, err);
    }
  }
}

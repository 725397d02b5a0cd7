// Dynamic namespaces: a parent matches names (RegExp or function), creates a child per name, and broadcasts to all.
import { InMemoryAdapter } from './adapter/in-memory-adapter.js';
import type { Adapter, AdapterNamespace, BroadcastOptions, Room, SocketDetails, SocketId } from './adapter/types.js';
import type { Packet } from '@switchboard/protocol';
import { Namespace } from './namespace.js';
import type { ServerRuntime } from './runtime.js';
import type { DefaultEventsMap, EventsMap, DefaultSocketData } from './typed-events.js';

/** Decides whether a namespace name may be created: `next(null, true)` accepts. */
export type ParentNspNameMatchFn = (
  name: string,
  auth: Record<string, unknown>,
  next: (err: Error | null, success: boolean) => void,
) => void;

/** Fans every adapter operation out to the children's adapters: a parent has no sockets of its own. */
class ParentAdapter extends InMemoryAdapter {
  readonly #children: () => Iterable<{ readonly adapter: Adapter }>;

  constructor(parent: AdapterNamespace, children: () => Iterable<{ readonly adapter: Adapter }>) {
    super(parent);
    this.#children = children;
  }

  override broadcast(packet: Packet, opts: BroadcastOptions): void {
    for (const child of this.#children()) child.adapter.broadcast({ ...packet, data: copyData(packet.data) }, opts);
  }

  override broadcastWithAck(
    packet: Packet,
    opts: BroadcastOptions,
    clientCountCallback: (clientCount: number) => void,
    ack: (...args: unknown[]) => void,
  ): void {
    let total = 0;
    for (const child of this.#children()) {
      child.adapter.broadcastWithAck(
        { ...packet, data: copyData(packet.data) },
        opts,
        (count) => (total += count),
        ack,
      );
    }
    clientCountCallback(total);
  }

  override async fetchSockets(opts: BroadcastOptions): Promise<SocketDetails[]> {
    const lists = await Promise.all([...this.#children()].map((child) => child.adapter.fetchSockets(opts)));
    return lists.flat();
  }

  override async sockets(rooms: Set<Room>): Promise<Set<SocketId>> {
    const sets = await Promise.all([...this.#children()].map((child) => child.adapter.sockets(rooms)));
    return new Set(sets.flatMap((set) => [...set]));
  }

  override addSockets(opts: BroadcastOptions, rooms: Room[]): void {
    for (const child of this.#children()) child.adapter.addSockets(opts, rooms);
  }

  override delSockets(opts: BroadcastOptions, rooms: Room[]): void {
    for (const child of this.#children()) child.adapter.delSockets(opts, rooms);
  }

  override disconnectSockets(opts: BroadcastOptions, close: boolean): void {
    for (const child of this.#children()) child.adapter.disconnectSockets(opts, close);
  }
}

// Each child's adapter may append an offset to the argument list: children must not share one array.
function copyData(data: unknown): unknown {
  return Array.isArray(data) ? data.slice() : data;
}

/** The namespace returned by `io.of(regexp)` or `io.of(fn)`: the parent of every namespace it matched. */
export class ParentNamespace<
  ListenEvents extends EventsMap = DefaultEventsMap,
  EmitEvents extends EventsMap = DefaultEventsMap,
  ServerSideEvents extends EventsMap = DefaultEventsMap,
  SocketData = DefaultSocketData,
> extends Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
  static #count = 0;
  readonly children = new Set<Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>>();

  constructor(runtime: ServerRuntime<ListenEvents, EmitEvents, ServerSideEvents, SocketData>) {
    super(runtime, `/_${ParentNamespace.#count++}`);
  }

  protected override initAdapter(): void {
    this.adapter = new ParentAdapter(this, () => this.children);
  }

  /** Creates the child namespace `name`, inheriting this parent's middlewares and connection listeners. */
  createChild(name: string): Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData> {
    const child = new Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>(this.runtime, name);
    for (const middleware of this.middlewares) child.use(middleware);
    for (const event of ['connect', 'connection'] as const) {
      for (const listener of this.listeners(event)) child.on(event, listener);
    }
    this.children.add(child);
    this.runtime.namespaces.registerChild(child, this);
    return child;
  }

  /** Removes a child (after it emptied, with `cleanupEmptyChildNamespaces`). */
  removeChild(child: Namespace<ListenEvents, EmitEvents, ServerSideEvents, SocketData>): void {
    this.children.delete(child);
  }
}

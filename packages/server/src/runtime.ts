// The server's runtime: everything Client, Namespace and Socket need from the server (codec, limits, deadlines,
// recovery, the adapter factory, the clock, the namespace resolver, the user-code boundary), handed to them
// explicitly so none of them reaches back to the Server facade.
import { PreparedMessage } from '@switchboard/engine';
import type { DecoderOptions, Packet } from '@switchboard/protocol';
import type { AdapterOption, EncodedPacket, RecoveryOptions } from './adapter/types.js';
import { systemClock, type Clock } from './clock.js';
import { DeadlineQueue } from './deadline-queue.js';
import type { ServerLimits } from './limits.js';
import type { Namespace } from './namespace.js';
import type { ParentNamespace } from './parent-namespace.js';
import { createEncoder, type ParserEncoder, type SocketParser } from './parser.js';
import type { RateLimit } from './rate-limit.js';
import type { Server } from './server.js';
import { SharedDecoder } from './shared-decoder.js';
import { defaultUserCodeBoundary, type UserCodeBoundary } from './user-code.js';
import type { EventsMap } from './typed-events.js';

/** A connection the runtime's deadlines may close: waiting for its first namespace, or for binary attachments. */
export interface DeadlineSubject {
  /** The Engine.IO session id, for logs. */
  readonly id: string;
  /** @internal No namespace joined within `connectTimeout`. */
  onConnectTimeout(): void;
  /** @internal A binary packet's attachments did not arrive within `attachmentTimeout`. */
  onAttachmentTimeout(): void;
}

/** Finds, creates and retires namespaces; the Server's registry implements it. */
export interface NamespaceResolver<L extends EventsMap, E extends EventsMap, S extends EventsMap, D> {
  /** The namespace `name`, created when missing. */
  of(name: string): Namespace<L, E, S, D>;
  /** An existing namespace, without creating it. */
  get(name: string): Namespace<L, E, S, D> | undefined;
  /** Asks each parent namespace in turn whether `name` may be created; `done` gets the child, or undefined. */
  check(
    name: string,
    auth: Record<string, unknown> | undefined,
    done: (nsp: Namespace<L, E, S, D> | undefined) => void,
  ): void;
  /** Registers a dynamic child namespace a parent created. */
  registerChild(child: Namespace<L, E, S, D>, parent: ParentNamespace<L, E, S, D>): void;
  /** A namespace lost its last socket (dynamic children go away with `cleanupEmptyChildNamespaces`). */
  onEmpty(nsp: Namespace<L, E, S, D>): void;
}

/** What a runtime is made of; every field but `limits` has a default, so a test states only what it varies. */
export interface ServerRuntimeOptions<L extends EventsMap, E extends EventsMap, S extends EventsMap, D> {
  /** The public facade that owns this runtime (what `nsp.server` answers). */
  server: Server<L, E, S, D>;
  limits: ServerLimits;
  parser?: SocketParser | undefined;
  rateLimit?: RateLimit | undefined;
  recovery?: RecoveryOptions | undefined;
  adapter: AdapterOption;
  connectTimeoutMs: number;
  /** @default the system clock */
  clock?: Clock | undefined;
  /** @default the production boundary (exceptions surface as uncaught) */
  userCode?: UserCodeBoundary | undefined;
  /** Builds the namespace resolver once the runtime exists (namespaces are created with the runtime). */
  createResolver(runtime: ServerRuntime<L, E, S, D>): NamespaceResolver<L, E, S, D>;
}

/** Not part of the documented API (no export from the package root): the explicit runtime of one Socket.IO server, shared by its clients, namespaces and sockets. */
export class ServerRuntime<L extends EventsMap, E extends EventsMap, S extends EventsMap, D> {
  /** The facade, for socket.io-compatible `nsp.server` (adapters read `server.opts` and `server.encoder`). */
  readonly server: Server<L, E, S, D>;
  readonly encoder: ParserEncoder;
  /** The `parser` option, undefined for the built-in codec. */
  readonly parser: SocketParser | undefined;
  /** The decoder's limits (`maxAttachments`, `maxDepth`, `maxArguments`). */
  readonly decoderOptions: DecoderOptions;
  /** Decodes every connection's plain text packets (built-in codec only; see shared-decoder.ts). */
  readonly sharedDecoder: SharedDecoder | undefined;
  /** What one connection or socket may make the server hold (see limits.ts). */
  readonly limits: ServerLimits;
  /** The `rateLimit` option checked; undefined when off. */
  readonly rateLimit: RateLimit | undefined;
  /** Recovery settings; undefined when off. */
  readonly recovery: RecoveryOptions | undefined;
  /** The one time source of every server timer: deadlines, ack timeouts, rate limits. */
  readonly clock: Clock;
  /** The one boundary every listener, middleware and ack callback runs behind. */
  readonly userCode: UserCodeBoundary;
  /** Connections waiting for their first namespace. */
  readonly connectDeadlines: DeadlineQueue<DeadlineSubject>;
  /** Connections whose binary packet waits for its attachments. */
  readonly attachmentDeadlines: DeadlineQueue<DeadlineSubject>;
  readonly namespaces: NamespaceResolver<L, E, S, D>;
  /** The adapter class (or factory) namespaces instantiate; `io.adapter(x)` replaces it. */
  adapterFactory: AdapterOption;
  #connectTimeoutMs: number;
  #adapterFailureCount = 0;

  constructor(options: ServerRuntimeOptions<L, E, S, D>) {
    this.server = options.server;
    this.limits = options.limits;
    this.parser = options.parser;
    this.decoderOptions = options.limits.decoder;
    this.encoder = createEncoder(options.parser);
    this.sharedDecoder = options.parser === undefined ? new SharedDecoder(this.decoderOptions) : undefined;
    this.rateLimit = options.rateLimit;
    this.recovery = options.recovery;
    this.adapterFactory = options.adapter;
    this.clock = options.clock ?? systemClock;
    this.userCode = options.userCode ?? defaultUserCodeBoundary;
    this.#connectTimeoutMs = options.connectTimeoutMs;
    // socket.io closes a connection that joined no namespace in time; one shared timer instead of one per client.
    this.connectDeadlines = new DeadlineQueue(
      this.#connectTimeoutMs,
      (client) => client.onConnectTimeout(),
      this.clock,
    );
    this.attachmentDeadlines = new DeadlineQueue(
      this.limits.attachmentTimeoutMs,
      (client) => client.onAttachmentTimeout(),
      this.clock,
    );
    this.namespaces = options.createResolver(this);
  }

  /** Milliseconds a connection may take to join its first namespace. */
  get connectTimeoutMs(): number {
    return this.#connectTimeoutMs;
  }

  set connectTimeoutMs(value: number) {
    this.#connectTimeoutMs = value;
    // Connections already waiting keep their deadline, as with socket.io's per-connection timers.
    this.connectDeadlines.setDelay(value);
  }

  /** Adapter calls that failed, across all namespaces (see `Server.adapterFailureCount`). */
  get adapterFailureCount(): number {
    return this.#adapterFailureCount;
  }

  countAdapterFailure(): void {
    this.#adapterFailureCount++;
  }

  /** Encodes a packet once into messages the engine can write to many connections. */
  encodePrepared(packet: Packet, compress: boolean): EncodedPacket {
    return this.encoder.encode(packet).map((chunk) => new PreparedMessage(chunk, { compress }));
  }
}

// Unit-test scaffolding for the core classes: a ServerRuntime on a manual clock, a user-code boundary that records
// exceptions instead of rethrowing them, and fake engine connections that decode what the server writes.
import { EventEmitter } from 'node:events';
import type { SessionConsumer } from '@switchboard/engine';
import { decodePlainText, type Packet } from '@switchboard/protocol';
import { InMemoryAdapter } from './adapter/in-memory-adapter.js';
import { SessionAwareAdapter } from './adapter/session-aware-adapter.js';
import type { RecoveryOptions } from './adapter/types.js';
import { Client } from './client.js';
import { ManualClock } from './manual-clock.fixture.js';
import type { EngineConnection, EngineRequest } from './engine-connection.js';
import { resolveLimits, type LimitOptions } from './limits.js';
import { NamespaceRegistry } from './namespace-registry.js';
import { resolveRecoveryOptions } from './recovery.js';
import { ServerRuntime } from './runtime.js';
import type { Server } from './server.js';
import type { DefaultEventsMap } from './typed-events.js';
import type { UserCodeBoundary } from './user-code.js';

export type TestRuntime = ServerRuntime<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, unknown>;

/** A boundary that keeps what application code threw, so a test can assert it was caught and not lost. */
export class RecordingBoundary implements UserCodeBoundary {
  readonly errors: unknown[] = [];

  call(fn: (...args: never[]) => unknown, thisArg: unknown, args: readonly unknown[]): unknown {
    try {
      return fn.apply(thisArg, args as never[]);
    } catch (err) {
      this.errors.push(err);
      return undefined;
    }
  }

  report(err: unknown): void {
    this.errors.push(err);
  }
}

/** One Engine.IO session as our engine hands it over: the client becomes its consumer; writes are decoded. */
export class FakeConnection extends EventEmitter implements EngineConnection {
  static #count = 0;
  readonly id = `conn${FakeConnection.#count++}`;
  readonly protocol = 4;
  readyState = 'open';
  readonly request = {
    headers: {},
    url: '/socket.io/?EIO=4',
    _query: {},
    connection: {},
    socket: {},
  } as unknown as EngineRequest;
  readonly transport = { name: 'websocket', writable: true };
  readonly writeBuffer: unknown[] = [];
  consumer: SessionConsumer | undefined = undefined;
  /** Every packet the server wrote, decoded. */
  readonly written: Packet[] = [];

  write(data: string | Uint8Array): void {
    if (typeof data !== 'string') throw new Error('FakeConnection decodes text packets only');
    const packet = decodePlainText(data);
    if (packet instanceof Error) throw packet;
    this.written.push(packet);
  }

  close(): void {
    if (this.readyState !== 'open') return;
    this.readyState = 'closed';
    this.consumer?.onSessionClose('forced close', undefined);
  }

  /** The client sends one text packet, e.g. `'0'` (CONNECT to /) or `'21["ev"]'` (EVENT with ack id 1). */
  receive(text: string): void {
    this.consumer?.onSessionData(text);
  }

  /** The transport dies under the client (a recoverable disconnection). */
  drop(reason: 'transport close' | 'ping timeout' = 'transport close'): void {
    this.readyState = 'closed';
    this.consumer?.onSessionClose(reason, undefined);
  }

  /** The packets written so far of `type`. */
  packetsOf(type: number): Packet[] {
    return this.written.filter((packet) => packet.type === type);
  }
}

export interface TestRuntimeOptions {
  connectTimeoutMs?: number;
  recovery?: Partial<RecoveryOptions>;
  limits?: Partial<LimitOptions>;
}

/** A runtime as a Server builds it, on a manual clock and a recording boundary, with no HTTP or engine behind it. */
export function createTestRuntime(options: TestRuntimeOptions = {}): {
  runtime: TestRuntime;
  clock: ManualClock;
  userCode: RecordingBoundary;
  /** A new connection, handed to a Client as the engine would. */
  connect(): { conn: FakeConnection; client: Client };
} {
  const clock = new ManualClock(1_000_000);
  const userCode = new RecordingBoundary();
  const recovery = resolveRecoveryOptions(options.recovery);
  const runtime: TestRuntime = new ServerRuntime({
    // No facade: the core classes must not need one (only nsp.server, for socket.io-compatible adapters, returns it).
    server: undefined as unknown as Server,
    limits: resolveLimits(options.limits ?? {}),
    recovery,
    adapter: recovery !== undefined ? SessionAwareAdapter : InMemoryAdapter,
    connectTimeoutMs: options.connectTimeoutMs ?? 45_000,
    clock,
    userCode,
    createResolver: (rt) => new NamespaceRegistry(rt, false),
  });
  // The main namespace always exists, as `new Server()` creates it.
  runtime.namespaces.of('/');
  return {
    runtime,
    clock,
    userCode,
    connect() {
      const conn = new FakeConnection();
      return { conn, client: new Client(runtime, conn) };
    },
  };
}

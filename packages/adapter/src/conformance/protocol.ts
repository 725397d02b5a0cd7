// What the conformance suite and its server processes say to each other over IPC (advanced serialization, so
// Buffers cross as Buffers).

/** What the author's factory module is given in each server process. */
export interface ConformanceNodeContext {
  /** 0, 1 or 2: which server of the cluster this process is. */
  nodeIndex: number;
  /** Short settings so the suite ends quickly; pass them to `ClusterAdapter`-based adapters. */
  requestsTimeout: number;
  heartbeatInterval: number;
  heartbeatTimeout: number;
  /** The `factoryOptions` given to `defineAdapterConformanceSuite`, as JSON. */
  options: Record<string, unknown>;
}

/** Which sockets a command targets. */
export interface Target {
  rooms?: string[];
  except?: string[];
  local?: boolean;
  volatile?: boolean;
}

/** A command from the suite to a server process. */
export type Command =
  | { op: 'emit'; target: Target; event: string; args: unknown[] }
  | { op: 'emitWithAck'; target: Target; timeout: number; event: string; args: unknown[] }
  | { op: 'fetchSockets'; target: Target }
  | {
      op: 'remoteSocket';
      socketId: string;
      action: 'emit' | 'join' | 'leave' | 'disconnect';
      room?: string;
      event?: string;
      args?: unknown[];
    }
  | { op: 'socketsJoin' | 'socketsLeave'; target: Target; room: string }
  | { op: 'disconnectSockets'; target: Target }
  | { op: 'serverSideEmit'; event: string; args: unknown[] }
  | { op: 'serverSideEmitWithAck'; event: string; args: unknown[] }
  | { op: 'serverCount' }
  | { op: 'allRooms' }
  | { op: 'close' };

/** A socket as `fetchSockets` reports it to the suite. */
export interface FetchedSocket {
  id: string;
  rooms: string[];
  data: unknown;
}

/** The answer to a command: a value, or a failure with its error code and how long it took. */
export type Reply =
  { ok: true; value: unknown } | { ok: false; code: string | undefined; message: string; elapsedMs: number };

/** Messages from a server process. */
export type NodeMessage =
  | { kind: 'ready'; port: number }
  | { kind: 'reply'; id: number; reply: Reply }
  | { kind: 'server-side-event'; event: string; args: unknown[] }
  | { kind: 'fatal'; message: string };

/** Messages to a server process. */
export interface CommandMessage {
  id: number;
  command: Command;
}

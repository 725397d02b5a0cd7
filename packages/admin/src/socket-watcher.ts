// Watches every namespace's sockets and rooms: admin-ui's per-change events for official dashboards, and the
// activity log for ours. Per-change payloads are only built while an official dashboard is connected.
import type { Namespace, Socket } from '@switchboard/server';
import type { ActivityLog } from './activity-log.js';
import { serializeSocket } from './serialize.js';

/** Sends one admin-ui event to the official dashboards only; `active` is false when none is connected. */
export interface CompatSink {
  readonly active: boolean;
  emit(event: string, ...args: unknown[]): void;
}

function withoutAck(args: unknown[]): unknown[] {
  return typeof args[args.length - 1] === 'function' ? args.slice(0, -1) : args;
}

/** Hooks one namespace; `streamEvents` (development mode) also follows every event in and out. */
export function watchNamespace(
  nsp: Namespace,
  adminNsp: Namespace,
  sink: CompatSink,
  log: ActivityLog,
  streamEvents: boolean,
): void {
  const name = nsp.name;
  nsp.prependListener('connection', (socket: Socket) => {
    log.record('connected', name, socket.id, socket.conn.transport.name);
    if (sink.active) sink.emit('socket_connected', serializeSocket(socket, name), new Date());
    socket.conn.once('upgrade', (transport: { name: string }) => {
      if (sink.active) sink.emit('socket_updated', { id: socket.id, nsp: name, transport: transport.name });
    });
    // The dashboards' own traffic would echo forever in their logs.
    if (streamEvents && nsp !== adminNsp) {
      socket.onAny((event: string, ...args: unknown[]) => {
        const plain = withoutAck(args);
        log.record('received', name, socket.id, event, plain);
        if (sink.active) sink.emit('event_received', name, socket.id, [event, ...plain], new Date());
      });
      socket.onAnyOutgoing((event: string, ...args: unknown[]) => {
        log.record('sent', name, socket.id, event, args);
        if (sink.active) sink.emit('event_sent', name, socket.id, [event, ...args], new Date());
      });
    }
    socket.on('disconnect', (reason: string) => {
      log.record('disconnected', name, socket.id, reason);
      if (sink.active) sink.emit('socket_disconnected', name, socket.id, reason, new Date());
    });
  });
  nsp.adapter.on('join-room', (room: string, id: string) => {
    log.record('joined', name, id, room);
    if (sink.active) sink.emit('room_joined', name, room, id, new Date());
  });
  nsp.adapter.on('leave-room', (room: string, id: string) => {
    log.record('left', name, id, room);
    // After the socket's own bookkeeping, as admin-ui does, so a dashboard that re-reads the socket sees it gone.
    process.nextTick(() => {
      if (sink.active) sink.emit('room_left', name, room, id, new Date());
    });
  });
}

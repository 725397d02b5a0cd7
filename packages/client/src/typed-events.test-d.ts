// Compile-time checks of the typed client API; types.test.ts runs tsc on this file. Each @ts-expect-error must fail to compile.
import { io, Manager, type Socket } from './index.js';

interface ServerToClient {
  news: (title: string, score: number) => void;
  binary: (data: Uint8Array) => void;
}
interface ClientToServer {
  hello: (name: string) => void;
  add: (a: number, b: number, ack: (sum: number) => void) => void;
}

const socket: Socket<ServerToClient, ClientToServer> = io('http://localhost:3000', { autoConnect: false });

socket.on('news', (title, score) => {
  const t: string = title;
  const s: number = score;
  void [t, s];
});
// @ts-expect-error the listener's parameters do not match the event map
socket.on('news', (title: number) => void title);
socket.on('connect', () => undefined);
socket.on('connect_error', (err) => void err.message);
socket.on('disconnect', (reason: Socket.DisconnectReason) => {
  // @ts-expect-error reasons are a union of socket.io's strings
  const r: 'nope' = reason;
  void r;
});

socket.emit('hello', 'ann');
// @ts-expect-error wrong argument type
socket.emit('hello', 42);
// @ts-expect-error unknown event
socket.emit('goodbye');
socket.emit('add', 1, 2, (sum) => {
  const n: number = sum;
  void n;
});
// @ts-expect-error the ack's parameter is a number
socket.emit('add', 1, 2, (sum: string) => void sum);

// After timeout(), acknowledgements take an Error first.
socket.timeout(1000).emit('add', 1, 2, (err, sum) => {
  const e: Error = err;
  const n: number = sum;
  void [e, n];
});
// @ts-expect-error without the error parameter first
socket.timeout(1000).emit('add', 1, 2, (sum: number) => void sum);

async function acks(): Promise<void> {
  const sum: number = await socket.emitWithAck('add', 1, 2);
  const timed: number = await socket.timeout(500).emitWithAck('add', 1, 2);
  // @ts-expect-error resolves with a number
  const wrong: string = await socket.emitWithAck('add', 1, 2);
  // @ts-expect-error the ack callback is not passed to emitWithAck
  await socket.emitWithAck('add', 1, 2, () => undefined);
  void [sum, timed, wrong];
}
void acks;

// Untyped sockets accept anything.
const loose = io();
loose.emit('anything', 1, { a: 2 }, () => undefined);
loose.on('whatever', (...args: unknown[]) => void args);

const manager = new Manager('http://localhost:3000', { autoConnect: false, reconnectionDelayMax: 10_000 });
manager.on('reconnect_attempt', (attempt) => {
  const n: number = attempt;
  void n;
});
// @ts-expect-error reconnection() with an argument returns the manager, not a boolean
const flag: boolean = manager.reconnection(false);
void flag;

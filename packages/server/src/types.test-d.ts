// Compile-time checks of the typed-events API (run by types.test.ts through tsc). Every @ts-expect-error line
// must fail to compile: if the types became too loose, tsc reports the directive as unused and the test fails.
import { Server, type RemoteSocket, type Socket } from './index.js';

interface ClientToServer {
  hello: (name: string, ack: (greeting: string) => void) => void;
  count: (n: number) => void;
}
interface ServerToClient {
  news: (title: string) => void;
  ask: (question: string, ack: (answer: number) => void) => void;
}
interface InterServer {
  sync: (version: number) => void;
}
interface Data {
  user: string;
}

const io = new Server<ClientToServer, ServerToClient, InterServer, Data>();

io.on('connection', (socket: Socket<ClientToServer, ServerToClient, InterServer, Data>) => {
  socket.on('hello', (name, ack) => ack(`hi ${name}`));
  socket.on('count', (n) => n.toFixed());
  // @ts-expect-error the ack takes a string
  socket.on('hello', (_name, ack) => ack(1));
  // @ts-expect-error not an event the client sends
  socket.on('unknown', () => {});
  socket.on('disconnect', (reason) => reason.toUpperCase());

  socket.emit('news', 'title');
  // @ts-expect-error news takes a string
  socket.emit('news', 1);
  // @ts-expect-error not an event the server sends
  socket.emit('nothing');
  socket.emit('ask', 'q', (answer) => answer.toFixed());
  socket.timeout(100).emit('ask', 'q', (err, answer) => {
    const error: Error = err;
    return [error, answer.toFixed()];
  });
  const answer: Promise<number> = socket.emitWithAck('ask', 'q');
  // @ts-expect-error resolves with a number
  const wrong: Promise<string> = socket.emitWithAck('ask', 'q');

  socket.data.user = 'ann';
  // @ts-expect-error data is typed by SocketData
  socket.data.user = 1;

  socket.to('room').emit('news', 't');
  socket.broadcast.emit('news', 't');
  return [answer, wrong];
});

io.emit('news', 'headline');
// @ts-expect-error a broadcast without timeout cannot take an acknowledgement
io.emit('ask', 'q', () => {});
io.timeout(100).emit('ask', 'q', (err, answers) => {
  const all: number[] = answers;
  return [err.message, all];
});
const answers: Promise<number[]> = io.timeout(100).emitWithAck('ask', 'q');
io.to('room').except(['a', 'b']).emit('news', 't');
// @ts-expect-error arguments checked through to/except too
io.to('room').emit('news', 2);

io.serverSideEmit('sync', 3);
// @ts-expect-error inter-server events are typed
io.serverSideEmit('sync', 'three');
io.on('sync', (version) => version.toFixed());

io.of('/admin').on('connection', (socket) => socket.emit('news', 'admin'));

async function fetched(): Promise<void> {
  const sockets: RemoteSocket<ServerToClient, Data>[] = await io.fetchSockets();
  for (const socket of sockets) {
    const user: string = socket.data.user;
    socket.emit('news', user);
  }
}

// Without generics every event is allowed and socket.data takes any key, as in socket.io.
const untyped = new Server();
untyped.on('connection', (socket) => {
  socket.data.user = 'ann';
  socket.emit('anything', 1, { nested: true });
  socket.on('whatever', (...args: unknown[]) => args.length);
});

export { answers, fetched };

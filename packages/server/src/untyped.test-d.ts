// Compile-time checks (run by types.test.ts through tsc): untyped code written as socket.io's docs write it compiles
// against ours as it does against socket.io, and Express-typed middlewares fit `io.engine.use()`.
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import session from 'express-session';
import passport from 'passport';
import { Server, type Socket } from './index.js';

declare module 'node:http' {
  interface IncomingMessage {
    user?: { id: string };
  }
}

const io = new Server();

// express-session, passport and a plain Express handler, as the docs pass them.
const sessionMiddleware = session({ secret: 'changeit', resave: true, saveUninitialized: true });
io.engine.use(sessionMiddleware);
io.engine.use(passport.initialize());
io.engine.use(passport.session());
io.engine.use(passport.authenticate('jwt', { session: false }));
const expressHandler: RequestHandler = (_req, _res, next) => next();
io.engine.use(expressHandler);
io.engine.use(
  (req: IncomingMessage & { _query: Record<string, string> }, _res: unknown, next: (err?: Error) => void) => {
    if (req._query['sid'] === undefined) next();
  },
);

io.use((socket, next) => {
  // Untyped auth and data, as socket.io types them.
  const token: string = socket.handshake.auth.token;
  if (token === '') next(new Error('unauthorized'));
  socket.data.count = 0;
  socket.data.user = { name: token };
  next();
});

io.on('connection', (socket) => {
  socket.data.count++;
  const name: string = socket.data.user.name;
  const userId: string | undefined = socket.request.user?.id;
  socket.emit('hello', name, userId, socket.handshake.auth.anything?.nested);
  socket.on('chat message', (msg, ack) => {
    io.emit('chat message', msg);
    ack({ status: 'ok' });
  });
  // @ts-expect-error handshake headers stay typed
  socket.handshake.headers.host.toFixed();
});

// Strictness is opt-in through the generics.
interface StrictData {
  count: number;
}
const strict = new Server<Record<string, never>, Record<string, never>, Record<string, never>, StrictData>();
strict.on(
  'connection',
  (socket: Socket<Record<string, never>, Record<string, never>, Record<string, never>, StrictData>) => {
    socket.data.count++;
    // @ts-expect-error not a field of StrictData
    socket.data.missing = 1;
  },
);

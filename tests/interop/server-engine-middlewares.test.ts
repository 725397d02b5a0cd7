// socket.io's documented patterns for express-session, passport and passport-jwt: `io.engine.use()` middlewares
// decorate the handshake request and `socket.request` is that request. Run against socket.io 4.8 (which proves the
// expectations) and ours.
import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import express from 'express';
import session from 'express-session';
import jwt from 'jsonwebtoken';
import passport from 'passport';
import { ExtractJwt, Strategy as JwtStrategy } from 'passport-jwt';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import type { Server } from '@switchboard/server';
import { SERVER_IMPLEMENTATIONS, waitFor } from './server-kit.js';

interface User {
  id: string;
  name: string;
}

declare module 'express-session' {
  interface SessionData {
    user?: string;
  }
}

type SessionRequest = IncomingMessage & { session: session.Session & Partial<session.SessionData>; user?: User };

const JWT_SECRET = 'interop-test-secret';

function listen(server: HttpServer): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** GETs `path` and returns the session cookie the server set. */
function login(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path }, (res) => {
      res.resume();
      const cookie = res.headers['set-cookie']?.[0]?.split(';')[0];
      if (cookie === undefined) reject(new Error(`no cookie from ${path} (status ${res.statusCode})`));
      else resolve(cookie);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Express app + HTTP server + Socket.IO server of one implementation, closed together. */
async function startApp(create: (httpServer: HttpServer) => Server, setup: (app: express.Express, io: Server) => void) {
  const app = express();
  const httpServer = createServer(app);
  const io = create(httpServer);
  setup(app, io);
  const port = await listen(httpServer);
  const clients: ClientSocket[] = [];
  return {
    io,
    connect(opts: Parameters<typeof connectClient>[1] = {}): ClientSocket {
      const client = connectClient(`http://127.0.0.1:${port}`, { forceNew: true, reconnection: false, ...opts });
      clients.push(client);
      return client;
    },
    port,
    async close(): Promise<void> {
      for (const client of clients) client.disconnect();
      httpServer.closeAllConnections();
      await io.close();
    },
  };
}

for (const impl of SERVER_IMPLEMENTATIONS) {
  describe(`io.engine.use() middlewares and socket.request on ${impl.name}`, () => {
    const open: { close(): Promise<void> }[] = [];
    after(async () => {
      for (const app of open) await app.close();
    });
    const create = (httpServer: HttpServer): Server => impl.create(httpServer, {});

    for (const transports of [['polling', 'websocket'], ['websocket']] as const) {
      test(`express-session: socket.request.session is the session the cookie names (${transports.join('+')})`, async () => {
        const app = await startApp(create, (express, io) => {
          const sessionMiddleware = session({ secret: 'changeit', resave: true, saveUninitialized: true });
          express.use(sessionMiddleware);
          express.get('/login', (req, res) => {
            req.session.user = 'alice';
            res.send('ok');
          });
          io.engine.use(sessionMiddleware);
          io.on('connection', (socket) => {
            const req = socket.request as SessionRequest;
            void socket.join(req.session.id);
            socket.emit('who', req.session.user, req.session.id, socket.rooms.has(req.session.id));
          });
        });
        open.push(app);
        const cookie = await login(app.port, '/login');
        const client = app.connect({ transports: [...transports], extraHeaders: { cookie } });
        const [user, sessionId, joined] = await waitFor<[string, string, boolean]>(client, 'who');
        assert.equal(user, 'alice');
        assert.ok(decodeURIComponent(cookie).startsWith(`connect.sid=s:${sessionId}.`), cookie);
        assert.equal(joined, true);
      });
    }

    test('passport with sessions: socket.request.user is the logged-in user, others are refused', async () => {
      const users = new Map<string, User>([['1', { id: '1', name: 'alice' }]]);
      const app = await startApp(create, (express, io) => {
        const sessionMiddleware = session({ secret: 'changeit', resave: false, saveUninitialized: false });
        const authenticator = new passport.Passport();
        authenticator.serializeUser((user, done) => done(null, (user as User).id));
        authenticator.deserializeUser((id: string, done) => done(null, users.get(id) ?? false));
        express.use(sessionMiddleware);
        express.use(authenticator.session());
        express.get('/login', (req, res, next) => {
          req.login(users.get('1') as Express.User, (err) =>
            err === undefined || err === null ? res.send('ok') : next(err),
          );
        });
        const onlyForHandshake =
          (middleware: (req: IncomingMessage, res: never, next: (err?: unknown) => void) => void) =>
          (req: IncomingMessage & { _query?: Record<string, unknown> }, res: never, next: (err?: unknown) => void) => {
            if (req._query?.['sid'] === undefined) middleware(req, res, next);
            else next();
          };
        io.engine.use(onlyForHandshake(sessionMiddleware as never));
        io.engine.use(onlyForHandshake(authenticator.session() as never));
        io.engine.use(
          onlyForHandshake((req, res: { writeHead(status: number): void; end(): void }, next) => {
            if ((req as SessionRequest).user !== undefined) next();
            else {
              res.writeHead(401);
              res.end();
            }
          }),
        );
        io.on('connection', (socket) => {
          const user = (socket.request as SessionRequest).user as User;
          void socket.join(`user:${user.id}`);
          socket.emit('whoami', user.name);
        });
      });
      open.push(app);
      const cookie = await login(app.port, '/login');
      const client = app.connect({ extraHeaders: { cookie } });
      assert.deepEqual(await waitFor(client, 'whoami'), ['alice']);
      const stranger = app.connect();
      await waitFor(stranger, 'connect_error');
    });

    test('passport-jwt: a bearer token authenticates the handshake and sets socket.request.user', async () => {
      const app = await startApp(create, (_express, io) => {
        const authenticator = new passport.Passport();
        authenticator.use(
          new JwtStrategy(
            { jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: JWT_SECRET },
            (payload: { sub: string; name: string }, done) => done(null, { id: payload.sub, name: payload.name }),
          ),
        );
        io.engine.use((req: IncomingMessage & { _query: Record<string, unknown> }, res, next) => {
          const isHandshake = req._query['sid'] === undefined;
          if (isHandshake) (authenticator.authenticate('jwt', { session: false }) as Handler)(req, res, next);
          else next();
        });
        io.on('connection', (socket) => {
          const user = (socket.request as SessionRequest).user as User;
          void socket.join(`user:${user.id}`);
          socket.emit('whoami', user.name, socket.rooms.has(`user:${user.id}`));
        });
      });
      open.push(app);
      const token = jwt.sign({ sub: '7', name: 'bob' }, JWT_SECRET);
      const client = app.connect({ extraHeaders: { authorization: `bearer ${token}` } });
      assert.deepEqual(await waitFor(client, 'whoami'), ['bob', true]);
      const forged = app.connect({ extraHeaders: { authorization: `bearer ${jwt.sign({ sub: '8' }, 'wrong')}` } });
      await waitFor(forged, 'connect_error');
    });
  });
}

/** passport.authenticate()'s result, typed `any` by @types/passport. */
type Handler = (req: unknown, res: unknown, next: (err?: unknown) => void) => void;

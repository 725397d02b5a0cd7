// A server application as many are written: an `uncaughtException` handler keeps the process up, and some handlers
// throw. Run as a child process by server-user-code.test.ts; `official` as first argument runs socket.io 4.8.
// Prints one JSON line per fact: {"listening":port}, {"uncaught":message}.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as OfficialServer } from 'socket.io';
import { Server } from '@switchboard/server';

const official = process.argv[2] === 'official';
const print = (fact: object): void => void process.stdout.write(`${JSON.stringify(fact)}\n`);

process.on('uncaughtException', (err) => print({ uncaught: err.message }));

const httpServer = createServer();
const io = (official ? new OfficialServer(httpServer) : new Server(httpServer)) as unknown as Server;

io.on('connection', (socket) => {
  socket.on('throw', () => {
    throw new Error('handler bug');
  });
  socket.on('throw-in-ack', (ack: () => void) => {
    ack();
    throw new Error('handler bug after ack');
  });
  socket.on('echo', (value: unknown, ack: (v: unknown) => void) => ack(value));
  socket.on('count', (...args: unknown[]) => {
    const ack = args.pop() as (n: number) => void;
    ack(args.length);
  });
  socket.on('ask-back', async (ack: (v: unknown) => void) => {
    // The client's answer reaches an ack callback that throws: the exception is the application's.
    socket.emit('question', () => {
      throw new Error('ack callback bug');
    });
    ack('asked');
  });
});
io.of('/throwing-connection').on('connection', () => {
  throw new Error('connection handler bug');
});
io.of('/throwing-connection').on('connection', (socket) => {
  socket.on('echo', (value: unknown, ack: (v: unknown) => void) => ack(value));
});

io.of('/throwing-middleware').use(() => {
  throw new Error('middleware bug in /srv/app/auth.js');
});

httpServer.listen(0, '127.0.0.1', () => print({ listening: (httpServer.address() as AddressInfo).port }));

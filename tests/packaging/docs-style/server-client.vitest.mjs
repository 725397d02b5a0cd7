// The same socket.io-docs-style suite as ES modules under vitest (globals), against our tarballs installed as
// `socket.io` / `socket.io-client`.
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { io as ioc } from 'socket.io-client';

function waitFor(emitter, event) {
  return new Promise((resolve) => emitter.once(event, resolve));
}

describe('socket.io-style suite (vitest, ESM)', () => {
  let io, serverSocket, clientSocket, port;

  beforeAll(async () => {
    const httpServer = createServer();
    io = new Server(httpServer);
    await new Promise((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    port = httpServer.address().port;
    clientSocket = ioc(`http://127.0.0.1:${port}`);
    [serverSocket] = await Promise.all([waitFor(io, 'connection'), waitFor(clientSocket, 'connect')]);
  });

  afterAll(() => {
    io.close();
    clientSocket.disconnect();
  });

  test('the client receives what the server emits', async () => {
    const received = waitFor(clientSocket, 'hello');
    serverSocket.emit('hello', 'world');
    expect(await received).toBe('world');
  });

  test('the server acknowledges a client emit', async () => {
    serverSocket.on('hi', (cb) => cb('hola'));
    expect(await clientSocket.emitWithAck('hi')).toBe('hola');
  });

  test('a room broadcast reaches every member', async () => {
    const other = ioc(`http://127.0.0.1:${port}`, { forceNew: true });
    const [socket] = await Promise.all([waitFor(io, 'connection'), waitFor(other, 'connect')]);
    socket.join('room1');
    serverSocket.join('room1');
    const both = Promise.all([waitFor(other, 'news'), waitFor(clientSocket, 'news')]);
    io.to('room1').emit('news', 'for the room');
    expect(await both).toEqual(['for the room', 'for the room']);
    other.disconnect();
  });
});

// A test written the way socket.io's testing guide shows (jest, CommonJS, the `socket.io` and `socket.io-client`
// package names): tarballs.test.ts installs our tarballs under those names and runs this file unchanged.
const { createServer } = require('node:http');
const { Server } = require('socket.io');
const ioc = require('socket.io-client');

describe('socket.io-style suite (jest, CommonJS)', () => {
  let io, serverSocket, clientSocket, port;

  beforeAll((done) => {
    const httpServer = createServer();
    io = new Server(httpServer);
    httpServer.listen(0, '127.0.0.1', () => {
      port = httpServer.address().port;
      clientSocket = ioc(`http://127.0.0.1:${port}`);
      io.on('connection', (socket) => {
        serverSocket = socket;
      });
      clientSocket.on('connect', done);
    });
  });

  afterAll(() => {
    io.close();
    clientSocket.disconnect();
  });

  test('the client receives what the server emits', (done) => {
    clientSocket.on('hello', (arg) => {
      expect(arg).toBe('world');
      done();
    });
    serverSocket.emit('hello', 'world');
  });

  test('the server acknowledges a client emit', (done) => {
    serverSocket.on('hi', (cb) => cb('hola'));
    clientSocket.emit('hi', (arg) => {
      expect(arg).toBe('hola');
      done();
    });
  });

  test('emitWithAck resolves with the client acknowledgement', async () => {
    clientSocket.on('foo', (cb) => cb('bar'));
    const result = await serverSocket.timeout(2000).emitWithAck('foo');
    expect(result).toBe('bar');
  });

  test('a room broadcast reaches a second client built with new Client(url)', (done) => {
    const Client = ioc;
    const other = new Client(`http://127.0.0.1:${port}`, { forceNew: true });
    io.once('connection', (socket) => {
      socket.join('room1');
      serverSocket.join('room1');
      other.on('news', (arg) => {
        expect(arg).toBe('for the room');
        other.disconnect();
        done();
      });
      io.to('room1').emit('news', 'for the room');
    });
  });
});

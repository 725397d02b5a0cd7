// Protocol violations close the connection without crashing or hanging the server: a second CONNECT for a namespace
// already joined, a binary frame no packet announced, an empty binary frame, a binary packet with nothing in it.
// Run against socket.io 4.8 (proving the expectations) and ours.
import { after, describe, test } from 'node:test';
import { RawPeer, SERVER_IMPLEMENTATIONS, startServer, within, type TestServer } from './server-kit.js';

const VIOLATIONS: readonly [string, string | Buffer][] = [
  ['a second CONNECT for a namespace already joined', '40'],
  ['a binary frame that no packet announced', Buffer.from([1, 2, 3])],
  ['an empty binary frame', Buffer.alloc(0)],
  ['an empty binary packet (type 5 without attachment count)', '45'],
];

for (const impl of SERVER_IMPLEMENTATIONS) {
  describe(`protocol violations on ${impl.name}`, () => {
    let server: TestServer | undefined;
    const peers: RawPeer[] = [];
    after(async () => {
      for (const peer of peers) peer.ws.terminate();
      await server?.close();
    });

    for (const [name, frame] of VIOLATIONS) {
      test(`${name} closes the connection, and the server goes on`, async () => {
        server ??= await startServer({}, 0, impl.create);
        const peer = new RawPeer(server.url);
        peers.push(peer);
        await peer.open();
        peer.send(frame);
        await within(peer.closed, 5000, 'the connection to close');
        const next = new RawPeer(server.url);
        peers.push(next);
        await next.open();
      });
    }
  });
}

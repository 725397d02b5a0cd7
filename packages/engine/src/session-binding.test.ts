import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import WebSocket from 'ws';
import type { ServerOptions } from './options.js';
import type { Socket } from './socket.js';
import { pollingHandshake, send, startEngine, until, waitFor } from './testing/harness.js';
import type { Harness } from './testing/harness.js';

// The whole of 127.0.0.0/8 is loopback on Linux: a second local address stands in for another machine.
const OTHER_ADDRESS = '127.0.0.2';
const UNKNOWN_SID = { code: 1, message: 'Session ID unknown' };

/** A polling session opened from 127.0.0.1 with a message queued for it. */
async function sessionWithQueuedMessage(options: ServerOptions): Promise<{ h: Harness; socket: Socket; url: string }> {
  const h = await startEngine({ pingInterval: 10_000, ...options });
  const connected = waitFor<[Socket]>(h.engine, 'connection');
  const { sid } = await pollingHandshake(h.port);
  const [socket] = await connected;
  socket.send('for the victim only');
  return { h, socket, url: `/engine.io/?EIO=4&transport=polling&sid=${sid}` };
}

describe('session ids as bearer tokens', () => {
  it('lets a request from another address read a session’s queued packets by default, as engine.io does', async () => {
    const { h, url } = await sessionWithQueuedMessage({});
    try {
      const stolen = await send(h.port, url, { localAddress: OTHER_ADDRESS });
      assert.deepEqual([stolen.status, stolen.body], [200, '4for the victim only']);
    } finally {
      await h.close();
    }
  });

  it('answers "Session ID unknown" to a polling GET from another address with bindSessionToAddress, leaving the session alone', async () => {
    const { h, socket, url } = await sessionWithQueuedMessage({ bindSessionToAddress: true });
    try {
      const refused = await send(h.port, url, { localAddress: OTHER_ADDRESS });
      assert.deepEqual([refused.status, JSON.parse(refused.body)], [400, UNKNOWN_SID]);
      const own = await send(h.port, url);
      assert.deepEqual([own.status, own.body, socket.readyState], [200, '4for the victim only', 'open']);
    } finally {
      await h.close();
    }
  });

  it('refuses a POST and an upgrade from another address with bindSessionToAddress', async () => {
    const { h, socket, url } = await sessionWithQueuedMessage({ bindSessionToAddress: true });
    try {
      const messages: unknown[] = [];
      socket.on('message', (data) => messages.push(data));
      const posted = await send(h.port, url, { method: 'POST', body: '4forged', localAddress: OTHER_ADDRESS });
      assert.deepEqual([posted.status, messages], [400, []]);
      const ws = new WebSocket(`ws://127.0.0.1:${h.port}/engine.io/?EIO=4&transport=websocket&sid=${socket.id}`, {
        localAddress: OTHER_ADDRESS,
      });
      ws.on('error', () => {});
      const [, response] = await waitFor<[unknown, IncomingMessage]>(ws, 'unexpected-response');
      assert.equal(response.statusCode, 400);
      ws.terminate();
      await until(() => socket.readyState === 'open' && !socket.upgrading);
    } finally {
      await h.close();
    }
  });
});

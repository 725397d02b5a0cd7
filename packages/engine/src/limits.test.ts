import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import WebSocket from 'ws';
import type { Socket } from './socket.js';
import { pollingHandshake, send, startEngine, waitFor } from './testing/harness.js';
import type { RawResponse } from './testing/harness.js';

const BAD_REQUEST = { code: 3, message: 'Bad request' };

describe('packets per polling payload', () => {
  it('refuses a POST with more packets than maxPacketsPerPayload with 400 {"code":3} and closes the session', async () => {
    const h = await startEngine({ pingInterval: 10_000, maxPacketsPerPayload: 5 });
    try {
      const connected = waitFor<[Socket]>(h.engine, 'connection');
      const { sid } = await pollingHandshake(h.port);
      const [socket] = await connected;
      const messages: unknown[] = [];
      socket.on('message', (data) => messages.push(data));
      const url = `/engine.io/?EIO=4&transport=polling&sid=${sid}`;
      const five = await send(h.port, url, { method: 'POST', body: Array(5).fill('4a').join('\x1e') });
      assert.deepEqual([five.status, messages.length], [200, 5]);
      const closed = waitFor<[string, Error & { code?: string }]>(socket, 'close');
      const six = await send(h.port, url, { method: 'POST', body: Array(6).fill('4b').join('\x1e') });
      assert.deepEqual([six.status, JSON.parse(six.body), messages.length], [400, BAD_REQUEST, 5]);
      const [reason, description] = await closed;
      assert.deepEqual([reason, description.code], ['transport error', 'EIO_ERR_TOO_MANY_PACKETS']);
    } finally {
      await h.close();
    }
  });

  it('counts v3 payloads’ packets too', async () => {
    const h = await startEngine({ pingInterval: 10_000, allowEIO3: true, maxPacketsPerPayload: 2 });
    try {
      const handshake = await send(h.port, '/engine.io/?EIO=3&transport=polling&b64=1');
      const { sid } = JSON.parse(handshake.body.slice(handshake.body.indexOf(':') + 2)) as { sid: string };
      const res = await send(h.port, `/engine.io/?EIO=3&transport=polling&b64=1&sid=${sid}`, {
        method: 'POST',
        body: '2:4a2:4b2:4c',
      });
      assert.deepEqual([res.status, JSON.parse(res.body)], [400, BAD_REQUEST]);
    } finally {
      await h.close();
    }
  });
});

describe('maxHttpBufferSize on both transports', () => {
  it('refuses a chunked POST (no Content-Length) once its body passes maxHttpBufferSize, with 413', async () => {
    const h = await startEngine({ pingInterval: 10_000, maxHttpBufferSize: 1000 });
    try {
      const { sid } = await pollingHandshake(h.port);
      const res = await new Promise<RawResponse>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: h.port,
            method: 'POST',
            agent: false,
            path: `/engine.io/?EIO=4&transport=polling&sid=${sid}`,
          },
          (response) => {
            response.resume();
            response.on('end', () =>
              resolve({
                status: response.statusCode ?? 0,
                headers: response.headers,
                body: '',
                bytes: Buffer.alloc(0),
              }),
            );
          },
        );
        req.on('error', reject);
        // Several chunks with chunked transfer-encoding: only counting the bytes as they arrive can catch it.
        for (let i = 0; i < 4; i++) req.write(`4${'x'.repeat(400)}`);
        req.end();
      });
      assert.equal(res.status, 413);
    } finally {
      await h.close();
    }
  });

  it('closes with 1009 a compressed WebSocket message that inflates past maxHttpBufferSize', async () => {
    const h = await startEngine({ pingInterval: 10_000, maxHttpBufferSize: 1000, perMessageDeflate: { threshold: 0 } });
    const client = new WebSocket(`ws://127.0.0.1:${h.port}/engine.io/?EIO=4&transport=websocket`, {
      perMessageDeflate: { threshold: 0 },
    });
    try {
      await waitFor(client, 'open');
      assert.match(client.extensions, /permessage-deflate/);
      const closed = waitFor<[number]>(client, 'close');
      // A hundred kilobytes of one letter compress to a few hundred bytes on the wire.
      client.send(`4${'x'.repeat(100_000)}`);
      assert.equal((await closed)[0], 1009);
    } finally {
      client.terminate();
      await h.close();
    }
  });
});

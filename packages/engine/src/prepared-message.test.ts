import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PreparedMessage } from './prepared-message.js';
import type { Socket } from './socket.js';
import { pollingHandshake, RawWebSocket, send, startEngine, until, waitFor } from './testing/harness.js';

describe('PreparedMessage', () => {
  it('builds the polling record of a text message as 4<text>', () => {
    assert.equal(new PreparedMessage('hello').pollingRecord, '4hello');
  });

  it('builds the polling record of a binary message as b<base64>', () => {
    assert.equal(new PreparedMessage(new Uint8Array([1, 2, 3])).pollingRecord, 'bAQID');
  });

  it('builds one unmasked final text frame holding 4<text>', () => {
    assert.equal(
      new PreparedMessage('hello').webSocketFrame.toString('hex'),
      '810634' + Buffer.from('hello').toString('hex'),
    );
  });

  it('builds one unmasked final binary frame holding the raw bytes', () => {
    assert.equal(new PreparedMessage(new Uint8Array([1, 2])).webSocketFrame.toString('hex'), '82020102');
  });

  it('uses the 16-bit length form for a 200-byte payload', () => {
    const frame = new PreparedMessage('x'.repeat(199)).webSocketFrame;
    assert.equal(frame.subarray(0, 4).toString('hex'), '817e00c8');
    assert.equal(frame.length, 204);
  });

  it('computes each encoding once and returns the same bytes to every caller', () => {
    const message = new PreparedMessage('shared');
    assert.equal(message.webSocketFrame, message.webSocketFrame);
  });
});

describe('socket.sendPrepared', () => {
  it('delivers one prepared message to WebSocket and polling sessions alike, in order with normal sends', async () => {
    const h = await startEngine({ pingInterval: 10_000 });
    const ws = new RawWebSocket(h.port, 'EIO=4&transport=websocket');
    try {
      const [wsSession] = await waitFor<[Socket]>(h.engine, 'connection');
      await ws.next();
      const connected = waitFor<[Socket]>(h.engine, 'connection');
      const { sid } = await pollingHandshake(h.port);
      const [pollingSession] = await connected;
      const created: unknown[] = [];
      wsSession.on('packetCreate', (packet) => created.push(packet.data));
      const text = new PreparedMessage('to all');
      const binary = new PreparedMessage(new Uint8Array([7, 7]));
      for (const session of [wsSession, pollingSession]) {
        session.send('before');
        session.sendPrepared(text);
        session.sendPrepared(binary);
        session.send('after');
      }
      assert.deepEqual(
        [await ws.next(), await ws.next(), await ws.next(), await ws.next()],
        ['4before', '4to all', Buffer.from([7, 7]), '4after'],
      );
      const res = await send(h.port, `/engine.io/?EIO=4&transport=polling&sid=${sid}`);
      assert.equal(res.body, '4before\x1e4to all\x1ebBwc=\x1e4after');
      assert.deepEqual(created, ['before', 'to all', new Uint8Array([7, 7]), 'after']);
    } finally {
      ws.close();
      await h.close();
    }
  });

  it('falls back to a normal send on a connection that negotiated permessage-deflate', async () => {
    const h = await startEngine({ perMessageDeflate: { threshold: 0 } });
    const ws = new RawWebSocket(h.port, 'EIO=4&transport=websocket');
    try {
      const [session] = await waitFor<[Socket]>(h.engine, 'connection');
      await ws.next();
      await until(() => ws.ws.extensions !== '');
      session.sendPrepared(new PreparedMessage('x'.repeat(3000)));
      assert.equal(await ws.next(), `4${'x'.repeat(3000)}`);
    } finally {
      ws.close();
      await h.close();
    }
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EnginePacket } from '@switchboard/protocol';
import type { TransportOptions } from '../options.js';
import { WebSocketTransport, type WebSocketLike } from './websocket.js';

/** A WebSocket the test drives: it records frames and fires the handlers the transport installed. */
class FakeWebSocket implements WebSocketLike {
  onopen: ((event: never) => void) | null = null;
  onclose: ((event: never) => void) | null = null;
  onerror: ((event: never) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  sent: (string | Uint8Array)[] = [];
  closed = false;
  terminated = false;
  send(data: string | Uint8Array): void {
    this.sent.push(data);
  }
  close(): void {
    this.closed = true;
  }
  terminate(): void {
    this.terminated = true;
  }
}

const options = (overrides: Partial<TransportOptions> = {}): TransportOptions => ({
  hostname: 'example.com',
  port: '443',
  secure: true,
  path: '/engine.io/',
  query: { EIO: 4, transport: 'websocket', sid: 'abc' },
  transports: ['websocket'],
  ...overrides,
});

function openWebSocket(overrides: Partial<TransportOptions> = {}) {
  const fake = new FakeWebSocket();
  const urls: string[] = [];
  const transport = new WebSocketTransport(options(overrides), (url) => {
    urls.push(url);
    return fake;
  });
  transport.open();
  fake.onopen?.(undefined as never);
  return { transport, fake, urls };
}

describe('WebSocketTransport', () => {
  it('connects to the wss URL with the session id and no timestamp by default', () => {
    const { transport, urls } = openWebSocket();
    assert.equal(urls[0], 'wss://example.com/engine.io/?EIO=4&transport=websocket&sid=abc');
    assert.equal(transport.readyState, 'open');
    assert.equal(transport.writable, true);
  });

  it('sends one frame per packet, binary as raw bytes, and drains after the batch', async () => {
    const { transport, fake } = openWebSocket();
    const drained = new Promise<void>((resolve) => transport.once('drain', resolve));
    transport.send([
      { type: 'message', data: 'hi' },
      { type: 'message', data: new Uint8Array([1, 2]) },
      { type: 'pong' },
    ]);
    assert.deepEqual(fake.sent, ['4hi', new Uint8Array([1, 2]), '3']);
    assert.equal(transport.writable, false);
    await drained;
    assert.equal(transport.writable, true);
  });

  it('sends binary as base64 text with forceBase64', () => {
    const { transport, fake } = openWebSocket({ forceBase64: true });
    transport.send([{ type: 'message', data: new Uint8Array([1, 2]) }]);
    assert.deepEqual(fake.sent, ['bAQI=']);
  });

  it('decodes text and binary frames into packets', () => {
    const { transport, fake } = openWebSocket();
    const packets: EnginePacket[] = [];
    transport.on('packet', (packet) => packets.push(packet));
    fake.onmessage?.({ data: '2' });
    fake.onmessage?.({ data: new Uint8Array([7]).buffer });
    assert.deepEqual(packets, [{ type: 'ping' }, { type: 'message', data: new Uint8Array([7]) }]);
  });

  it('closes the WebSocket on close() and ignores its late events', () => {
    const { transport, fake } = openWebSocket();
    const closes: unknown[] = [];
    transport.on('close', (details) => closes.push(details));
    transport.close();
    assert.equal(fake.closed, true);
    assert.equal(closes.length, 1);
    assert.equal(fake.onclose, null);
    assert.equal(fake.onmessage, null);
  });

  it('reports a connection drop as a close and a failure as a websocket error', () => {
    const { transport, fake } = openWebSocket();
    const events: string[] = [];
    transport
      .on('error', (err) => events.push(err.message))
      .on('close', (details) => events.push(details?.description ?? ''));
    fake.onerror?.(undefined as never);
    fake.onclose?.(undefined as never);
    assert.deepEqual(events, ['websocket error', 'websocket connection closed']);
  });

  it('terminates without a closing handshake on abort()', () => {
    const { transport, fake } = openWebSocket();
    transport.abort();
    assert.equal(fake.terminated, true);
    assert.equal(fake.closed, false);
    assert.equal(transport.readyState, 'closed');
  });

  it('reports a constructor failure asynchronously as a websocket error', async () => {
    const transport = new WebSocketTransport(options(), () => {
      throw new SyntaxError('bad url');
    });
    const failed = new Promise<Error>((resolve) => transport.once('error', resolve));
    transport.open();
    const err = await failed;
    assert.equal(err.message, 'websocket error');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EnginePacket } from '@switchboard/protocol';
import type { TransportOptions } from '../options.js';
import { Polling, type PollRequest, type Requester } from './polling.js';

interface PendingRequest {
  request: PollRequest;
  aborted: boolean;
  respond(status: number, body: string): void;
}

/** A requester whose requests stay pending until the test answers them. */
function createFakeRequester(): { requester: Requester; pending: PendingRequest[] } {
  const pending: PendingRequest[] = [];
  const requester: Requester = (request, done) => {
    const entry: PendingRequest = { request, aborted: false, respond: (status, body) => done(status, body) };
    pending.push(entry);
    return () => {
      entry.aborted = true;
    };
  };
  return { requester, pending };
}

const options = (overrides: Partial<TransportOptions> = {}): TransportOptions => ({
  hostname: 'example.com',
  port: '80',
  secure: false,
  path: '/engine.io/',
  query: { EIO: 4, transport: 'polling' },
  transports: ['polling'],
  ...overrides,
});

const HANDSHAKE = '0{"sid":"s","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}';

function openPolling() {
  const { requester, pending } = createFakeRequester();
  const polling = new Polling(options(), requester);
  const packets: EnginePacket[] = [];
  polling.on('packet', (packet) => packets.push(packet));
  polling.open();
  (pending[0] as PendingRequest).respond(200, HANDSHAKE);
  return { polling, pending, packets };
}

describe('Polling', () => {
  it('opens on the handshake answer and polls again at once', () => {
    const { polling, pending, packets } = openPolling();
    assert.equal(polling.readyState, 'open');
    assert.equal(packets[0]?.type, 'open');
    assert.equal(pending.length, 2);
    assert.equal(pending[1]?.request.method, 'GET');
  });

  it('builds URLs with EIO, transport, a timestamp and no default port', () => {
    const { pending } = openPolling();
    const url = new URL(pending[0]?.request.url ?? '');
    assert.equal(url.origin + url.pathname, 'http://example.com/engine.io/');
    assert.equal(url.searchParams.get('EIO'), '4');
    assert.equal(url.searchParams.get('transport'), 'polling');
    assert.match(url.searchParams.get('t') ?? '', /^[0-9a-z]+$/);
    assert.notEqual(pending[0]?.request.url, pending[1]?.request.url, 'each request gets a fresh timestamp');
  });

  it('puts IPv6 hosts in brackets and keeps a non-default port', () => {
    const { requester, pending } = createFakeRequester();
    new Polling(options({ hostname: '::1', port: '3000', secure: true, timestampRequests: false }), requester).open();
    assert.equal(pending[0]?.request.url, 'https://[::1]:3000/engine.io/?EIO=4&transport=polling');
  });

  it('POSTs a payload and becomes writable again on the answer', () => {
    const { polling, pending } = openPolling();
    let drains = 0;
    polling.on('drain', () => drains++);
    polling.send([
      { type: 'message', data: 'a' },
      { type: 'message', data: new Uint8Array([1]) },
    ]);
    const post = pending[2] as PendingRequest;
    assert.equal(post.request.method, 'POST');
    assert.equal(post.request.body, '4a\x1ebAQ==');
    assert.equal(polling.writable, false);
    post.respond(200, 'ok');
    assert.equal(polling.writable, true);
    assert.equal(drains, 1);
  });

  it('pauses only after both the pending GET and the in-flight POST complete', () => {
    const { polling, pending } = openPolling();
    polling.send([{ type: 'message', data: 'a' }]);
    let paused = false;
    polling.pause(() => (paused = true));
    assert.equal(polling.readyState, 'pausing');
    (pending[1] as PendingRequest).respond(200, '6');
    assert.equal(paused, false);
    (pending[2] as PendingRequest).respond(200, 'ok');
    assert.equal(paused, true);
    assert.equal(polling.readyState, 'paused');
    assert.equal(pending.length, 3, 'no new GET once paused');
  });

  it("closes with the server's close packet", () => {
    const { polling, pending } = openPolling();
    const closes: unknown[] = [];
    polling.on('close', (details) => closes.push(details));
    (pending[1] as PendingRequest).respond(200, '1');
    assert.deepEqual(closes, [{ description: 'transport closed by the server' }]);
    assert.equal(pending.length, 2, 'no new GET after the close packet');
  });

  it('sends a close packet on close(), and aborts instead while opening', () => {
    const open = openPolling();
    open.polling.close();
    assert.equal(open.pending[2]?.request.body, '1');
    assert.equal(open.pending[1]?.aborted, false);

    const { requester, pending } = createFakeRequester();
    new Polling(options(), requester).open().close();
    assert.equal(pending[0]?.aborted, true);
  });

  it('aborts every pending request on abort(), without events', () => {
    const { polling, pending } = openPolling();
    polling.send([{ type: 'message', data: 'a' }]);
    let events = 0;
    polling.on('close', () => events++).on('error', () => events++);
    polling.abort();
    assert.deepEqual(
      pending.slice(1).map((entry) => entry.aborted),
      [true, true],
    );
    assert.equal(polling.readyState, 'closed');
    polling.close();
    assert.equal(events, 0);
    assert.equal(pending.length, 3, 'no close packet after abort()');
  });

  it("reports an HTTP error as 'xhr poll error' with the status and body", () => {
    const { polling, pending } = openPolling();
    const errors: { message: string; description: unknown; context: unknown }[] = [];
    polling.on('error', (err) => errors.push(err as never));
    (pending[1] as PendingRequest).respond(400, '{"code":1,"message":"Session ID unknown"}');
    assert.equal(errors[0]?.message, 'xhr poll error');
    assert.equal(errors[0]?.description, 400);
    assert.equal(errors[0]?.context, '{"code":1,"message":"Session ID unknown"}');
  });

  it('reports an undecodable payload as a CodecError', () => {
    const { polling, pending } = openPolling();
    const codes: string[] = [];
    polling.on('error', (err) => codes.push(err.code));
    (pending[1] as PendingRequest).respond(200, 'x');
    assert.equal(codes.length, 1);
    assert.match(codes[0] ?? '', /^CODEC_ERR_/);
  });
});

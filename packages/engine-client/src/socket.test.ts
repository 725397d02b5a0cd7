import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CodecError, type EnginePacket } from '@switchboard/protocol';
import { TransportError } from './errors.js';
import type { SocketOptions, TransportName, TransportOptions } from './options.js';
import { EngineSocket, type Environment } from './socket.js';
import { Transport } from './transports/transport.js';

/** A transport the test drives by hand: it records writes and delivers whatever the test says the server sent. */
class FakeTransport extends Transport {
  readonly name: TransportName;
  written: EnginePacket[][] = [];
  onPause: (() => void) | undefined;

  constructor(name: TransportName, opts: TransportOptions) {
    super(opts);
    this.name = name;
  }

  protected doOpen_(): void {}
  protected doClose_(): void {}
  protected doAbort_(): void {}

  protected write_(packets: EnginePacket[]): void {
    this.writable = false;
    this.written.push(packets);
  }

  pause(onPause: () => void): void {
    this.readyState = 'pausing';
    this.onPause = onPause;
  }

  /** The server accepted what was written. */
  drainNow(): void {
    this.writable = true;
    this.emit('drain');
  }

  connect(): void {
    this.onOpen_();
  }

  handshake(data: Record<string, unknown> = {}): void {
    this.onOpen_();
    const open = { sid: 'sid1', upgrades: [], pingInterval: 1000, pingTimeout: 1000, maxPayload: 1e6, ...data };
    this.onPacket_({ type: 'open', data: JSON.stringify(open) });
  }

  receive(packet: EnginePacket | CodecError): void {
    this.onPacket_(packet);
  }

  fail(): void {
    this.onError_('xhr poll error', 503);
  }

  writtenTypes(): string[][] {
    return this.written.map((batch) => batch.map((p) => (p.type === 'message' ? String(p.data) : p.type)));
  }
}

function setup(opts: SocketOptions = {}) {
  const created: FakeTransport[] = [];
  const factory = (name: TransportName) => (transportOpts: TransportOptions) => {
    const transport = new FakeTransport(name, transportOpts);
    created.push(transport);
    return transport;
  };
  const env: Environment = {
    transports_: { polling: factory('polling'), websocket: factory('websocket') },
    binaryType_: 'arraybuffer',
    toBuffer_: (bytes) => bytes,
  };
  const socket = new EngineSocket(env, 'http://example.com', opts);
  const transport = (i: number): FakeTransport => created[i] as FakeTransport;
  return { socket, created, transport };
}

describe('EngineSocket', () => {
  it('opens on the handshake, taking the sid and telling the transport', () => {
    const { socket, transport } = setup({ transports: ['polling'] });
    let opened = 0;
    socket.on('open', () => opened++);
    assert.equal(socket.readyState, 'opening');
    transport(0).handshake({ sid: 'abc' });
    assert.equal(opened, 1);
    assert.equal(socket.id, 'abc');
    assert.equal(transport(0).query['sid'], 'abc');
    assert.equal(transport(0).query['EIO'], 4);
    socket.close();
  });

  it("answers a ping with a pong and emits 'ping'", () => {
    const { socket, transport } = setup({ transports: ['websocket'] });
    transport(0).handshake();
    let pings = 0;
    socket.on('ping', () => pings++);
    transport(0).receive({ type: 'ping' });
    assert.equal(pings, 1);
    assert.deepEqual(transport(0).writtenTypes(), [['pong']]);
    socket.close();
  });

  it('buffers messages while the transport is busy and sends them as one batch on drain', () => {
    const { socket, transport } = setup({ transports: ['polling'] });
    transport(0).handshake();
    let drains = 0;
    socket.on('drain', () => drains++);
    socket.send('a').send('b').send('c');
    assert.deepEqual(transport(0).writtenTypes(), [['a']]);
    transport(0).drainNow();
    assert.deepEqual(transport(0).writtenTypes(), [['a'], ['b', 'c']]);
    assert.equal(drains, 0);
    transport(0).drainNow();
    assert.equal(drains, 1);
    assert.equal(socket.writeBuffer.length, 0);
    socket.close();
  });

  it('calls the send callback once its packet is handed to the transport', () => {
    const { socket, transport } = setup({ transports: ['polling'] });
    transport(0).handshake();
    const flushed: string[] = [];
    socket.send('a', () => flushed.push('a'));
    socket.send('b', {}, () => flushed.push('b'));
    assert.deepEqual(flushed, ['a']);
    transport(0).drainNow();
    assert.deepEqual(flushed, ['a', 'b']);
    socket.close();
  });

  it('sends binary views as bytes and other values from untyped callers as text', () => {
    const { socket, transport } = setup({ transports: ['websocket'] });
    transport(0).handshake();
    const packets: unknown[] = [];
    socket.on('packetCreate', (packet) => packets.push(packet.data));
    socket.send(new DataView(new Uint8Array([1, 2, 3]).buffer, 1, 2));
    socket.send(42 as unknown as string);
    assert.deepEqual(packets, [new Uint8Array([2, 3]), '42']);
    socket.close();
  });

  it("splits a polling batch so it fits the server's maxPayload", () => {
    const { socket, transport } = setup({ transports: ['polling'] });
    transport(0).handshake({ maxPayload: 10 });
    socket.send('first');
    socket.send('12345').send('67890').send('x');
    transport(0).drainNow();
    assert.deepEqual(transport(0).writtenTypes(), [['first'], ['12345']]);
    transport(0).drainNow();
    assert.deepEqual(transport(0).writtenTypes().slice(2), [['67890']]);
    transport(0).drainNow();
    assert.deepEqual(transport(0).writtenTypes().slice(3), [['x']]);
    socket.close();
  });

  it('waits for the write buffer to drain before a forced close', () => {
    const { socket, transport } = setup({ transports: ['polling'] });
    transport(0).handshake();
    const reasons: string[] = [];
    socket.on('close', (reason) => reasons.push(reason));
    socket.send('a');
    socket.close();
    assert.equal(socket.readyState, 'closing');
    assert.deepEqual(reasons, []);
    transport(0).drainNow();
    assert.deepEqual(reasons, ['forced close']);
    assert.equal(socket.readyState, 'closed');
    assert.equal(socket.id, null);
  });

  it("closes with 'ping timeout' when no ping arrives within pingInterval + pingTimeout", async () => {
    const { socket, transport } = setup({ transports: ['websocket'] });
    transport(0).handshake({ pingInterval: 20, pingTimeout: 10 });
    const started = Date.now();
    const reason = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no close within 1 s')), 1000);
      socket.on('close', (closeReason) => {
        clearTimeout(timer);
        resolve(closeReason);
      });
    });
    assert.equal(reason, 'ping timeout');
    assert.ok(Date.now() - started >= 25, 'closed before pingInterval + pingTimeout');
  });

  it("reports an expired ping deadline whose timer has not fired (after sleep) and closes with 'ping timeout' right after", async (t) => {
    const { socket, transport } = setup({ transports: ['websocket'] });
    transport(0).handshake({ pingInterval: 1000, pingTimeout: 1000 });
    assert.equal(socket.pingExpired_(), false);
    const reasons: string[] = [];
    socket.on('close', (reason) => reasons.push(reason));
    // The machine slept past pingInterval + pingTimeout: the clock moved on, the heartbeat timer has not fired.
    const woke = Date.now() + 2001;
    t.mock.method(Date, 'now', () => woke);
    assert.equal(socket.pingExpired_(), true);
    assert.deepEqual(reasons, [], 'closed inside the caller');
    await new Promise<void>((resolve) => queueMicrotask(resolve));
    assert.deepEqual(reasons, ['ping timeout']);
  });

  it('restarts the ping deadline on every ping', async () => {
    const { socket, transport } = setup({ transports: ['websocket'] });
    transport(0).handshake({ pingInterval: 100, pingTimeout: 300 });
    const reasons: string[] = [];
    socket.on('close', (reason) => reasons.push(reason));
    // Bounded: 10 pings 50 ms apart outlive the 400 ms deadline only if each ping restarts it (and a busy
    // machine may stall 350 ms between two of them without a false failure).
    for (let i = 0; i < 10; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      transport(0).receive({ type: 'ping' });
    }
    assert.deepEqual(reasons, []);
    socket.close();
  });

  it("closes with 'parse error' when the handshake is not JSON", () => {
    const { socket, transport } = setup({ transports: ['websocket'] });
    const reasons: string[] = [];
    socket.on('close', (reason) => reasons.push(reason));
    transport(0).connect();
    transport(0).receive({ type: 'open', data: '{nope' });
    assert.deepEqual(reasons, ['parse error']);
  });

  it("closes with 'parse error', without an 'error' event, when the transport cannot decode a packet", () => {
    const { socket, transport } = setup({ transports: ['websocket'] });
    transport(0).handshake();
    const events: string[] = [];
    socket.on('close', (reason) => events.push(reason));
    socket.on('error', () => events.push('error'));
    transport(0).receive(new CodecError('CODEC_ERR_INVALID_PACKET', 'bad'));
    assert.deepEqual(events, ['parse error']);
  });

  it("emits the TransportError and closes with 'transport error' when the transport fails", () => {
    const { socket, transport } = setup({ transports: ['polling'] });
    transport(0).handshake();
    const events: unknown[] = [];
    socket.on('error', (err) => events.push(err));
    socket.on('close', (reason) => events.push(reason));
    transport(0).fail();
    assert.ok(events[0] instanceof TransportError);
    assert.equal(events[1], 'transport error');
  });

  it('tries the next transport when tryAllTransports is set and the first fails while opening', () => {
    const { socket, created, transport } = setup({ transports: ['websocket', 'polling'], tryAllTransports: true });
    let errors = 0;
    socket.on('error', () => errors++);
    transport(0).fail();
    assert.equal(errors, 0);
    assert.equal(created.length, 2);
    assert.equal(socket.transport.name, 'polling');
    socket.close();
  });

  it('converts received binary to an ArrayBuffer that holds exactly the message bytes', () => {
    const { socket, transport } = setup({ transports: ['websocket'] });
    transport(0).handshake();
    const received: unknown[] = [];
    socket.on('message', (data) => received.push(data));
    const pool = new Uint8Array([9, 1, 2, 9]);
    transport(0).receive({ type: 'message', data: pool.subarray(1, 3) });
    assert.ok(received[0] instanceof ArrayBuffer);
    assert.deepEqual([...new Uint8Array(received[0])], [1, 2]);
    socket.close();
  });
});

describe('EngineSocket upgrade', () => {
  function upgradeToProbe() {
    const fixture = setup();
    const polling = fixture.transport(0);
    polling.handshake({ upgrades: ['websocket'] });
    const websocket = fixture.transport(1);
    assert.equal(websocket.name, 'websocket');
    assert.equal(websocket.query['sid'], 'sid1');
    websocket.connect();
    return { ...fixture, polling, websocket };
  }

  it("probes with '2probe', pauses polling on '3probe', then sends '5' and switches", () => {
    const { socket, polling, websocket } = upgradeToProbe();
    const events: string[] = [];
    socket.on('upgrading', () => events.push('upgrading'));
    socket.on('upgrade', (t) => events.push('upgrade ' + t.name));
    assert.deepEqual(websocket.written, [[{ type: 'ping', data: 'probe' }]]);
    websocket.drainNow();
    websocket.receive({ type: 'pong', data: 'probe' });
    assert.deepEqual(events, ['upgrading']);
    assert.equal(polling.readyState, 'pausing');
    polling.onPause?.();
    assert.deepEqual(events, ['upgrading', 'upgrade websocket']);
    assert.equal(socket.transport, websocket);
    assert.deepEqual(websocket.written.at(-1), [{ type: 'upgrade' }]);
    socket.close();
  });

  it('keeps messages written during the upgrade and sends them, in order, after the upgrade packet', () => {
    const { socket, polling, websocket } = upgradeToProbe();
    websocket.drainNow();
    socket.send('before');
    websocket.receive({ type: 'pong', data: 'probe' });
    socket.send('during 1');
    socket.send('during 2');
    // polling's POST of 'before' completes while pausing: nothing more may go out over polling.
    polling.drainNow();
    assert.deepEqual(polling.writtenTypes(), [['before']]);
    polling.onPause?.();
    websocket.drainNow();
    assert.deepEqual(websocket.writtenTypes(), [['ping'], ['upgrade'], ['during 1', 'during 2']]);
    socket.close();
  });

  it('reports an upgradeError and stays on polling when the probe gets a wrong answer', () => {
    const { socket, polling, websocket } = upgradeToProbe();
    const errors: string[] = [];
    socket.on('upgradeError', (err) => errors.push(err.message));
    websocket.receive({ type: 'pong', data: 'nope' });
    assert.deepEqual(errors, ['probe error: unexpected answer']);
    assert.equal(socket.transport, polling);
    assert.equal(websocket.readyState, 'closed');
    socket.close();
  });

  it('closes only after a running upgrade settles', () => {
    const { socket, polling, websocket } = upgradeToProbe();
    websocket.drainNow();
    websocket.receive({ type: 'pong', data: 'probe' });
    const reasons: string[] = [];
    socket.on('close', (reason) => reasons.push(reason));
    socket.close();
    assert.deepEqual(reasons, []);
    polling.onPause?.();
    assert.deepEqual(reasons, ['forced close']);
  });

  it('stays on polling without probing when upgrade is false', () => {
    const { socket, created } = setup({ upgrade: false });
    (created[0] as FakeTransport).handshake({ upgrades: ['websocket'] });
    assert.equal(created.length, 1);
    assert.equal(socket.transport.name, 'polling');
    socket.close();
  });

  it('ignores offered upgrades that are not in its transports', () => {
    const { socket, created } = setup({ transports: ['polling'] });
    (created[0] as FakeTransport).handshake({ upgrades: ['websocket', 'webtransport'] });
    assert.equal(created.length, 1);
    socket.close();
  });

  it('starts directly on WebSocket with rememberUpgrade after an upgrade, and on polling after a transport error', () => {
    const { socket, polling, websocket } = upgradeToProbe();
    websocket.drainNow();
    websocket.receive({ type: 'pong', data: 'probe' });
    polling.onPause?.();
    socket.close();
    const remembered = setup({ rememberUpgrade: true });
    assert.equal(remembered.socket.transport.name, 'websocket');
    remembered.transport(0).fail();
    const afterError = setup({ rememberUpgrade: true });
    assert.equal(afterError.socket.transport.name, 'polling');
    afterError.socket.close();
  });

  it('starts directly on WebSocket with rememberUpgrade after a WebSocket success', () => {
    const first = setup({ transports: ['websocket'] });
    first.transport(0).handshake();
    first.socket.close();
    const second = setup({ rememberUpgrade: true });
    assert.equal(second.socket.transport.name, 'websocket');
    second.socket.close();
  });
});

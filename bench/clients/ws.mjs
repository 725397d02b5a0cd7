// @ts-check
// Load-side raw ws clients: the echo client pairing with the ws floor server, and the thin clients that count
// broadcasts or echo with acks against any Socket.IO server (speaking just enough Engine.IO v4 / Socket.IO v5).
import WebSocket from 'ws';
import { JSON_SEQ_BASE, JSON_SEQ_DIGITS, JSON_SEQ_OFFSET } from '../lib/payloads.mjs';

const CHAR_0 = 0x30;
const CHAR_2 = 0x32;
const CHAR_3 = 0x33;
const CHAR_4 = 0x34;
const CHAR_5 = 0x35;
const OPEN_BRACKET = 0x5b;

/**
 * A raw ws echo client: sends `[id, data]` as text and matches the echoed frame to its callback by id.
 * @param {number} port
 * @param {import('./sio.mjs').ConnectOptions} options
 * @returns {Promise<import('./sio.mjs').BenchClient>}
 */
export function connectWs(port, options) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { perMessageDeflate: false });
    /** @type {Map<number, () => void>} */
    const pending = new Map();
    let nextId = 0;
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`no connection within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    ws.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    ws.on('message', (data) => {
      const [id] = JSON.parse(String(data));
      const onAck = pending.get(id);
      if (onAck === undefined) return;
      pending.delete(id);
      onAck();
    });
    ws.once('open', () => {
      clearTimeout(timer);
      resolve({
        emitAck(data, onAck) {
          const id = nextId++;
          pending.set(id, onAck);
          ws.send(JSON.stringify([id, data]));
        },
        close: () => ws.close(),
      });
    });
  });
}

/**
 * Counts of what a thin client received; `onReached` fires once when the counted field reaches `target`.
 * @typedef {{
 *   events: number,
 *   binaryFrames: number,
 *   lastSeq: number,
 *   outOfOrder: number,
 *   counted: 'events' | 'binaryFrames',
 *   target: number,
 *   onReached: () => void,
 *   close: () => void,
 *   inRoom: boolean,
 *   arrivals: Float64Array | undefined,
 * }} CountingClient inRoom: the client asked to join the room (cluster); arrivals: when set, the wall-clock time
 *   each broadcast (by its sequence number) arrived, for latencies
 */

/**
 * Notes when broadcast `index` (its sequence number from 0) arrived, if the client is recording arrivals.
 * @param {CountingClient} client
 * @param {number} index
 */
function recordArrival(client, index) {
  const arrivals = client.arrivals;
  if (arrivals !== undefined && index >= 0 && index < arrivals.length)
    arrivals[index] = performance.timeOrigin + performance.now();
}

/** @param {CountingClient} client */
function checkReached(client) {
  if (client[client.counted] === client.target) client.onReached();
}

/**
 * Every broadcast reaches a client after the one sent before it: a sequence number not above the last one seen is a
 * delivery out of order.
 * @param {CountingClient} client
 * @param {number} seq
 */
function checkOrder(client, seq) {
  if (seq <= client.lastSeq) client.outOfOrder++;
  client.lastSeq = seq;
}

/**
 * The sequence number of a JSON broadcast frame: 7 ASCII digits at a fixed offset, read without decoding the frame.
 * @param {Buffer} bytes
 * @param {number} offset
 */
function jsonSeq(bytes, offset) {
  let seq = 0;
  for (let i = offset; i < offset + JSON_SEQ_DIGITS; i++) seq = seq * 10 + ((bytes[i] ?? CHAR_0) - CHAR_0);
  return seq;
}

// In a Socket.IO frame the JSON follows the "42" of an EVENT in the main namespace.
const SIO_JSON_SEQ_OFFSET = 2 + JSON_SEQ_OFFSET;

/**
 * A thin client that counts broadcast frames. Against a Socket.IO server it opens the WebSocket transport directly,
 * joins the main namespace and answers pings; against the ws floor every frame is one event.
 * @param {number} port
 * @param {{ protocol: 'socketio' | 'raw', timeoutMs: number, inRoom?: boolean }} options inRoom: ask a cluster node
 *   (Socket.IO only) to put this client in the room
 * @returns {Promise<CountingClient>}
 */
export function connectCounting(port, options) {
  return new Promise((resolve, reject) => {
    const inRoom = options.inRoom ?? false;
    const path =
      options.protocol === 'socketio' ? `/socket.io/?EIO=4&transport=websocket${inRoom ? '&room=1' : ''}` : '/';
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { perMessageDeflate: false });
    /** @type {CountingClient} */
    const client = {
      events: 0,
      binaryFrames: 0,
      lastSeq: -1,
      outOfOrder: 0,
      counted: 'events',
      target: Infinity,
      onReached: () => {},
      close: () => ws.terminate(),
      inRoom,
      arrivals: undefined,
    };
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`no connection within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    ws.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    const connected = () => {
      clearTimeout(timer);
      resolve(client);
    };
    if (options.protocol === 'raw') {
      ws.once('open', connected);
      ws.on('message', (data, isBinary) => {
        const bytes = /** @type {Buffer} */ (data);
        client.events++;
        if (isBinary) client.binaryFrames++;
        checkOrder(client, isBinary ? bytes.readUInt32BE(0) : jsonSeq(bytes, JSON_SEQ_OFFSET));
        checkReached(client);
      });
      return;
    }
    ws.on('message', (data, isBinary) => {
      const bytes = /** @type {Buffer} */ (data);
      if (isBinary) {
        // The attachment of a BINARY_EVENT: its payload starts with the sequence number.
        client.binaryFrames++;
        const seq = bytes.readUInt32BE(0);
        checkOrder(client, seq);
        recordArrival(client, seq);
        checkReached(client);
        return;
      }
      // Bytes, not strings, keep the load side cheap. "42" is an EVENT and "45" a BINARY_EVENT header in the main
      // namespace; "2" a ping; "0" the Engine.IO open packet and "40" the namespace CONNECT answer.
      const first = bytes[0];
      const second = bytes[1];
      if (first === CHAR_4 && (second === CHAR_2 || second === CHAR_5)) {
        client.events++;
        if (second === CHAR_2) {
          const seq = jsonSeq(bytes, SIO_JSON_SEQ_OFFSET);
          checkOrder(client, seq);
          recordArrival(client, seq - JSON_SEQ_BASE);
        }
        checkReached(client);
      } else if (first === CHAR_2 && bytes.length === 1) ws.send('3');
      else if (first === CHAR_4 && second === CHAR_0) connected();
      else if (first === CHAR_0) ws.send('40');
    });
  });
}

/**
 * A thin echo client for Socket.IO servers: emits `42<id>["echo",data]` over a direct WebSocket and matches the
 * `43<id>[...]` ack by id, so the load side costs the same whichever server it measures.
 * @param {number} port
 * @param {import('./sio.mjs').ConnectOptions} options
 * @returns {Promise<import('./sio.mjs').BenchClient>}
 */
export function connectThinEcho(port, options) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`, {
      perMessageDeflate: false,
    });
    /** @type {Map<number, () => void>} */
    const pending = new Map();
    let nextId = 0;
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`no connection within ${options.timeoutMs} ms`));
    }, options.timeoutMs);
    ws.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const bytes = /** @type {Buffer} */ (data);
      const first = bytes[0];
      const second = bytes[1];
      if (first === CHAR_4 && second === CHAR_3) {
        // "43<id>[...]": the ack id runs up to the opening bracket.
        let id = 0;
        for (let i = 2; i < bytes.length && bytes[i] !== OPEN_BRACKET; i++)
          id = id * 10 + ((bytes[i] ?? CHAR_0) - CHAR_0);
        const onAck = pending.get(id);
        if (onAck === undefined) return;
        pending.delete(id);
        onAck();
      } else if (first === CHAR_2 && bytes.length === 1) ws.send('3');
      else if (first === CHAR_4 && second === CHAR_0) {
        clearTimeout(timer);
        resolve({
          emitAck(payload, onAck) {
            const id = nextId++;
            pending.set(id, onAck);
            ws.send(`42${id}${JSON.stringify(['echo', payload])}`);
          },
          close: () => ws.close(),
        });
      } else if (first === CHAR_0) ws.send('40');
    });
  });
}

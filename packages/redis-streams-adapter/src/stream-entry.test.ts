// Stream entries in @socket.io/redis-streams-adapter 0.3's layout, checked against what that adapter writes and reads
// (its data field is JSON, or base64 msgpack as @msgpack/msgpack reads it), and the options createAdapter refuses.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decode as msgpackDecode, encode as msgpackEncode } from '@msgpack/msgpack';
import { MessageType, type ClusterMessage } from '@switchboard/adapter';
import { createClient } from 'redis';
import { createAdapter } from './index.js';
import { compareIds, decodeEntry, encodeEntry, nextId, parseRead } from './stream-entry.js';

const broadcast = {
  uid: 'u1',
  nsp: '/',
  type: MessageType.BROADCAST,
  data: { packet: { type: 2, nsp: '/', data: ['ev', 1] }, opts: { rooms: ['r'], except: [] } },
} satisfies ClusterMessage;

describe('stream entries', () => {
  test('hold uid, nsp, the type as a decimal string and JSON data when there is no binary', () => {
    assert.deepEqual(encodeEntry(broadcast), [
      'uid',
      'u1',
      'nsp',
      '/',
      'type',
      '3',
      'data',
      '{"packet":{"type":2,"nsp":"/","data":["ev",1]},"opts":{"rooms":["r"],"except":[]}}',
    ]);
  });

  test('hold base64 msgpack data when it carries binary, which @msgpack/msgpack (the official adapter) reads back', () => {
    const withBinary: ClusterMessage = {
      ...broadcast,
      data: { ...broadcast.data, packet: { type: 2, nsp: '/', data: ['ev', Buffer.from([1, 2, 3])] } },
    };
    const fields = encodeEntry(withBinary);
    const data = msgpackDecode(Buffer.from(fields[7] as string, 'base64')) as {
      packet: { data: [string, Uint8Array] };
    };
    assert.deepEqual([...data.packet.data[1]], [1, 2, 3]);
  });

  test('hold JSON data even with binary under onlyPlaintext, as the official adapter writes it then', () => {
    const withBinary: ClusterMessage = {
      ...broadcast,
      data: { ...broadcast.data, packet: { type: 2, nsp: '/', data: ['ev', Buffer.from([1, 2])] } },
    };
    assert.deepEqual(encodeEntry(withBinary, true).slice(6), [
      'data',
      '{"packet":{"type":2,"nsp":"/","data":["ev",{"type":"Buffer","data":[1,2]}]},"opts":{"rooms":["r"],"except":[]}}',
    ]);
  });

  test('have no data field for messages without data (a heartbeat)', () => {
    assert.deepEqual(encodeEntry({ uid: 'u1', nsp: '/', type: MessageType.HEARTBEAT }), [
      'uid',
      'u1',
      'nsp',
      '/',
      'type',
      '2',
    ]);
  });

  test('decode what the official adapter writes: JSON and base64 msgpack data', () => {
    const json = decodeEntry({
      uid: 'u2',
      nsp: '/',
      type: '4',
      data: '{"opts":{"rooms":[],"except":[]},"rooms":["x"]}',
    });
    assert.deepEqual(json, { uid: 'u2', nsp: '/', type: 4, data: { opts: { rooms: [], except: [] }, rooms: ['x'] } });
    const packed = Buffer.from(msgpackEncode({ packet: { type: 2, data: ['b', new Uint8Array([9])] } })).toString(
      'base64',
    );
    const binary = decodeEntry({ uid: 'u2', nsp: '/', type: '3', data: packed }) as {
      data: { packet: { data: [string, Uint8Array] } };
    };
    assert.deepEqual([...binary.data.packet.data[1]], [9]);
  });

  test('that lack uid, nsp or type, or whose JSON is cut, throw (the reader counts and skips them)', () => {
    assert.throws(() => decodeEntry({ uid: 'u', type: '3' }), /lacks uid, nsp or type/);
    assert.throws(() => decodeEntry({ uid: 'u', nsp: '/', type: '3', data: '{"packet":' }), SyntaxError);
  });

  test('are read from XREAD replies in RESP2 and RESP3 shapes, and null when BLOCK timed out', () => {
    const entries = [['1-0', ['uid', 'a', 'nsp', '/', 'type', '2']]];
    const expected = [{ id: '1-0', fields: { uid: 'a', nsp: '/', type: '2' } }];
    assert.deepEqual(parseRead([['s', entries]]), expected);
    assert.deepEqual(parseRead({ s: entries }), expected);
    assert.deepEqual(parseRead(null), []);
  });

  test('ids compare numerically and nextId is the id just after', () => {
    assert.equal(compareIds('9-1', '10-0'), -1);
    assert.equal(compareIds('10-2', '10-10'), -1);
    assert.equal(compareIds('10-2', '10-2'), 0);
    assert.equal(nextId('1733400000000-9'), '1733400000000-10');
  });
});

describe('createAdapter', () => {
  test('refuses a client of no supported library with ADAPTER_ERR_UNSUPPORTED_CLIENT', () => {
    assert.throws(() => createAdapter({} as never), { code: 'ADAPTER_ERR_UNSUPPORTED_CLIENT' });
  });

  test('refuses a maxLen that is not a positive integer with ADAPTER_ERR_INVALID_OPTION naming it', () => {
    const client = createClient(); // never connected: the check comes first
    assert.throws(() => createAdapter(client, { maxLen: 0 }), {
      code: 'ADAPTER_ERR_INVALID_OPTION',
      message: /maxLen/,
    });
  });

  test('refuses a streamCount that is not a positive integer with ADAPTER_ERR_INVALID_OPTION naming it', () => {
    const client = createClient();
    assert.throws(() => createAdapter(client, { streamCount: 1.5 }), {
      code: 'ADAPTER_ERR_INVALID_OPTION',
      message: /streamCount/,
    });
  });

  test('refuses a localBatchMs that is not a duration with ADAPTER_ERR_INVALID_OPTION naming it', () => {
    const client = createClient();
    assert.throws(() => createAdapter(client, { localBatchMs: Number.NaN }), {
      code: 'ADAPTER_ERR_INVALID_OPTION',
      message: /localBatchMs/,
    });
  });

  test('refuses useShardedPubSub with a client that has no SSUBSCRIBE, with ADAPTER_ERR_UNSUPPORTED_CLIENT', () => {
    const noop = (): void => {};
    const oldIoRedis = { call: noop, duplicate: noop, subscribe: noop, on: noop };
    assert.doesNotThrow(() => createAdapter(oldIoRedis));
    assert.throws(() => createAdapter(oldIoRedis, { useShardedPubSub: true }), {
      code: 'ADAPTER_ERR_UNSUPPORTED_CLIENT',
      message: /SSUBSCRIBE/,
    });
  });

  test('refuses a useShardedPubSub or onlyPlaintext that is not a boolean with ADAPTER_ERR_INVALID_OPTION naming it', () => {
    const client = createClient();
    assert.throws(() => createAdapter(client, { useShardedPubSub: 'yes' as never }), {
      code: 'ADAPTER_ERR_INVALID_OPTION',
      message: /useShardedPubSub/,
    });
    assert.throws(() => createAdapter(client, { onlyPlaintext: 1 as never }), {
      code: 'ADAPTER_ERR_INVALID_OPTION',
      message: /onlyPlaintext/,
    });
  });
});

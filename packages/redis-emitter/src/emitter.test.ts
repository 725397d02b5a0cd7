// The emitter publishes exactly what @socket.io/redis-emitter 5.1 publishes (same channels, same bytes), and
// refuses reserved names and ack callbacks with coded errors. On the real Redis, under a unique key.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Emitter as OfficialEmitter } from '@socket.io/redis-emitter';
import { createClient } from 'redis';
import { Emitter } from './emitter.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

interface Published {
  channel: string;
  hex: string;
}

type EmitterLike = Pick<
  Emitter,
  | 'of'
  | 'to'
  | 'except'
  | 'emit'
  | 'socketsJoin'
  | 'socketsLeave'
  | 'disconnectSockets'
  | 'serverSideEmit'
  | 'volatile'
  | 'compress'
>;

describe('Emitter on the wire', () => {
  const publisher = createClient({ url: REDIS_URL });
  const subscriber = publisher.duplicate();
  const prefix = `sbtest-emitter-${randomBytes(5).toString('hex')}`;
  const published: Published[] = [];

  before(async () => {
    await Promise.all([publisher.connect(), subscriber.connect()]);
    await subscriber.pSubscribe(
      `${prefix}*`,
      (message: Buffer, channel: Buffer) => {
        published.push({ channel: channel.toString(), hex: message.toString('hex') });
      },
      true,
    );
  });

  after(async () => {
    await Promise.all([publisher.quit(), subscriber.quit()]);
  });

  /** Runs the same calls on an emitter with key `${prefix}-${label}` and returns what reached Redis, in order. */
  async function capture(label: string, create: (key: string) => EmitterLike, count: number): Promise<Published[]> {
    const key = `${prefix}_${label}`;
    const emitter = create(key);
    emitter.emit('hello', 'world', 1, { a: [true, null] });
    emitter.to('room1').emit('to-one-room', Buffer.from([0, 255]));
    emitter.to(['room1', 'room2']).except('room3').emit('to-rooms');
    emitter.volatile.compress(false).emit('flags');
    emitter.of('admin').to('r').emit('other-namespace');
    emitter.of('/admin').except('x').socketsJoin(['a', 'b']);
    emitter.to('r').socketsLeave('a');
    emitter.disconnectSockets(true);
    emitter.serverSideEmit('server', { n: 1 });
    const mine = (): Published[] =>
      published
        .filter((p) => p.channel.startsWith(`${key}#`) || p.channel.startsWith(`${key}-`))
        .map((p) => ({ channel: p.channel.slice(key.length), hex: p.hex }));
    // Bounded wait for the messages to come back through Redis (5 s at most).
    const deadline = Date.now() + 5000;
    while (mine().length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return mine();
  }

  it('publishes the same messages on the same channels as @socket.io/redis-emitter, byte for byte', async () => {
    const expected = await capture(
      'official',
      (key) => new OfficialEmitter(publisher, { key }) as unknown as EmitterLike,
      9,
    );
    assert.equal(expected.length, 9, 'the official emitter published nine messages');
    const actual = await capture('ours', (key) => new Emitter(publisher, { key }), 9);
    assert.deepEqual(actual, expected);
    assert.deepEqual(
      actual.map((p) => p.channel),
      ['#/#', '#/#room1#', '#/#', '#/#', '#/admin#r#', '-request#/admin#', '-request#/#', '-request#/#', '-request#/#'],
    );
  });

  it('refuses reserved event names with ADAPTER_ERR_RESERVED_EVENT', () => {
    const emitter = new Emitter(publisher, { key: `${prefix}_reserved` });
    for (const name of ['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']) {
      assert.throws(() => emitter.to('r').emit(name), {
        code: 'ADAPTER_ERR_RESERVED_EVENT',
        message: `"${name}" is a reserved event name; rename the event`,
      });
    }
  });

  it('refuses an acknowledgement callback on serverSideEmit with ADAPTER_ERR_ACK_UNSUPPORTED', () => {
    const emitter = new Emitter(publisher, { key: `${prefix}_ack` });
    assert.throws(() => emitter.serverSideEmit('ev', () => {}), { code: 'ADAPTER_ERR_ACK_UNSUPPORTED' });
  });

  it('refuses a client without publish and unusable options with coded errors', () => {
    assert.throws(() => new Emitter({} as never), { code: 'ADAPTER_ERR_UNSUPPORTED_CLIENT' });
    assert.throws(() => new Emitter(publisher, { key: '' }), { code: 'ADAPTER_ERR_INVALID_OPTION' });
    assert.throws(() => new Emitter(publisher, { parser: {} as never }), { code: 'ADAPTER_ERR_INVALID_OPTION' });
  });

  it('types emits with the event map it is given', () => {
    interface Events {
      greet: (name: string, times: number) => void;
    }
    const emitter = new Emitter<Events>(publisher, { key: `${prefix}_typed` });
    assert.equal(emitter.to('r').emit('greet', 'ada', 2), true);
    // @ts-expect-error: greet takes a string then a number
    assert.equal(emitter.emit('greet', 2, 'ada'), true);
  });
});

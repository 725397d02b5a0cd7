// The chat server against hostile or broken clients: every bad input gets an error answer, nothing crashes.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { startChat, type RunningChat } from './chat-harness.js';

type Answer = { ok: boolean; error?: string; retryAfterMs?: number; message?: unknown };

describe('chat server input handling', () => {
  let chat: RunningChat;
  const clients: ClientSocket[] = [];

  /** Connects a raw client; resolves once connected or rejects with the connect_error. */
  function connect(auth: unknown): Promise<ClientSocket> {
    return connectTo(chat.url, auth);
  }

  function connectTo(url: string, auth: unknown): Promise<ClientSocket> {
    const socket = connectClient(url, {
      auth: auth as Record<string, unknown>,
      transports: ['websocket'],
      reconnection: false,
    });
    clients.push(socket);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    });
  }

  const ask = (socket: ClientSocket, event: string, ...args: unknown[]): Promise<Answer> =>
    socket.timeout(8000).emitWithAck(event, ...args) as Promise<Answer>;

  before(async () => {
    chat = await startChat({ port: 0, host: '127.0.0.1' });
  });

  after(async () => {
    for (const socket of clients) socket.close();
    await chat?.close();
  });

  it('refuses a handshake without a usable nickname or id', async () => {
    for (const auth of [
      {},
      { userId: 'u1' },
      { userId: 'u1', nickname: '' },
      { userId: 'u1', nickname: 'x'.repeat(25) },
      { userId: 'u1', nickname: '<script>' },
      { userId: '../../etc', nickname: 'Eve' },
      { userId: 7, nickname: 'Eve' },
    ]) {
      await assert.rejects(connect(auth), { message: 'invalid_identity' }, JSON.stringify(auth));
    }
  });

  it('refuses a nickname another online person uses, whatever its case', async () => {
    await connect({ userId: 'owner-1', nickname: 'Margaret' });
    await assert.rejects(connect({ userId: 'intruder-1', nickname: 'margaret' }), { message: 'nickname_taken' });
    // The same person in a second tab is fine.
    await connect({ userId: 'owner-1', nickname: 'Margaret' });
  });

  it('answers malformed requests with an error code and keeps serving', async () => {
    const socket = await connect({ userId: 'fuzzer-1', nickname: 'Fuzzer' });
    const cases: [string, unknown, string][] = [
      ['message:send', null, 'invalid_id'],
      ['message:send', 42, 'invalid_id'],
      ['message:send', 'text', 'invalid_id'],
      ['message:send', [1, 2], 'invalid_id'],
      ['message:send', { id: 'x'.repeat(65), text: 'hi', channel: 'general' }, 'invalid_id'],
      ['message:send', { id: 'has space', text: 'hi', channel: 'general' }, 'invalid_id'],
      ['message:send', { id: 'm1', text: 'x'.repeat(2001), channel: 'general' }, 'invalid_text'],
      ['message:send', { id: 'm2', text: { toString: 1 }, channel: 'general' }, 'invalid_text'],
      ['message:send', { id: 'm3', text: '\u0000\u0007   ', channel: 'general' }, 'invalid_text'],
      ['message:send', { id: 'm4', text: 'hi', channel: 'Bad Name!' }, 'invalid_channel'],
      ['message:send', { id: 'm5', text: 'hi', to: 'nobody-known' }, 'no_such_user'],
      ['message:send', { id: 'm6', text: 'hi' }, 'no_such_user'],
      ['channel:join', { name: '../etc' }, 'invalid_channel'],
      ['channel:join', { name: 'x'.repeat(33), create: true }, 'invalid_channel'],
      ['channel:join', { name: 'does-not-exist' }, 'no_such_channel'],
      ['channel:join', 'general', 'invalid_channel'],
      ['channel:leave', { name: 5 }, 'invalid_channel'],
    ];
    for (const [event, payload, error] of cases) {
      const answer = await ask(socket, event, payload);
      assert.equal(answer.error, error, `${event} ${JSON.stringify(payload)}`);
    }
    // Requests without an ack, events nobody handles, typing junk: silently ignored.
    socket.emit('message:send', { id: 'no-ack', text: 'no ack', channel: 'general' });
    socket.emit('typing', 'junk');
    socket.emit('typing', { channel: 'general', typing: 'yes' });
    socket.emit('no-such-event', { a: 1 });
    socket.emit('channel:list');
    const answer = await ask(socket, 'channel:join', { name: 'general' });
    assert.equal(answer.ok, true);
    assert.equal(socket.connected, true);
  });

  it('cleans control characters from text and answers a re-sent id with the first answer, broadcasting once', async () => {
    const sender = await connect({ userId: 'sender-1', nickname: 'Sender' });
    const listener = await connect({ userId: 'listener-1', nickname: 'Listener' });
    assert.equal((await ask(sender, 'channel:join', { name: 'dedup', create: true })).ok, true);
    assert.equal((await ask(listener, 'channel:join', { name: 'dedup' })).ok, true);
    const received: unknown[] = [];
    listener.on('message', (message: unknown) => received.push(message));

    const request = { id: 'same-id-1', text: ' hello\u0000\u001b world ', channel: 'dedup' };
    const first = await ask(sender, 'message:send', request);
    const second = await ask(sender, 'message:send', { ...request, text: 'changed text' });
    assert.equal(first.ok, true);
    assert.deepEqual(second, first);
    assert.equal((first.message as { text: string }).text, 'hello world');

    // A later message from the same sender arrives after any duplicate would have.
    await ask(sender, 'message:send', { id: 'same-id-2', text: 'next', channel: 'dedup' });
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error('the follow-up message never arrived')), 8000);
      const check = (): void => {
        if (received.length < 2) return;
        clearTimeout(deadline);
        listener.off('message', check);
        resolve();
      };
      listener.on('message', check);
      check();
    });
    assert.deepEqual(
      received.map((m) => (m as { id: string }).id),
      ['same-id-1', 'same-id-2'],
    );
  });

  it('rate-limits a flood of sends from one socket and says when to retry', async () => {
    const socket = await connect({ userId: 'flooder-1', nickname: 'Flooder' });
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        ask(socket, 'message:send', { id: `flood-${i}`, text: `flood ${i}`, channel: 'general' }),
      ),
    );
    const accepted = answers.filter((a) => a.ok).length;
    const limited = answers.filter((a) => a.error === 'rate_limited');
    assert.ok(accepted >= 10 && accepted < 15, `accepted ${accepted}`);
    assert.equal(accepted + limited.length, 30);
    assert.ok(limited.every((a) => typeof a.retryAfterMs === 'number' && a.retryAfterMs > 0 && a.retryAfterMs <= 1000));
  });

  it('runs two chat processes on one Redis (REDIS_URL) that share messages, channels and presence', async () => {
    const server = fileURLToPath(new URL('../../examples/chat/server.mjs', import.meta.url));
    const redisKey = `sbtest-chat-${randomBytes(5).toString('hex')}`;
    const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
    const children: ChildProcess[] = [];
    /** Starts one chat process and resolves with its URL once it listens. */
    const startProcess = (): Promise<{ child: ChildProcess; url: string }> => {
      const child = spawn(process.execPath, [...process.execArgv, server], {
        env: { ...process.env, PORT: '0', HOST: '127.0.0.1', REDIS_URL: redisUrl, REDIS_KEY: redisKey },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      return new Promise((resolve, reject) => {
        let stdout = '';
        let stderr = '';
        child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        // Generous: a chat process loads the server and admin from source, which takes seconds on a busy machine.
        const deadline = setTimeout(() => reject(new Error(`no listening line; stderr: ${stderr}`)), 45_000);
        child.stdout?.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+) \(Redis adapter on redis:/.exec(stdout);
          if (match === null) return;
          clearTimeout(deadline);
          resolve({ child, url: match[1] as string });
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}; stderr: ${stderr}`)));
      });
    };
    try {
      const first = await startProcess();
      const alice = await connectTo(first.url, { userId: 'alice-1', nickname: 'Alice' });
      assert.equal((await ask(alice, 'channel:join', { name: 'ops', create: true })).ok, true);
      // The second process starts after the first has state: it replays it from the first.
      const second = await startProcess();
      await assert.rejects(connectTo(second.url, { userId: 'bob-1', nickname: 'alice' }), {
        message: 'nickname_taken',
      });
      const bob = await connectTo(second.url, { userId: 'bob-1', nickname: 'Bob' });
      const joined = (await ask(bob, 'channel:join', { name: 'ops' })) as Answer & { members?: { nickname: string }[] };
      assert.deepEqual(
        joined.members?.map((m) => m.nickname),
        ['Alice', 'Bob'],
      );
      const delivered = new Promise<unknown>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the message from the other process never arrived')), 8000);
        bob.once('message', (message: unknown) => {
          clearTimeout(timer);
          resolve(message);
        });
      });
      assert.equal(
        (await ask(alice, 'message:send', { id: 'cross-1', text: 'across processes', channel: 'ops' })).ok,
        true,
      );
      assert.equal(((await delivered) as { text: string }).text, 'across processes');
    } finally {
      for (const child of children) child.kill('SIGTERM');
    }
  });
});

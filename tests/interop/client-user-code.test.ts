// Our client's listeners that throw, against the official server: the exception stays the application's (uncaught),
// the connection stays up, as with socket.io-client (proven first). Today's failure this pins: the Manager used to
// take such an exception for a parse error and drop the connection.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Socket } from 'socket.io';
import { startOfficialServer, waitFor, type OfficialServer } from './client-support.js';

const APP = fileURLToPath(new URL('./apps/throwing-client.ts', import.meta.url));

interface Fact {
  connected?: boolean;
  uncaught?: string;
  disconnect?: string;
  echo?: unknown;
}

/** The client process and the facts it printed, awaited one by one. */
class ClientProcess {
  readonly facts: Fact[] = [];
  readonly child: ChildProcess;
  #waiters: { match: (fact: Fact) => boolean; resolve: (fact: Fact) => void }[] = [];

  constructor(impl: string, url: string, transport: string) {
    this.child = spawn(
      process.execPath,
      ['--conditions=switchboard-source', '--import', 'tsx', APP, impl, url, transport],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      const fact = JSON.parse(line) as Fact;
      this.facts.push(fact);
      const waiter = this.#waiters.find((w) => w.match(fact));
      if (waiter !== undefined) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve(fact);
      }
    });
  }

  next(match: (fact: Fact) => boolean, what: string, timeoutMs = 8000): Promise<Fact> {
    const seen = this.facts.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the client process printed no ${what}`)), timeoutMs);
      this.#waiters.push({
        match,
        resolve: (fact) => {
          clearTimeout(timer);
          resolve(fact);
        },
      });
    });
  }

  uncaught(message: string): Promise<Fact> {
    return this.next((f) => f.uncaught === message, `uncaught "${message}"`);
  }
}

for (const impl of ['official', 'ours'] as const) {
  for (const transport of ['websocket', 'polling'] as const) {
    describe(`client listeners that throw (${impl === 'official' ? 'socket.io-client 4.8' : '@switchboard/client'}, ${transport})`, () => {
      let server: OfficialServer;
      let client: ClientProcess;
      let socket: Socket;

      before(async () => {
        server = await startOfficialServer();
        server.io.on('connection', (s) => {
          s.on('echo', (value: unknown, ack: (v: unknown) => void) => ack(value));
        });
        const connected = waitFor(server.io, 'connection', 15_000);
        client = new ClientProcess(impl, server.url, transport);
        [socket] = (await connected) as [Socket];
      });
      after(async () => {
        client.child.kill();
        await server.close();
      });

      test('a connect listener that throws leaves the socket connected', async () => {
        await client.uncaught('connect listener bug');
        socket.emit('run', 'after connect');
        assert.deepEqual(await client.next((f) => f.echo !== undefined, 'echo'), { echo: 'after connect' });
      });

      test('an event listener and a catch-all listener that throw leave the connection up', async () => {
        socket.emit('any-boom');
        await client.uncaught('catch-all listener bug');
        socket.emit('boom');
        await client.uncaught('event listener bug');
        socket.emit('run', 'after boom');
        assert.deepEqual(await client.next((f) => f.echo === 'after boom', 'echo after boom'), { echo: 'after boom' });
      });

      test('an ack callback that throws leaves the connection up', async () => {
        socket.emit('run', 'ack-callback');
        await client.uncaught('ack callback bug');
        socket.emit('run', 'after ack');
        assert.deepEqual(await client.next((f) => f.echo === 'after ack', 'echo after the ack'), { echo: 'after ack' });
        assert.deepEqual(
          client.facts.filter((f) => f.disconnect !== undefined),
          [],
          'no disconnection',
        );
      });
    });
  }
}

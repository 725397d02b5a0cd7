import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import WebSocket from 'ws';
import type { Clock } from './clock.js';
import type { Socket } from './socket.js';
import { pollingHandshake, send, startEngine, until, waitFor } from './testing/harness.js';
import type { Harness } from './testing/harness.js';

/** A clock that moves only when told; `tick()` runs the wheel's interval as a (possibly late) timer would. */
function manualClock(): Clock & { at(ms: number): void; tick(): void } {
  let now = 0;
  let callback: (() => void) | undefined;
  return {
    now: () => now,
    setInterval(cb) {
      callback = cb;
      return 1;
    },
    clearInterval() {
      callback = undefined;
    },
    at(ms) {
      now = ms;
    },
    tick() {
      callback?.();
    },
  };
}

// pingInterval 1000 + pingTimeout 500: the wheel's tick is 50 ms. The ping is due at 1000 and the session expires at
// 1500; before this fix it lived until the first tick after 1500 measured from when a late tick sent the ping.
const PING_INTERVAL = 1000;
const PING_TIMEOUT = 500;
// A request the server leaves hanging fails the test instead of the run.
const BOUNDED = { timeout: 5_000 };
const UNKNOWN_SID = { code: 1, message: 'Session ID unknown' };

async function pollingSession(): Promise<{
  h: Harness;
  clock: ReturnType<typeof manualClock>;
  socket: Socket;
  url: string;
}> {
  const clock = manualClock();
  const h = await startEngine({ clock, pingInterval: PING_INTERVAL, pingTimeout: PING_TIMEOUT });
  const connected = waitFor<[Socket]>(h.engine, 'connection');
  const { sid } = await pollingHandshake(h.port);
  const [socket] = await connected;
  return { h, clock, socket, url: `/engine.io/?EIO=4&transport=polling&sid=${sid}` };
}

/** The ping goes out 40 ms late (the tick ran at 1040) and the client never answers it. */
async function pingLate(session: Awaited<ReturnType<typeof pollingSession>>): Promise<void> {
  session.clock.at(PING_INTERVAL + 40);
  session.clock.tick();
  assert.equal((await send(session.h.port, session.url)).body, '2');
}

describe('heartbeat deadlines checked when a request arrives', () => {
  it(
    'answers 400 "Session ID unknown" to a GET arriving just after pingInterval + pingTimeout, before the wheel ticks',
    BOUNDED,
    async () => {
      const session = await pollingSession();
      try {
        await pingLate(session);
        const closed = waitFor<[string]>(session.socket, 'close');
        session.clock.at(PING_INTERVAL + PING_TIMEOUT + 1);
        const late = send(session.h.port, session.url);
        // Whatever the server did with the GET, the overdue tick now runs, as it would a little later.
        await until(() => session.socket.readyState === 'closed' || session.socket.transport.writable);
        session.clock.at(PING_INTERVAL + PING_TIMEOUT + 100);
        session.clock.tick();
        const res = await late;
        assert.deepEqual([res.status, res.body], [400, JSON.stringify(UNKNOWN_SID)]);
        assert.deepEqual(await closed, ['ping timeout', undefined]);
      } finally {
        await session.h.close();
      }
    },
  );

  it('answers 400 to a POST arriving after the deadline instead of delivering it', BOUNDED, async () => {
    const session = await pollingSession();
    try {
      await pingLate(session);
      const messages: unknown[] = [];
      session.socket.on('message', (data) => messages.push(data));
      session.clock.at(PING_INTERVAL + PING_TIMEOUT + 1);
      const res = await send(session.h.port, session.url, { method: 'POST', body: '4too late' });
      assert.deepEqual([res.status, res.body, messages], [400, JSON.stringify(UNKNOWN_SID), []]);
    } finally {
      await session.h.close();
    }
  });

  it('counts the deadline from when the ping was due even when no tick has sent it yet', BOUNDED, async () => {
    const session = await pollingSession();
    try {
      session.clock.at(PING_INTERVAL + PING_TIMEOUT + 1);
      const res = await send(session.h.port, session.url);
      assert.deepEqual([res.status, res.body], [400, JSON.stringify(UNKNOWN_SID)]);
      assert.equal(session.socket.readyState, 'closed');
    } finally {
      await session.h.close();
    }
  });

  it('refuses a WebSocket upgrade for a session whose deadline has passed', BOUNDED, async () => {
    const session = await pollingSession();
    try {
      await pingLate(session);
      session.clock.at(PING_INTERVAL + PING_TIMEOUT + 1);
      const ws = new WebSocket(
        `ws://127.0.0.1:${session.h.port}/engine.io/?EIO=4&transport=websocket&sid=${session.socket.id}`,
      );
      ws.on('error', () => {});
      const [, response] = await waitFor<[unknown, import('node:http').IncomingMessage]>(ws, 'unexpected-response');
      assert.equal(response.statusCode, 400);
      ws.terminate();
    } finally {
      await session.h.close();
    }
  });

  it(
    'keeps a session whose pong arrives before the deadline, even when the tick sending the ping ran late',
    BOUNDED,
    async () => {
      const session = await pollingSession();
      try {
        await pingLate(session);
        session.clock.at(PING_INTERVAL + PING_TIMEOUT - 1);
        const res = await send(session.h.port, session.url, { method: 'POST', body: '3' });
        assert.deepEqual([res.status, res.body, session.socket.readyState], [200, 'ok', 'open']);
      } finally {
        await session.h.close();
      }
    },
  );

  it('answers a GET parked when the ping timeout closes the session with the close packet "1"', BOUNDED, async () => {
    const session = await pollingSession();
    try {
      await pingLate(session);
      const parked = send(session.h.port, session.url);
      // Guards against a request the server dropped: it rejects (socket hang up) instead of resolving.
      parked.catch(() => {});
      await until(() => session.socket.transport.writable);
      const closed = waitFor<[string]>(session.socket, 'close');
      session.clock.at(PING_INTERVAL + PING_TIMEOUT + 1);
      session.clock.tick();
      assert.deepEqual(await closed, ['ping timeout', undefined]);
      const res = await parked;
      assert.deepEqual([res.status, res.body], [200, '1']);
    } finally {
      await session.h.close();
    }
  });
});

// An EVENT with 120,000 arguments (240 KB, inside the default 1 MB maxHttpBufferSize) sent to a real listener: the
// attack that the endpoint fuzz's long run found crashing both this branch's server and socket.io 4.8.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startTarget, type TargetProcess } from './endpoint-driver.js';
import type { Fault } from './endpoint-server.js';

const DEFAULT_MAX_HTTP_BUFFER_SIZE = 1_000_000;
const ARGUMENTS = 120_000;

/** Opens a WebSocket session, joins `/`, sends the flood and waits until the server closes or 2 s pass. */
async function sendFlood(port: number): Promise<void> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/socket.io/?EIO=4&transport=websocket`);
  const closed = new Promise<void>((resolve) => {
    ws.once('close', () => resolve());
    ws.once('error', () => resolve());
    setTimeout(resolve, 2000).unref();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('message', () => resolve());
    ws.once('error', reject);
  });
  ws.send('40');
  await new Promise((resolve) => ws.once('message', resolve));
  ws.send(`42["echo"${',1'.repeat(ARGUMENTS)}]`);
  await closed;
  ws.terminate();
}

describe('argument flood within the default maxHttpBufferSize', () => {
  let target: TargetProcess | undefined;
  let faults: Fault[] = [];

  before(async () => {
    target = await startTarget('switchboard', DEFAULT_MAX_HTTP_BUFFER_SIZE);
    await sendFlood(target.port);
    faults = (await target.stats()).faults;
  });
  after(async () => {
    await target?.stop();
  });

  // Before the decoder's maxArguments (CODEC_ERR_TOO_MANY_ARGUMENTS), the 120,000 arguments were applied to
  // EventEmitter#emit and overflowed the stack (an uncaught RangeError; a crash without a handler).
  it(`an EVENT of ${ARGUMENTS} arguments raises no uncaught exception in the server`, () => {
    assert.deepEqual(faults, []);
  });
});

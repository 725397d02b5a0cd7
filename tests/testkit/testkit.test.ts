// The testkit's own contract: bounded waits that name what they waited for, ports from the OS, Python peers
// that are parsed in order and always reaped, and the {"$bytes"} convention in both directions.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  closeServer,
  fromJsonBytes,
  jsonBytes,
  runPython,
  startHttpServer,
  toBuffers,
  waitFor,
  waitForOutcome,
  withTimeout,
} from './index.js';

describe('waitFor', () => {
  it('resolves with the arguments of the next event', async () => {
    const emitter = new EventEmitter();
    const next = waitFor(emitter, 'ready', 1000);
    emitter.emit('ready', 1, 'two');
    assert.deepEqual(await next, [1, 'two']);
  });

  it('rejects after the timeout with a message naming the event and the label, and stops listening', async () => {
    const emitter = new EventEmitter();
    await assert.rejects(waitFor(emitter, 'never', 20, 'the test emitter'), {
      message: "timed out after 20 ms waiting for event 'never' on the test emitter",
    });
    assert.equal(emitter.listenerCount('never'), 0);
  });
});

describe('waitForOutcome', () => {
  it('rejects as soon as the failure event fires, carrying its message and cause', async () => {
    const emitter = new EventEmitter();
    const outcome = waitForOutcome(emitter, 'connect', 'connect_error', 1000);
    const cause = new Error('refused');
    emitter.emit('connect_error', cause);
    await assert.rejects(outcome, { message: "got 'connect_error' instead of 'connect': refused", cause });
    assert.equal(emitter.listenerCount('connect') + emitter.listenerCount('connect_error'), 0);
  });
});

describe('withTimeout', () => {
  it('rejects with what was awaited when the promise is too slow', async () => {
    await assert.rejects(withTimeout(new Promise(() => undefined), 10, 'a slow thing'), {
      message: 'timed out after 10 ms waiting for a slow thing',
    });
  });
});

describe('startHttpServer and closeServer', () => {
  it('listens on an OS-chosen port and closes even with a keep-alive connection open', async () => {
    const { server, port } = await startHttpServer((_, response) => response.end('ok'));
    assert.ok(port > 0);
    const body = await new Promise<string>((resolve, reject) => {
      const agentRequest = request({ host: '127.0.0.1', port, headers: { connection: 'keep-alive' } }, (response) => {
        response.setEncoding('utf8');
        let text = '';
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve(text));
      });
      agentRequest.on('error', reject);
      agentRequest.end();
    });
    assert.equal(body, 'ok');
    await withTimeout(closeServer(server), 2000, 'closeServer');
    assert.equal(server.listening, false);
  });
});

describe('json bytes', () => {
  it('round-trips nested binary through the {"$bytes"} marker', () => {
    const value = { a: [Buffer.from([0, 255])], b: { c: new Uint8Array([7]) } };
    const wire = JSON.parse(JSON.stringify({ a: [jsonBytes(value.a[0] as Buffer)], b: { c: jsonBytes(value.b.c) } }));
    assert.deepEqual(wire, { a: [{ $bytes: 'AP8=' }], b: { c: { $bytes: 'Bw==' } } });
    assert.deepEqual(fromJsonBytes(wire), toBuffers(value));
  });
});

describe('runPython', () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'testkit-'));
    writeFileSync(
      join(dir, 'peer.py'),
      [
        'import json, sys',
        'print(json.dumps({"ev": "ready", "args": sys.argv[1:]}), flush=True)',
        'print("not json", flush=True)',
        'for line in sys.stdin:',
        '    print(json.dumps({"ev": "echo", "got": json.loads(line)}), flush=True)',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'hang.py'), 'import time\nprint("{}", flush=True)\ntime.sleep(60)\n');
  });

  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('parses lines in order, keeps unparsed ones visible, and answers commands', async () => {
    const peer = runPython(join(dir, 'peer.py'), ['--flag']);
    try {
      assert.deepEqual(await peer.next({ ev: 'ready' }), { ev: 'ready', args: ['--flag'] });
      assert.deepEqual(await peer.next({ ev: 'unparsed' }), { ev: 'unparsed', text: 'not json' });
      peer.send({ op: 'ping', n: 1 });
      assert.deepEqual(await peer.next((line) => line['ev'] === 'echo'), { ev: 'echo', got: { op: 'ping', n: 1 } });
    } finally {
      await peer.close();
    }
  });

  it('rejects a wait with the recent lines when the line never comes, and kills a peer that ignores EOF', async () => {
    const peer = runPython(join(dir, 'hang.py'));
    await assert.rejects(peer.next({ ev: 'missing' }, 200), /timed out after 200 ms waiting for line .*missing/);
    await withTimeout(peer.close(300), 3000, 'the hanging peer to be killed');
  });
});

// Node-specific behaviour of our Engine.IO client that needs a process of its own: autoUnref.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { startOfficialServer, type OfficialServer } from './engine-client-helpers.js';

// The child keeps itself alive with an interval until both sockets are connected (one on polling, one upgraded
// to WebSocket), then lets go: with autoUnref nothing else may hold the process open.
const CHILD = `
import { Socket } from '@switchboard/engine-client';
const keepAlive = setInterval(() => {}, 1000);
let ready = 0;
const onReady = () => { if (++ready === 2) { clearInterval(keepAlive); console.log('ready'); } };
new Socket(process.env.URL, { autoUnref: true, transports: ['polling'] }).on('open', onReady);
new Socket(process.env.URL, { autoUnref: true }).on('upgrade', onReady);
setTimeout(() => { console.log('still alive'); process.exit(2); }, 8000).unref();
`;

describe('engine client in Node with autoUnref', () => {
  let server: OfficialServer;
  before(async () => {
    server = await startOfficialServer({ pingInterval: 300, pingTimeout: 200 });
  });
  after(() => server.close());

  it('lets the process exit while its polling and WebSocket connections are open', async () => {
    let connections = 0;
    server.engine.on('connection', () => connections++);
    const child = spawn(
      process.execPath,
      ['--conditions=switchboard-source', '--import', 'tsx', '--input-type=module', '-e', CHILD],
      { env: { ...process.env, URL: server.url }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const killer = setTimeout(() => child.kill(), 20_000);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    clearTimeout(killer);
    assert.equal(output.trim(), 'ready');
    assert.equal(code, 0);
    assert.equal(connections, 2);
  });
});

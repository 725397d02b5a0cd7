import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));

// A Node client connecting to a socket.io server in a child process, with DEBUG set as the caller gives it.
function runClient(debug: string | undefined): Promise<{ stdout: string; stderr: string }> {
  const script = `
    import { io } from '@switchboard/client';
    import { Server } from 'socket.io';
    import { createServer } from 'node:http';
    const http = createServer();
    const server = new Server(http);
    http.listen(0, '127.0.0.1', () => {
      const socket = io('http://127.0.0.1:' + http.address().port, { reconnection: false });
      const timer = setTimeout(() => { console.log('timeout'); process.exit(1); }, 5000);
      socket.on('connect', () => { clearTimeout(timer); console.log('connected'); socket.disconnect(); server.close(); });
    });
  `;
  const env: NodeJS.ProcessEnv = { ...process.env, DEBUG_COLORS: 'no' };
  delete env['DEBUG'];
  if (debug !== undefined) env['DEBUG'] = debug;
  const args = ['--conditions=switchboard-source', '--import', 'tsx', '--input-type=module', '-e', script];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: root, env, timeout: 20_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stdout}${stderr}`)) : resolve({ stdout, stderr }),
    );
  });
}

test(
  'DEBUG=switchboard:client:*,switchboard:engine-client:* traces the Node client on stderr',
  { timeout: 30_000 },
  async () => {
    const { stdout, stderr } = await runClient('switchboard:client:*,switchboard:engine-client:*');
    assert.equal(stdout.trim(), 'connected');
    assert.match(stderr, /switchboard:client:url new cached Manager for http:\/\/127\.0\.0\.1/);
    assert.match(stderr, /switchboard:client:manager opening http:\/\/127\.0\.0\.1/);
    assert.match(stderr, /switchboard:engine-client:socket handshake: sid /);
    assert.match(stderr, /switchboard:client:socket \/ connected as /);
  },
);

test('the Node client writes no diagnostics without DEBUG', { timeout: 30_000 }, async () => {
  const { stdout, stderr } = await runClient(undefined);
  assert.equal(stdout.trim(), 'connected');
  assert.equal(stderr, '');
});

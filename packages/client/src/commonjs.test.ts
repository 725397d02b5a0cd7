import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));

function run(args: string[], timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: root, timeout: timeoutMs }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, output: stdout + stderr });
    });
  });
}

// CommonJS users `require()` the built ES module (Node >= 20.19); build it first so the test sees current code.
test(
  'require() of the built package returns io, carrying Manager, Socket and protocol, and it connects',
  { timeout: 180_000 },
  async () => {
    const build = await run([`${root}node_modules/typescript/bin/tsc`, '-b', 'packages/client'], 150_000);
    assert.equal(build.code, 0, build.output);
    const script = `
    const io = require('@switchboard/client');
    const { Server } = require('socket.io');
    const http = require('node:http');
    if (typeof io !== 'function' || io.io !== io || io.connect !== io || io.default !== undefined && io.default !== io) throw new Error('io shape');
    if (typeof io.Manager !== 'function' || typeof io.Socket !== 'function' || io.protocol !== 5) throw new Error('io members');
    const httpServer = http.createServer();
    const server = new Server(httpServer);
    httpServer.listen(0, '127.0.0.1', () => {
      const socket = io('http://127.0.0.1:' + httpServer.address().port, { transports: ['websocket'], reconnection: false });
      const timer = setTimeout(() => { console.log('timeout'); process.exit(1); }, 5000);
      socket.on('connect', () => { clearTimeout(timer); console.log('connected'); socket.disconnect(); server.close(); });
    });
  `;
    const result = await run(['-e', script], 20_000);
    assert.equal(result.output.trim(), 'connected', result.output);
  },
);

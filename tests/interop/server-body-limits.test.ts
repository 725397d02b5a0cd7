// engine.io 6.6.13's `httpRequestBodyTimeout` and `maxBufferedChunks`: a polling POST body that trickles in too
// slowly gets 408, one in too many chunks gets 413, and the session closes. Run against socket.io 4.8 on engine.io
// 6.6.13 (proving the expectations) and ours.
import assert from 'node:assert/strict';
import { request, type ClientRequest } from 'node:http';
import { after, describe, test } from 'node:test';
import { SERVER_IMPLEMENTATIONS, startServer, within, type TestServer } from './server-kit.js';

function get(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a polling session and starts a chunked POST to it; resolves the POST's status through `status`. */
async function startPost(port: number): Promise<{ post: ClientRequest; status: Promise<number> }> {
  const open = await get(port, '/socket.io/?EIO=4&transport=polling');
  const sid = (JSON.parse(open.slice(1)) as { sid: string }).sid;
  const post = request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: `/socket.io/?EIO=4&transport=polling&sid=${sid}`,
    agent: false,
    headers: { 'content-type': 'text/plain;charset=UTF-8', 'transfer-encoding': 'chunked' },
  });
  const status = new Promise<number>((resolve, reject) => {
    post.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    post.on('error', reject);
  });
  post.flushHeaders();
  return { post, status };
}

for (const impl of SERVER_IMPLEMENTATIONS) {
  describe(`polling request body limits on ${impl.name}`, () => {
    const servers: TestServer[] = [];
    after(async () => {
      for (const server of servers) await server.close();
    });

    test('a POST body not received within httpRequestBodyTimeout gets 408', async () => {
      const server = await startServer({ httpRequestBodyTimeout: 200 }, 0, impl.create);
      servers.push(server);
      const { post, status } = await startPost(server.port);
      post.write('4');
      assert.equal(await within(status, 5000, 'the 408'), 408);
      post.destroy();
    });

    test('a POST body in more chunks than maxBufferedChunks gets 413', async () => {
      const server = await startServer({ maxBufferedChunks: 2 }, 0, impl.create);
      servers.push(server);
      const { post, status } = await startPost(server.port);
      let answered = false;
      void status.then(() => (answered = true));
      // Pieces 20 ms apart reach the server as separate chunks; bounded, and it stops at the answer.
      for (let i = 0; i < 50 && !answered; i++) {
        post.write('4');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal(await within(status, 5000, 'the 413'), 413);
      post.destroy();
    });
  });
}

// Runs socket.io's official examples against our packed tarballs, installed under the names `socket.io` and
// `socket.io-client`, and writes the results table into docs/migration.md (between the EXAMPLES markers).
// Needs the mirror of github:socketio/socket.io (the agent `fetch` tool, or SOCKETIO_REPO=<git dir>); their code is
// copied into a temp folder at run time, never into this repository. Offline: the tarballs are extracted by hand and
// third-party dependencies are linked from our root node_modules; an example whose dependencies are not there is
// reported with what it needs. Not part of `npm test`.
// Usage: npm run build && node bench/examples/run.mjs [example-name ...]
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const repo = process.env.SOCKETIO_REPO ?? '/work/.mirror/socketio+socket.io/repo';

/** Each example: its folder, the server entry, how to drive it, and what it needs when we know it cannot run here. */
const EXAMPLES = [
  { name: 'chat', dir: 'chat', server: 'index.js', drive: 'chat', page: true },
  { name: 'whiteboard', dir: 'whiteboard', server: 'index.js', drive: 'connect', page: true },
  { name: 'es-modules', dir: 'es-modules', server: 'server.js', drive: 'script:client.js' },
  { name: 'connection-state-recovery (cjs)', dir: 'connection-state-recovery-example/cjs', server: 'index.js', drive: 'connect', port: 3000, page: true },
  { name: 'connection-state-recovery (esm)', dir: 'connection-state-recovery-example/esm', server: 'index.js', drive: 'connect', port: 3000, page: true },
  { name: 'express-session (cjs)', dir: 'express-session-example/cjs', server: 'index.js', drive: 'connect', page: true },
  { name: 'express-session (esm)', dir: 'express-session-example/esm', server: 'index.js', drive: 'connect', page: true },
  { name: 'passport (cjs)', dir: 'passport-example/cjs', server: 'index.js', drive: 'connect', page: true },
  { name: 'passport-jwt (cjs)', dir: 'passport-jwt-example/cjs', server: 'index.js', drive: 'connect', page: true },
  { name: 'typescript (cjs)', dir: 'typescript-example/cjs', server: 'server.ts', drive: 'script:client.ts', ts: true },
  { name: 'typescript (esm)', dir: 'typescript-example/esm', server: 'server.ts', drive: 'script:client.ts', ts: true },
  { name: 'custom-parsers', dir: 'custom-parsers', needs: 'webpack build and schemapack/socket.io-json-parser/socket.io-msgpack-parser' },
  { name: 'http2', dir: 'http2-example', needs: 'a TLS certificate (generate_cert.sh) and a browser trusting it' },
  { name: 'private-messaging', dir: 'private-messaging/server', needs: 'socket.io-redis, @socket.io/sticky and a Vue build' },
  { name: 'postgres-adapter', dir: 'postgres-adapter-example', needs: 'the postgres adapter (being built as @switchboard/postgres-adapter)' },
  { name: 'cluster-engine-node-cluster', dir: 'cluster-engine-node-cluster', needs: '@socket.io/cluster-engine (io.bind with a foreign engine, issue 16)' },
  { name: 'cluster-engine-redis', dir: 'cluster-engine-redis', needs: '@socket.io/cluster-engine and Redis' },
  { name: 'cluster-nginx / haproxy / httpd / traefik', dir: 'cluster-nginx', needs: 'the proxy itself and the redis adapter under socket.io\'s name' },
];

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function httpStatus(url) {
  return new Promise((resolve) => {
    get(url, (res) => {
      res.resume();
      resolve(res.statusCode);
    }).on('error', () => resolve(0));
  });
}

/** Extracts a tarball into node_modules/<name>. */
function extract(tgz, dest) {
  mkdirSync(dest, { recursive: true });
  execFileSync('tar', ['-xzf', tgz, '-C', dest, '--strip-components=1']);
}

function install(dir, packs) {
  const nm = join(dir, 'node_modules');
  mkdirSync(nm, { recursive: true });
  const map = { protocol: '@switchboard/protocol', engine: '@switchboard/engine', 'engine-client': '@switchboard/engine-client', server: 'socket.io', client: 'socket.io-client' };
  for (const [folder, name] of Object.entries(map)) extract(join(packs, `switchboard-${folder}-0.1.0.tgz`), join(nm, name));
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  // Our client under its own name only where the example depends on socket.io-client: whether the server serves
  // /socket.io/socket.io.js by itself is part of what is checked (socket.io-client is always there for the probe).
  if (manifest.dependencies?.['socket.io-client']) extract(join(packs, 'switchboard-client-0.1.0.tgz'), join(nm, '@switchboard/client'));
  const wanted = new Set(['ws', 'debug', 'ms', 'cors', 'object-assign', 'vary', ...Object.keys(manifest.dependencies ?? {})]);
  const missing = [];
  for (const dep of wanted) {
    if (dep === 'socket.io' || dep === 'socket.io-client' || existsSync(join(nm, dep))) continue;
    // TypeScript examples: our tsc checks them and tsx runs them, in place of their ts-node.
    if (dep === 'ts-node' || dep === 'typescript') continue;
    const source = join(root, 'node_modules', dep);
    if (!existsSync(source)) {
      missing.push(dep);
      continue;
    }
    mkdirSync(join(nm, dep, '..'), { recursive: true });
    symlinkSync(source, join(nm, dep));
  }
  return missing;
}

function startProcess(cwd, file, env) {
  const args = file.endsWith('.ts') ? [join(root, 'node_modules/tsx/dist/cli.mjs'), file] : [file];
  const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function waitUntil(check, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** Connects with the example's own `socket.io-client` (ours) in a child process; prints 'ok' or the error. */
function clientProbe(dir, url, mode) {
  const script =
    mode === 'chat'
      ? `const s = require('socket.io-client')(${JSON.stringify(url)}); const t = setTimeout(() => { console.log('timeout'); process.exit(1); }, 5000);
         s.on('connect', () => s.emit('add user', 'probe')); s.on('login', (d) => { console.log(d && d.numUsers ? 'ok' : 'bad login'); clearTimeout(t); s.close(); });
         s.on('connect_error', (e) => { console.log('connect_error: ' + e.message); process.exit(1); });`
      : `const s = require('socket.io-client')(${JSON.stringify(url)}); const t = setTimeout(() => { console.log('timeout'); process.exit(1); }, 5000);
         s.on('connect', () => { console.log('ok'); clearTimeout(t); s.close(); });
         s.on('connect_error', (e) => { console.log('connect_error: ' + e.message); clearTimeout(t); s.close(); });`;
  writeFileSync(join(dir, '__probe.cjs'), script);
  try {
    return execFileSync(process.execPath, ['__probe.cjs'], { cwd: dir, timeout: 10_000 }).toString().trim();
  } catch (e) {
    return (e.stdout?.toString() || e.message).trim().split('\n').pop();
  }
}

async function runExample(example, work, packs) {
  if (example.needs) return { works: 'not run', why: `needs ${example.needs}` };
  const dir = join(work, example.dir.replaceAll('/', '_'));
  mkdirSync(dir, { recursive: true });
  execFileSync('sh', ['-c', `git -C '${repo}' archive 'HEAD:examples/${example.dir}' | tar -x -C '${dir}'`]);
  const missing = install(dir, packs);
  if (missing.length > 0) return { works: 'not run', why: `dependencies not available offline: ${missing.join(', ')}` };
  if (example.ts) {
    symlinkSync(join(root, 'node_modules/@types'), join(dir, 'node_modules/@types'));
    try {
      execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', '.', '--noEmit'], { cwd: dir, timeout: 120_000 });
    } catch (e) {
      return { works: 'fails', why: `tsc: ${(e.stdout?.toString() || e.message).trim().split('\n').slice(0, 2).join(' ')}` };
    }
  }
  const source = readFileSync(join(dir, example.server), 'utf8');
  const port = example.port ?? (/PORT/.test(source) ? await freePort() : Number(/(?:listen|Server)\((\d+)/.exec(source)?.[1] ?? 3000));
  const server = startProcess(dir, example.server, { PORT: String(port) });
  try {
    const url = `http://127.0.0.1:${port}`;
    const up = await waitUntil(async () => (await httpStatus(`${url}/socket.io/?EIO=4&transport=polling`)) === 200, 8000);
    if (!up) return { works: 'fails', why: `server not answering the handshake: ${server.output().trim().split('\n').slice(-2).join(' ')}` };
    const notes = [];
    if (example.page) {
      const bundle = await httpStatus(`${url}/socket.io/socket.io.js`);
      notes.push(`/socket.io/socket.io.js ${bundle}`);
    }
    let result;
    if (example.drive.startsWith('script:')) {
      const client = startProcess(dir, example.drive.slice(7), { PORT: String(port) });
      const code = await Promise.race([client.exited, new Promise((r) => setTimeout(() => r('running'), 4000))]);
      client.child.kill();
      const out = client.output().trim();
      result = code === 'running' || code === 0 ? (out && !/Error/.test(out) ? 'ok' : `no output (${code})`) : `exit ${code}: ${out.split('\n').pop()}`;
    } else {
      result = clientProbe(dir, url, example.drive);
    }
    const pageBroken = example.page && !notes.some((n) => n.endsWith(' 200'));
    if (result === 'ok' && pageBroken) {
      return { works: 'fails', why: `client connects, but the page's /socket.io/socket.io.js is not served (${notes.join(', ')}): the server must ship the client bundle (issue 16)` };
    }
    return result === 'ok'
      ? { works: 'works', why: `${example.ts ? 'tsc clean, ' : ''}handshake, client ${example.drive === 'chat' ? 'login round trip' : 'connects'}; ${notes.join(', ')}`.replace(/; $/, '') }
      : { works: 'fails', why: `${result}; ${notes.join(', ')}`.replace(/; $/, '') };
  } finally {
    server.child.kill();
    await server.exited;
  }
}

if (!existsSync(repo)) {
  console.error(`no socket.io mirror at ${repo}: fetch github:socketio/socket.io or set SOCKETIO_REPO`);
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), 'switchboard-examples-'));
const packs = join(work, 'packs');
mkdirSync(packs);
execFileSync('npm', ['pack', '--workspaces', '--pack-destination', packs, '--silent'], { cwd: root });
const only = process.argv.slice(2);
const rows = [];
for (const example of EXAMPLES.filter((e) => only.length === 0 || only.includes(e.name))) {
  const result = await runExample(example, work, packs).catch((e) => ({ works: 'fails', why: e.message.split('\n')[0] }));
  console.log(`${example.name}: ${result.works} (${result.why})`);
  rows.push(`| ${example.name} | ${result.works} | ${result.why.replaceAll('|', '\\|')} |`);
}
rmSync(work, { recursive: true, force: true });
const sha = execFileSync('git', ['-C', repo, 'rev-parse', '--short', 'HEAD']).toString().trim();
const table = [
  `<!-- EXAMPLES:START (written by bench/examples/run.mjs against socketio/socket.io@${sha}) -->`,
  '| example | result | why |',
  '| --- | --- | --- |',
  ...rows,
  '<!-- EXAMPLES:END -->',
].join('\n');
const docPath = join(root, 'docs/migration.md');
const doc = readFileSync(docPath, 'utf8');
writeFileSync(docPath, doc.replace(/<!-- EXAMPLES:START[\s\S]*?<!-- EXAMPLES:END -->/, table));

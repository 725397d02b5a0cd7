// Runs socket.io's official examples unchanged against our packed tarballs, installed under the names `socket.io`
// and `socket.io-client`, and prints a results table (`--write` also puts it in docs/migration.md, between the
// EXAMPLES markers). socket.io's code is never part of this repository: the examples are extracted at run time from
// a git mirror of github:socketio/socket.io (`--repo <git dir>` or SOCKETIO_REPO); without one the script says so
// and exits 0. Third-party dependencies (express, passport, ts-node...) install from the npm registry.
// Not part of `npm test`; bounded: every install, process and driver has a timeout.
// Usage: npm run build && node bench/examples/run.mjs [--write] [--repo DIR] [example-name ...]
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { values: flags, positionals: only } = parseArgs({
  allowPositionals: true,
  options: {
    write: { type: 'boolean', default: false },
    repo: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const repo = flags.repo ?? process.env.SOCKETIO_REPO ?? '/work/.mirror/socketio+socket.io/repo';

// Two users, as two browser tabs of the private-messaging app would be (its events, its `auth.username`).
const PRIVATE_MESSAGING = `
const { io } = require('socket.io-client');
const url = 'http://localhost:' + process.env.PORT;
const alice = io(url, { auth: { username: 'alice' } });
alice.on('connect_error', (e) => console.log('alice connect_error ' + e.message));
alice.on('session', () => {
  const bob = io(url, { auth: { username: 'bob' } });
  bob.on('connect_error', (e) => console.log('bob connect_error ' + e.message));
  bob.on('session', ({ userID }) => setTimeout(() => alice.emit('private message', { content: 'hi bob', to: userID }), 300));
  bob.on('private message', ({ content, from }) => {
    console.log('bob got "' + content + '" from ' + (from === alice.userID ? 'alice' : from));
    process.exit(0);
  });
});
alice.on('session', ({ userID }) => (alice.userID = userID));
`;

/**
 * The examples. `port`: a number when the example hard-codes it, 'env' when it reads PORT. `server`: the commands that
 * start it (the example's own, run in its folder). `page`: a driver of pages.mjs. `client`: a command whose output
 * must match `expect`. `needs`: why it is not run.
 */
const EXAMPLES = [
  {
    // The page loads jQuery 1.10.2 from a CDN: served instead from npm's jquery 1.11.0 (1.10 is not on the registry).
    name: 'chat',
    dir: 'chat',
    port: 'env',
    server: [['node', 'index.js']],
    page: 'chat',
    extra: { jquery: '1.11.0' },
    routes: { 'https://code.jquery.com/jquery-1.10.2.min.js': 'node_modules/jquery/dist/jquery.min.js' },
  },
  { name: 'whiteboard', dir: 'whiteboard', port: 'env', server: [['node', 'index.js']], page: 'whiteboard' },
  {
    name: 'es-modules',
    dir: 'es-modules',
    port: 8080,
    server: [['node', 'server.js']],
    client: {
      cmd: ['node', 'client.js'],
      expect: /connect \S+[\s\S]*pong[\s\S]*pong/,
      what: 'client.js connects, two ping/pong acks',
    },
  },
  ...['cjs', 'esm'].flatMap((v) => [
    {
      name: `connection-state-recovery (${v})`,
      dir: `connection-state-recovery-example/${v}`,
      port: 3000,
      server: [['node', 'index.js']],
      page: 'connection-state-recovery',
    },
    {
      name: `express-session (${v})`,
      dir: `express-session-example/${v}`,
      port: 'env',
      server: [['node', 'index.js']],
      page: 'express-session',
    },
    {
      name: `passport (${v})`,
      dir: `passport-example/${v}`,
      port: 'env',
      server: [['node', 'index.js']],
      page: 'passport',
    },
    {
      name: `passport-jwt (${v})`,
      dir: `passport-jwt-example/${v}`,
      port: 'env',
      server: [['node', 'index.js']],
      page: 'passport-jwt',
    },
    {
      name: `typescript (${v})`,
      dir: `typescript-example/${v}`,
      port: 8080,
      tsc: true,
      server: [['npm', 'run', 'start:server']],
      client: {
        cmd: ['npm', 'run', 'start:client'],
        expect: /connect \S+[\s\S]*pong[\s\S]*pong/,
        what: 'tsc clean; ts-node server and client, two ping/pong acks',
      },
    },
  ]),
  {
    // Its start script builds the page's four clients with webpack 2, which reads the client's package.json `browser`
    // field (an ES2017 CommonJS bundle: webpack 2 parses nothing newer). Should that build fail again, they are
    // bundled with esbuild (same entries and file names, `global` defined as webpack's Node shims do) so the servers
    // are still checked, and the row says `partly` with the cause. Port 3000 is fixed: the servers' CORS origin names it.
    name: 'custom-parsers',
    dir: 'custom-parsers',
    port: 3000,
    ports: [3001, 3002, 3003, 3004],
    server: [['node', 'src/server.js']],
    build: ['npm', 'run', 'build'],
    page: 'custom-parsers',
    fallback: (dir) =>
      run(
        join(root, 'node_modules/.bin/esbuild'),
        [1, 2, 3, 4]
          .map((i) => `src/client${i}.js`)
          .concat([
            '--bundle',
            '--outdir=public',
            '--entry-names=[name].bundle',
            '--target=es2020',
            '--define:global=globalThis',
            '--log-level=error',
          ]),
        dir,
        60_000,
      ),
  },
  {
    name: 'http2',
    dir: 'http2-example',
    port: 'env',
    tls: true,
    setup: ['bash', 'generate_cert.sh'],
    server: [['node', 'index.js']],
    page: 'http2',
  },
  {
    name: 'postgres-adapter',
    dir: 'postgres-adapter-example',
    port: 3000,
    ports: [3001, 3002],
    server: [['node', 'cluster.js']],
    alias: { '@socket.io/postgres-adapter': '@switchboard/postgres-adapter' },
    client: {
      cmd: ['node', 'client.js'],
      expect: /process: (\d+)[\s\S]*process: (?!\1)\d+/,
      what: '3 workers (node:cluster) on PostgreSQL 127.0.0.1:5432; client.js gets `hello` broadcasts from other processes',
    },
  },
  {
    // Its page is a Vue app (client/, a vue-cli build): two Node clients do what two pages would, through the sticky
    // master (cluster.js, 4 workers) and the Redis adapter on 127.0.0.1:6379.
    name: 'private-messaging',
    dir: 'private-messaging/server',
    port: 'env',
    server: [['node', 'cluster.js']],
    client: {
      cmd: ['node', '-e', PRIVATE_MESSAGING],
      expect: /^bob got "hi bob" from alice$/m,
      what: 'sticky master + 4 workers + socket.io-redis; two Node clients get sessions, a private message reaches the other through the adapter',
    },
  },
  {
    name: 'cluster-engine-node-cluster',
    dir: 'cluster-engine-node-cluster',
    needs: '@socket.io/cluster-engine, which is not on the npm registry',
  },
  {
    name: 'cluster-engine-redis',
    dir: 'cluster-engine-redis',
    needs: '@socket.io/cluster-engine, which is not on the npm registry',
  },
  {
    name: 'cluster-nginx / haproxy / httpd / traefik',
    dir: 'cluster-nginx',
    needs: 'the proxy itself in front of several servers (docker compose)',
  },
];

const TIMEOUT = { install: 240_000, start: 20_000, client: 20_000, page: 45_000 };

function run(cmd, args, cwd, timeout) {
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      { cwd, timeout, maxBuffer: 32 << 20, env: { ...process.env, FORCE_COLOR: '0' } },
      (error, stdout, stderr) => {
        if (error)
          reject(
            Object.assign(
              new Error(`${cmd} ${args.join(' ')}: ${lastLines(`${stdout}\n${stderr}`, 3) || error.message}`),
              { output: `${stdout}\n${stderr}` },
            ),
          );
        else resolve(stdout);
      },
    );
  });
}

const lastLines = (text, n) =>
  text
    .trim()
    .split('\n')
    .filter((l) => l.trim() && !/^npm (notice|warn)/.test(l))
    .slice(-n)
    .join(' / ');

function portFree(port) {
  return new Promise((resolve) => {
    const s = createServer()
      .once('error', () => resolve(false))
      .listen(port, () => s.close(() => resolve(true)));
  });
}

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function status(url) {
  return new Promise((resolve) => {
    const req = (url.startsWith('https') ? httpsRequest : httpRequest)(
      url,
      { rejectUnauthorized: false, timeout: 2000 },
      (res) => {
        res.resume();
        resolve(res.statusCode);
      },
    );
    req.on('error', () => resolve(0)).on('timeout', () => req.destroy());
    req.end();
  });
}

/** Starts a command in its own process group so that it and whatever it forks (npm, cluster workers) stop together. */
function start(cmd, cwd, env) {
  const child = spawn(cmd[0], cmd.slice(1), {
    cwd,
    env: { ...process.env, FORCE_COLOR: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 'signal')));
  return {
    exited,
    output: () => output,
    async stop() {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // the group is already gone
      }
      const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('hung'), 3000))]);
      if (code === 'hung') {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // exited between the race and the kill
        }
      }
    },
  };
}

async function until(check, ms) {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
    if (await check()) return true;
  }
  return false;
}

/** Our packages and the @switchboard packages they need, as tarball paths, from the packed folder. */
function internalTarballs(names, packs) {
  const manifests = new Map(
    readdirSync(join(root, 'packages')).map((f) => [
      JSON.parse(readFileSync(join(root, 'packages', f, 'package.json'), 'utf8')).name,
      f,
    ]),
  );
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name)) return;
    seen.add(name);
    const m = JSON.parse(readFileSync(join(root, 'packages', manifests.get(name), 'package.json'), 'utf8'));
    for (const dep of Object.keys({ ...m.dependencies, ...m.peerDependencies }))
      if (dep.startsWith('@switchboard/')) visit(dep);
  };
  names.forEach(visit);
  return Object.fromEntries(
    [...seen].map((n) => [n, `file:${join(packs, `${n.slice(1).replace('/', '-')}-0.1.0.tgz`)}`]),
  );
}

/** Rewrites the example's manifest so `socket.io` and `socket.io-client` (and aliases) are our tarballs, then installs. */
async function install(dir, example, packs) {
  const manifest = existsSync(join(dir, 'package.json'))
    ? JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    : { name: 'example', private: true };
  const deps = { ...manifest.dependencies };
  const aliases = { 'socket.io': '@switchboard/server', 'socket.io-client': '@switchboard/client', ...example.alias };
  // Every example that runs gets our client too: the drivers of pages load /socket.io/socket.io.js from the server.
  deps['socket.io'] = '*';
  if (example.client) deps['socket.io-client'] = '*';
  const ours = internalTarballs(
    Object.keys(deps)
      .filter((d) => aliases[d])
      .map((d) => aliases[d]),
    packs,
  );
  for (const name of Object.keys(deps)) if (aliases[name]) deps[name] = ours[aliases[name]];
  for (const [name, spec] of Object.entries({ ...ours, ...example.extra })) deps[name] = spec;
  delete manifest.devDependencies;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ ...manifest, dependencies: deps }, null, 2));
  await run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'],
    dir,
    TIMEOUT.install,
  );
}

async function runExample(example, work, packs, browser) {
  if (example.needs) return { result: 'not run', why: `needs ${example.needs}` };
  const dir = join(work, example.dir.replaceAll('/', '_'));
  mkdirSync(dir, { recursive: true });
  execFileSync('sh', ['-c', `git --git-dir='${repo}' archive 'HEAD:examples/${example.dir}' | tar -x -C '${dir}'`]);
  for (const port of [...(typeof example.port === 'number' ? [example.port] : []), ...(example.ports ?? [])]) {
    if (!(await portFree(port)))
      return { result: 'not run', why: `port ${port}, fixed by the example, is busy on this machine` };
  }
  try {
    await install(dir, example, packs);
  } catch (e) {
    return { result: 'fails', why: `install: ${e.message}` };
  }
  if (example.setup) await run(example.setup[0], example.setup.slice(1), dir, 30_000);
  let buildFailure = '';
  if (example.build) {
    try {
      await run(example.build[0], example.build.slice(1), dir, 120_000);
    } catch (e) {
      // eslint-disable-next-line no-control-regex -- the ESC of ANSI colour codes in the bundler output is the point
      const text = (e.output ?? e.message).replace(/\x1b\[[0-9;]*m/g, '');
      const parse = /Module parse failed: \S*node_modules\/(\S+) (.*?)\n/.exec(text);
      buildFailure = parse
        ? `\`${example.build.join(' ')}\` fails: its bundler cannot parse node_modules/${parse[1]} (${parse[2]})`
        : e.message;
      await example.fallback(dir);
    }
  }
  if (example.tsc) {
    try {
      await run('npx', ['tsc', '--noEmit', '-p', '.'], dir, 120_000);
    } catch (e) {
      return { result: 'fails', why: `tsc: ${e.message}` };
    }
  }
  const port = example.port === 'env' ? await freePort() : example.port;
  const url = `${example.tls ? 'https' : 'http'}://localhost:${port}`;
  const servers = example.server.map((cmd) => start(cmd, dir, { PORT: String(port), PGHOST: '127.0.0.1' }));
  const clients = [];
  try {
    // Any answer means the server listens: some examples refuse an anonymous handshake (passport).
    const up = await until(async () => (await status(`${url}/socket.io/?EIO=4&transport=polling`)) > 0, TIMEOUT.start);
    if (!up)
      return {
        result: 'fails',
        why: `the server does not answer the handshake: ${lastLines(servers.map((s) => s.output()).join('\n'), 2)}`,
      };
    if (example.ports)
      await until(
        async () =>
          (
            await Promise.all(
              example.ports.map((p) => status(`http://localhost:${p}/socket.io/?EIO=4&transport=polling`)),
            )
          ).every((s) => s === 200),
        TIMEOUT.start,
      );
    if (example.page) {
      const { PAGES } = await import('./pages.mjs');
      const saw = await Promise.race([
        PAGES[example.page](
          browser,
          url,
          Object.fromEntries(Object.entries(example.routes ?? {}).map(([u, f]) => [u, join(dir, f)])),
        ),
        new Promise((_, reject) => setTimeout(() => reject(new Error('page driver timed out')), TIMEOUT.page)),
      ]);
      return buildFailure
        ? { result: 'partly', why: `${buildFailure}; with esbuild bundles instead, Chromium: ${saw}` }
        : { result: 'works', why: `Chromium: ${saw}` };
    }
    const client = start(example.client.cmd, dir, { PORT: String(port) });
    clients.push(client);
    const ok = await until(() => example.client.expect.test(client.output()), TIMEOUT.client);
    return ok
      ? { result: 'works', why: example.client.what }
      : {
          result: 'fails',
          why: `client output: ${lastLines(client.output(), 3) || '(none)'}; server: ${lastLines(servers.map((s) => s.output()).join('\n'), 2)}`,
        };
  } catch (e) {
    return {
      result: 'fails',
      why: `${e.message.split('\n')[0]}; server: ${lastLines(servers.map((s) => s.output()).join('\n'), 2)}`,
    };
  } finally {
    for (const p of [...clients, ...servers]) await p.stop();
  }
}

if (!existsSync(repo)) {
  console.log(
    `examples: skipped, no socket.io mirror at ${repo} (fetch github:socketio/socket.io, or --repo / SOCKETIO_REPO)`,
  );
  process.exit(0);
}
const selected = EXAMPLES.filter((e) => only.length === 0 || only.some((o) => e.name.startsWith(o)));
const work = mkdtempSync(join(tmpdir(), 'switchboard-examples-'));
const packs = join(work, 'packs');
mkdirSync(packs);
execFileSync('npm', ['pack', '--workspaces', '--pack-destination', packs, '--silent'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
});
const needsBrowser = selected.some((e) => e.page && !e.needs);
const browser = needsBrowser ? await (await import('./pages.mjs')).launch() : null;
const rows = [];
for (const example of selected) {
  const started = Date.now();
  const outcome = await runExample(example, work, packs, browser).catch((e) => ({
    result: 'fails',
    why: e.message.split('\n')[0],
  }));
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  console.log(`${example.name}: ${outcome.result} (${seconds} s) ${outcome.why}`);
  rows.push(`| ${example.name} | ${outcome.result} | ${outcome.why.replaceAll('|', '\\|').replaceAll('\n', ' ')} |`);
}
await browser?.close();
if (flags.keep) console.log(`kept ${work}`);
else rmSync(work, { recursive: true, force: true });

const sha = execFileSync('git', ['--git-dir', repo, 'rev-parse', '--short', 'HEAD']).toString().trim();
const works = rows.filter((r) => r.includes('| works |')).length;
const table = [
  `<!-- EXAMPLES:START (written by bench/examples/run.mjs, ${new Date().toISOString().slice(0, 10)}, socketio/socket.io@${sha}) -->`,
  `${works} of ${rows.length} work unchanged (${new Date().toISOString().slice(0, 16)}Z, node ${process.version}).`,
  '',
  '| example | result | what was checked, or why not |',
  '| --- | --- | --- |',
  ...rows,
  '<!-- EXAMPLES:END -->',
].join('\n');
console.log(`\n${table}`);
if (flags.write) {
  if (only.length > 0) console.log('not written: --write needs the whole set');
  else {
    const docPath = join(root, 'docs/migration.md');
    writeFileSync(
      docPath,
      readFileSync(docPath, 'utf8').replace(/<!-- EXAMPLES:START[\s\S]*?<!-- EXAMPLES:END -->/, table),
    );
    console.log('written to docs/migration.md');
  }
}

// @ts-check
// What the cross-node scenarios (cluster over Redis, postgres, streams) share: three server processes on one broker,
// counting clients spread over them, windows of broadcasts emitted on the first node, and the cases loop.
import { assertConnected, split, startLoads, startServer, waitUntil } from './trial.mjs';

/** @typedef {import('./ipc.mjs').Worker} Worker */
/** @typedef {{ id: string, kind: 'json' | 'binary', perTurn: number, label: string, full: number, quick: number }} Case */

/**
 * Starts `nodes` servers of `impl` with `serverOptions`, one counting load per server, and spreads `clients` over
 * them (WebSocket only, every `roomEvery`-th in a room). Pushes into `servers` and `loads` as it goes, so the caller's
 * `finally` stops whatever started even when a later step fails. Resolves once every node holds its share.
 * @param {{ impl: string, nodes: number, clients: number, roomEvery: number, serverOptions: Record<string, unknown> }} setup
 * @param {Worker[]} servers
 * @param {Worker[]} loads
 * @returns {Promise<number[]>} the clients of each node
 */
export async function startCrossNode({ impl, nodes, clients, roomEvery, serverOptions }, servers, loads) {
  const ports = [];
  for (let i = 0; i < nodes; i++) {
    const { server, port } = await startServer(impl, serverOptions);
    servers.push(server);
    ports.push(port);
  }
  for (const port of ports) loads.push(...(await startLoads(impl, port, 1, { client: 'counting' })));
  const parts = split(clients, nodes);
  assertConnected(
    await Promise.all(
      loads.map((load, i) =>
        load.request('connect', {
          n: parts[i],
          concurrency: 50,
          transports: 'websocket',
          waitUpgrade: false,
          timeoutMs: 20_000,
          roomEvery,
        }),
      ),
    ),
    clients,
  );
  const placed = async () =>
    (await Promise.all(servers.map((s) => s.request('count')))).every((n, i) => n === parts[i]);
  if (!(await waitUntil(placed, 10_000))) throw new Error('the nodes do not hold the clients the loads opened');
  return parts;
}

/**
 * One window: sends `count` broadcasts to all from the first server, waits for every delivery or the timeout, and
 * counts what `units()` counts on the broker side (NOTIFY statements, stream entries) over the window.
 * @param {{ servers: Worker[], loads: Worker[], units: () => Promise<number> }} cluster
 * @param {{ kind: 'json' | 'binary', perTurn: number }} c
 * @param {number} count
 * @param {number} timeoutMs
 */
export async function measureWindow({ servers, loads, units }, c, count, timeoutMs) {
  const emitter = /** @type {Worker} */ (servers[0]);
  await Promise.all(
    loads.map((load) =>
      load.request('expect', { kind: c.kind, target: count, timeoutMs, scope: 'all', latency: false }),
    ),
  );
  const unitsBefore = await units();
  await Promise.all(servers.map((s) => s.request('cpu-start')));
  const done = Promise.all(loads.map((load) => load.request('done', {}, timeoutMs + 30_000)));
  const sent = await emitter.request(
    'broadcast',
    { kind: c.kind, count, perTurn: c.perTurn, to: 'all', times: false },
    90_000,
  );
  const received = await done;
  const cpus = await Promise.all(servers.map((s) => s.request('cpu-stop')));
  return {
    delivered: received.reduce((sum, r) => sum + r.received, 0),
    missing: received.reduce((sum, r) => sum + r.lost + r.mismatched, 0),
    outOfOrder: received.reduce((sum, r) => sum + r.outOfOrder, 0),
    seconds: (Math.max(...received.map((r) => r.doneAt)) - sent.startedAt) / 1000,
    cpuMicros: cpus.reduce((sum, u) => sum + u.cpuMicros, 0),
    units: (await units()) - unitsBefore,
  };
}

/**
 * Waits until one broadcast reaches every client (the adapters subscribe asynchronously), then runs each case after
 * a warm-up of the same shape. Values: `<prefix>.<case>.rate` and `.cpu`, `<prefix>.<unitsKey>` per broadcast,
 * `<prefix>.lost` and `<prefix>.outOfOrder`.
 * @param {{ prefix: string, unitsKey: string, unitsLabel: string, cases: Case[], quick: boolean, impl: string,
 *   log: (line: string) => void,
 *   measure: (c: { kind: 'json' | 'binary', perTurn: number }, count: number, timeoutMs?: number) =>
 *     ReturnType<typeof measureWindow> }} run
 * @returns {Promise<Record<string, number>>}
 */
export async function runCases({ prefix, unitsKey, unitsLabel, cases, quick, impl, log, measure }) {
  let ready = false;
  for (let attempt = 0; attempt < 10 && !ready; attempt++) {
    ready = (await measure({ kind: 'json', perTurn: 1 }, 1, 2_000)).missing === 0;
  }
  if (!ready) throw new Error('a broadcast from the first node did not reach every client in 10 attempts');

  /** @type {Record<string, number>} */
  const values = {};
  let lost = 0;
  let outOfOrder = 0;
  let broadcasts = 0;
  let units = 0;
  for (const c of cases) {
    await measure(c, quick ? 10 : 20);
    const count = quick ? c.quick : c.full;
    const result = await measure(c, count);
    if (result.missing > 0) log(`${impl} ${c.id}: ${result.missing} deliveries missing`);
    if (result.outOfOrder > 0) log(`${impl} ${c.id}: ${result.outOfOrder} deliveries out of order`);
    lost += result.missing;
    outOfOrder += result.outOfOrder;
    broadcasts += count;
    units += result.units;
    values[`${prefix}.${c.id}.rate`] = result.delivered / result.seconds;
    values[`${prefix}.${c.id}.cpu`] = result.cpuMicros / (result.delivered / 1000);
    log(
      `${impl} ${c.id}: ${Math.round(result.delivered / result.seconds)} deliveries/s in ${result.seconds.toFixed(2)} s, ${result.units} ${unitsLabel}`,
    );
  }
  values[`${prefix}.${unitsKey}`] = units / broadcasts;
  values[`${prefix}.lost`] = lost;
  values[`${prefix}.outOfOrder`] = outOfOrder;
  return values;
}

// @ts-check
// Summarises what `npm run bench -- <scenario> --profile` recorded: a .cpuprofile as self time per function, a
// .heapprofile (BENCH_PROFILE_KIND=alloc) as bytes allocated per function, a .heapsnapshot as retained-by-type (self
// size and count per constructor), the top entries first.
// Usage: node bench/profile-summary.mjs <file.cpuprofile|file.heapprofile|file.heapsnapshot> [--base earlier.heapsnapshot] [--top N] [--per N]
// With --retainers NAME (e.g. "(array)", "(string)", "Object"), a heap summary groups those nodes by who holds them.
// With --base, a heap summary shows what grew between the two snapshots (e.g. per idle connection with --per N).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    top: { type: 'string', default: '30' },
    per: { type: 'string' },
    base: { type: 'string' },
    retainers: { type: 'string' },
    depth: { type: 'string', default: '1' },
  },
});
const file = positionals[0];
if (file === undefined) {
  process.stderr.write(
    'usage: node bench/profile-summary.mjs <file.cpuprofile|file.heapsnapshot> [--top N] [--per N]\n',
  );
  process.exit(2);
}
const top = Number(values.top);
const depth = Number(values.depth);

/**
 * @typedef {{ id: number, callFrame: { functionName: string, url: string, lineNumber: number }, hitCount?: number }} ProfileNode
 * @param {{ nodes: ProfileNode[], samples: number[], timeDeltas: number[] }} profile
 */
function summarizeCpu(profile) {
  /** @type {Map<number, ProfileNode>} */
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  /** @type {Map<string, number>} */
  const selfMicros = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const delta = profile.timeDeltas[i] ?? 0;
    if (node === undefined) return;
    const { functionName, url, lineNumber } = node.callFrame;
    const where =
      url === ''
        ? ''
        : ` ${url.replace(/^file:\/\/\/work\/main\//, '').replace(/^.*node_modules\//, '')}:${lineNumber + 1}`;
    const key = `${functionName || '(anonymous)'}${where}`;
    selfMicros.set(key, (selfMicros.get(key) ?? 0) + delta);
    total += delta;
  });
  const idle = (selfMicros.get('(idle)') ?? 0) + (selfMicros.get('(program)') ?? 0);
  process.stdout.write(
    `total ${(total / 1000).toFixed(0)} ms sampled, ${((total - idle) / 1000).toFixed(0)} ms busy\n`,
  );
  for (const [key, micros] of [...selfMicros].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(
      `${(micros / 1000).toFixed(1).padStart(9)} ms  ${((100 * micros) / Math.max(1, total - idle)).toFixed(1).padStart(5)}%  ${key}\n`,
    );
  }
}

/**
 * @typedef {{ callFrame: { functionName: string, url: string, lineNumber: number }, selfSize: number, children: AllocationNode[] }} AllocationNode
 * A sampled allocation profile (BENCH_PROFILE_KIND=alloc): bytes allocated per function, itself and with its callees,
 * every object counted whether or not it was collected since. `--per N` divides by N (e.g. the connects of a batch).
 * @param {{ head: AllocationNode }} profile
 */
function summarizeAllocations(profile) {
  const per = Number(values.per ?? 1);
  /** @type {Map<string, number>} */
  const self = new Map();
  /** @type {Map<string, number>} */
  const inclusive = new Map();
  let total = 0;
  /** @param {AllocationNode} node @param {Set<string>} callers @returns {number} */
  const walk = (node, callers) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const where =
      url === ''
        ? ''
        : ` ${url.replace(/^file:\/\/\/work\/main\//, '').replace(/^.*node_modules\//, '')}:${lineNumber + 1}`;
    const key = `${functionName || '(anonymous)'}${where}`;
    self.set(key, (self.get(key) ?? 0) + node.selfSize);
    total += node.selfSize;
    let sum = node.selfSize;
    const inner = callers.has(key) ? callers : new Set([...callers, key]);
    for (const child of node.children) sum += walk(child, inner);
    // A recursive function counts once, at its outermost call.
    if (!callers.has(key)) inclusive.set(key, (inclusive.get(key) ?? 0) + sum);
    return sum;
  };
  walk(profile.head, new Set());
  process.stdout.write(`total ${(total / per).toFixed(0)} bytes allocated${per === 1 ? '' : `, divided by ${per}`}\n`);
  for (const [title, sizes] of /** @type {const} */ ([
    ['self', self],
    ['with callees', inclusive],
  ])) {
    process.stdout.write(`-- ${title}\n`);
    for (const [key, bytes] of [...sizes].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      process.stdout.write(`${(bytes / per).toFixed(0).padStart(10)} B  ${key}\n`);
    }
  }
}

/**
 * @typedef {{ snapshot: { meta: { node_fields: string[], node_types: [string[]] } }, nodes: number[], strings: string[] }} HeapSnapshot
 * @param {HeapSnapshot} heap
 * @returns {Map<string, { size: number, count: number }>}
 */
function sizesByType(heap) {
  const fields = heap.snapshot.meta.node_fields;
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const types = heap.snapshot.meta.node_types[0];
  /** @type {Map<string, { size: number, count: number }>} */
  const byName = new Map();
  for (let i = 0; i < heap.nodes.length; i += width) {
    const type = types[heap.nodes[i + typeAt] ?? 0] ?? '?';
    const name =
      type === 'object' || type === 'closure' ? (heap.strings[heap.nodes[i + nameAt] ?? 0] ?? '?') : `(${type})`;
    const key = type === 'closure' ? `closure ${name}` : name;
    const size = heap.nodes[i + sizeAt] ?? 0;
    const entry = byName.get(key) ?? { size: 0, count: 0 };
    entry.size += size;
    entry.count++;
    byName.set(key, entry);
  }
  return byName;
}

/**
 * @param {HeapSnapshot} heap
 * @param {HeapSnapshot | undefined} base
 */
function summarizeHeap(heap, base) {
  const byName = sizesByType(heap);
  if (base !== undefined) {
    for (const [name, before] of sizesByType(base)) {
      const entry = byName.get(name) ?? { size: 0, count: 0 };
      byName.set(name, { size: entry.size - before.size, count: entry.count - before.count });
    }
  }
  let total = 0;
  for (const { size } of byName.values()) total += size;
  const per = values.per === undefined ? undefined : Number(values.per);
  process.stdout.write(
    `${base === undefined ? 'total' : 'growth of'} self size ${(total / 1024 / 1024).toFixed(1)} MiB${per ? `, per-connection columns divide by ${per}` : ''}\n`,
  );
  for (const [name, { size, count }] of [...byName].sort((a, b) => b[1].size - a[1].size).slice(0, top)) {
    const perConn = per
      ? `  ${(size / per).toFixed(0).padStart(6)} B/conn  ${(count / per).toFixed(2).padStart(6)}/conn`
      : '';
    process.stdout.write(
      `${(size / 1024).toFixed(0).padStart(9)} KiB ${String(count).padStart(8)}×${perConn}  ${name.slice(0, 100)}\n`,
    );
  }
}

/**
 * Groups the nodes whose summary name is `wanted` by their retainer: "RetainerName.edgeName".
 * @param {HeapSnapshot & { edges: number[], snapshot: { meta: { edge_fields: string[], edge_types: [string[]] } } }} heap
 * @param {string} wanted
 */
function summarizeRetainers(heap, wanted) {
  const meta = heap.snapshot.meta;
  const width = meta.node_fields.length;
  const edgeWidth = meta.edge_fields.length;
  const typeAt = meta.node_fields.indexOf('type');
  const nameAt = meta.node_fields.indexOf('name');
  const sizeAt = meta.node_fields.indexOf('self_size');
  const edgeCountAt = meta.node_fields.indexOf('edge_count');
  const edgeTypeAt = meta.edge_fields.indexOf('type');
  const edgeNameAt = meta.edge_fields.indexOf('name_or_index');
  const edgeToAt = meta.edge_fields.indexOf('to_node');
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  /** @param {number} i */
  const nameOf = (i) => {
    const type = nodeTypes[heap.nodes[i + typeAt] ?? 0] ?? '?';
    const name = heap.strings[heap.nodes[i + nameAt] ?? 0] ?? '?';
    if (type === 'object') return name;
    if (type === 'closure') return `closure ${name}`;
    return `(${type})`;
  };
  // The first strong retainer of every node, and the edge it holds it by: enough to name the owner chain.
  const nodeCount = heap.nodes.length / width;
  const retainer = new Int32Array(nodeCount).fill(-1);
  /** @type {string[]} */
  const via = new Array(nodeCount);
  let edge = 0;
  for (let i = 0; i < heap.nodes.length; i += width) {
    const count = heap.nodes[i + edgeCountAt] ?? 0;
    for (let e = 0; e < count; e++, edge += edgeWidth) {
      const to = (heap.edges[edge + edgeToAt] ?? 0) / width;
      if (retainer[to] !== -1) continue;
      const edgeType = edgeTypes[heap.edges[edge + edgeTypeAt] ?? 0] ?? '?';
      if (edgeType === 'weak' || edgeType === 'shortcut') continue;
      const raw = heap.edges[edge + edgeNameAt] ?? 0;
      retainer[to] = i / width;
      via[to] = edgeType === 'element' || edgeType === 'hidden' ? `[${edgeType}]` : (heap.strings[raw] ?? '?');
    }
  }
  /** @type {Map<number, string>} the owner chain of each wanted node */
  const owner = new Map();
  for (let n = 0; n < nodeCount; n++) {
    if (nameOf(n * width) !== wanted) continue;
    /** @type {string[]} */
    const chain = [];
    let at = n;
    for (let d = 0; d < depth && retainer[at] !== -1; d++) {
      const up = /** @type {number} */ (retainer[at]);
      chain.unshift(`${nameOf(up * width)}.${via[at]}`);
      at = up;
    }
    owner.set(n * width, chain.join(' > '));
  }
  /** @type {Map<string, { size: number, count: number }>} */
  const groups = new Map();
  for (const [node, key] of owner) {
    const entry = groups.get(key) ?? { size: 0, count: 0 };
    entry.size += heap.nodes[node + sizeAt] ?? 0;
    entry.count++;
    groups.set(key, entry);
  }
  for (const [key, { size, count }] of [...groups].sort((a, b) => b[1].size - a[1].size).slice(0, top)) {
    process.stdout.write(
      `${(size / 1024).toFixed(0).padStart(9)} KiB ${String(count).padStart(8)}×  ${key.slice(0, 120)}\n`,
    );
  }
}

const data = JSON.parse(readFileSync(file, 'utf8'));
if (values.retainers !== undefined) {
  summarizeRetainers(data, values.retainers);
  process.exit(0);
}
if (file.endsWith('.cpuprofile')) summarizeCpu(data);
else if (file.endsWith('.heapprofile')) summarizeAllocations(data);
else summarizeHeap(data, values.base === undefined ? undefined : JSON.parse(readFileSync(values.base, 'utf8')));

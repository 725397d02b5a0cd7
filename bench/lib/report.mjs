// @ts-check
// Turns per-round samples into the report: medians per implementation, ours/socket.io ratio, verdict on the target,
// and the text table the runner prints.
import { formatRatio, formatTarget, formatValue, judge, median, ratio } from './stats.mjs';

/**
 * @typedef {import('../scenarios/types.mjs').Metric} Metric
 * @typedef {import('./args.mjs').Impl} Impl
 * @typedef {Metric & {
 *   scenario: string,
 *   samples: Partial<Record<Impl, number[]>>,
 *   median: Partial<Record<Impl, number>>,
 *   ratio: number | null,
 *   verdict: 'pass' | 'miss' | '',
 * }} MetricResult
 */

/** Column order of the table and the chart. */
export const IMPL_COLUMNS = /** @type {const} */ ([
  ['ours', 'ours'],
  ['ours-compat', 'ours+sio-adapter'],
  ['socketio', 'socket.io'],
  ['ws', 'ws'],
  ['ws-cork', 'ws-cork'],
  ['ws-sio', 'ws-sio'],
]);

/**
 * Medians, the ratio ours/socket.io and the verdict of one metric from its samples.
 * @param {Metric} metric
 * @param {string} scenario
 * @param {Partial<Record<Impl, number[]>>} samples
 * @returns {MetricResult}
 */
export function summarizeMetric(metric, scenario, samples) {
  /** @type {Partial<Record<Impl, number>>} */
  const medians = {};
  for (const [impl, values] of /** @type {[Impl, number[]][]} */ (Object.entries(samples))) {
    const m = median(values);
    if (Number.isFinite(m)) medians[impl] = m;
  }
  const r = ratio(medians.ours, medians.socketio);
  const judged = metric.target?.of === 'value' ? (medians.ours ?? NaN) : r;
  return {
    ...metric,
    scenario,
    samples,
    median: medians,
    ratio: Number.isFinite(r) ? r : null,
    verdict: judge(judged, metric.target),
  };
}

/**
 * The printed table: metric, one column per implementation, ratio ours/socket.io, target, pass/miss.
 * @param {readonly MetricResult[]} results
 * @returns {string}
 */
export function formatTable(results) {
  const present = IMPL_COLUMNS.filter(([impl]) => results.some((r) => r.median[impl] !== undefined));
  const header = ['metric', ...present.map(([, label]) => label), 'ours/socket.io', 'target', 'pass/miss'];
  const rows = results.map((r) => [
    `${r.label} (${r.unit}, ${r.better} is better)`,
    ...present.map(([impl]) => formatValue(r.median[impl])),
    formatRatio(r.ratio ?? NaN),
    formatTarget(r.target),
    r.verdict,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  /** @param {string[]} cells */
  const line = (cells) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/**
 * The same table in Markdown, for the README.
 * @param {readonly MetricResult[]} results
 * @returns {string}
 */
export function formatMarkdownTable(results) {
  const present = IMPL_COLUMNS.filter(([impl]) => results.some((r) => r.median[impl] !== undefined));
  const header = ['metric', 'unit', ...present.map(([, label]) => label), 'ours/socket.io', 'target', ''];
  const rows = results.map((r) => [
    r.label,
    r.unit,
    ...present.map(([impl]) => formatValue(r.median[impl])),
    formatRatio(r.ratio ?? NaN),
    formatTarget(r.target).replace('<=', '≤ ').replace('>=', '≥ '),
    r.verdict,
  ]);
  /** @param {string[]} cells */
  const line = (cells) => `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i < 2 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

/**
 * `readme` with the text between the results markers replaced by `content`; unchanged when the markers are missing.
 * @param {string} readme
 * @param {string} content
 * @returns {string}
 */
export function replaceResultsSection(readme, content) {
  const begin = '<!-- results:begin -->';
  const end = '<!-- results:end -->';
  const from = readme.indexOf(begin);
  const to = readme.indexOf(end);
  if (from === -1 || to < from) return readme;
  return `${readme.slice(0, from + begin.length)}\n${content}\n${readme.slice(to)}`;
}

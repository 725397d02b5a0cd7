// @ts-check
// Writes the results chart as a self-contained SVG: one row per metric, a bar per implementation showing its value
// relative to socket.io on a log scale (1x is socket.io), and a tick for ours' target.

const WIDTH = 1080;
const LABEL_WIDTH = 470;
const PLOT_LEFT = LABEL_WIDTH + 10;
const PLOT_WIDTH = WIDTH - PLOT_LEFT - 70;
const BAR_HEIGHT = 11;
const ROW_GAP = 10;
/** Room for the label's two lines even when a row has a single bar. */
const MIN_ROW_HEIGHT = 26;
const TOP = 84;
/** The scale spans 1/16x .. 16x; values beyond are drawn at the edge with their number. */
const LOG2_SPAN = 4;

/** Bar colours per implementation (socket.io is the 1x line, so it has no bar). */
export const SERIES = /** @type {const} */ ([
  ['ours', 'ours', '#2563eb'],
  ['ours-compat', 'ours+sio-adapter', '#93c5fd'],
  ['ws', 'ws', '#9ca3af'],
  ['ws-cork', 'ws-cork', '#6b7280'],
  ['ws-sio', 'ws-sio', '#d1d5db'],
]);

/**
 * @typedef {{
 *   label: string,
 *   better: 'lower' | 'higher',
 *   median: Partial<Record<string, number>>,
 *   target?: import('./stats.mjs').Target,
 * }} ChartRow
 */

/**
 * Escapes text for SVG content and attribute values.
 * @param {string} text
 * @returns {string}
 */
export function escapeXml(text) {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * x position of a ratio on the log scale, clamped to the plot.
 * @param {number} value
 * @returns {number}
 */
function xOf(value) {
  const log = Math.max(-LOG2_SPAN, Math.min(LOG2_SPAN, Math.log2(value)));
  return PLOT_LEFT + ((log + LOG2_SPAN) / (2 * LOG2_SPAN)) * PLOT_WIDTH;
}

/**
 * @param {number} value
 * @returns {string}
 */
function formatX(value) {
  if (value >= 10) return `${value.toFixed(1)}x`;
  if (value >= 0.1) return `${value.toFixed(2)}x`;
  return `${value.toPrecision(2)}x`;
}

/**
 * An axis tick: powers of two below 1 as fractions (1/4x), above as whole numbers.
 * @param {number} log
 * @returns {string}
 */
function formatTick(log) {
  return log < 0 ? `1/${2 ** -log}x` : `${2 ** log}x`;
}

/**
 * The chart of `rows`: only rows with a socket.io value and at least one other implementation are drawn.
 * @param {readonly ChartRow[]} rows
 * @param {{ title: string, subtitle?: string }} text
 * @returns {string}
 */
export function renderChart(rows, text) {
  const drawable = rows.filter((row) => {
    const base = row.median.socketio;
    return base !== undefined && base > 0 && SERIES.some(([impl]) => (row.median[impl] ?? 0) > 0);
  });
  /** @type {string[]} */
  const body = [];
  let y = TOP;
  for (const row of drawable) {
    const base = /** @type {number} */ (row.median.socketio);
    const series = SERIES.filter(([impl]) => (row.median[impl] ?? 0) > 0);
    const rowHeight = Math.max(MIN_ROW_HEIGHT, series.length * BAR_HEIGHT);
    const arrow = row.better === 'lower' ? 'lower is better' : 'higher is better';
    body.push(
      `<text x="${LABEL_WIDTH}" y="${y + rowHeight / 2 - 2}" text-anchor="end" class="label">${escapeXml(row.label)}</text>`,
      `<text x="${LABEL_WIDTH}" y="${y + rowHeight / 2 + 10}" text-anchor="end" class="note">${arrow}</text>`,
    );
    series.forEach(([impl, , colour], i) => {
      const value = /** @type {number} */ (row.median[impl]) / base;
      const x0 = xOf(1);
      const x1 = xOf(value);
      const barY = y + i * BAR_HEIGHT;
      body.push(
        `<rect x="${Math.min(x0, x1).toFixed(1)}" y="${barY + 1}" width="${Math.max(1, Math.abs(x1 - x0)).toFixed(1)}" height="${BAR_HEIGHT - 2}" fill="${colour}"><title>${escapeXml(`${impl}: ${formatX(value)} of socket.io`)}</title></rect>`,
        `<text x="${(Math.max(x0, x1) + 4).toFixed(1)}" y="${barY + BAR_HEIGHT - 2}" class="value">${formatX(value)}</text>`,
      );
    });
    const target = row.target;
    if (target !== undefined && target.of !== 'value' && series.some(([impl]) => impl === 'ours')) {
      const tx = xOf(target.value).toFixed(1);
      body.push(
        `<line x1="${tx}" x2="${tx}" y1="${y - 2}" y2="${y + BAR_HEIGHT + 1}" class="target"><title>${escapeXml(`target ${target.op}${formatX(target.value)}`)}</title></line>`,
      );
    }
    y += rowHeight + ROW_GAP;
  }
  const height = y + 40;
  /** @type {string[]} */
  const grid = [];
  for (let log = -LOG2_SPAN; log <= LOG2_SPAN; log++) {
    const x = xOf(2 ** log).toFixed(1);
    grid.push(
      `<line x1="${x}" x2="${x}" y1="${TOP - 8}" y2="${y}" class="${log === 0 ? 'base' : 'grid'}"/>`,
      `<text x="${x}" y="${y + 14}" text-anchor="middle" class="axis">${formatTick(log)}</text>`,
    );
  }
  const legend = SERIES.map(
    ([, label, colour], i) =>
      `<rect x="${PLOT_LEFT + i * 110}" y="${TOP - 30}" width="10" height="10" fill="${colour}"/><text x="${PLOT_LEFT + i * 110 + 14}" y="${TOP - 21}" class="axis">${escapeXml(label)}</text>`,
  );
  const targetX = PLOT_LEFT + SERIES.length * 110;
  legend.push(
    `<line x1="${targetX}" x2="${targetX}" y1="${TOP - 32}" y2="${TOP - 20}" class="target"/><text x="${targetX + 6}" y="${TOP - 21}" class="axis">target for ours</text>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="system-ui, sans-serif">`,
    '<style>.label{font-size:12px;fill:#111}.note{font-size:10px;fill:#6b7280}.value{font-size:10px;fill:#374151}' +
      '.axis{font-size:11px;fill:#374151}.grid{stroke:#e5e7eb}.base{stroke:#111;stroke-width:1.5}' +
      '.target{stroke:#dc2626;stroke-width:2}.title{font-size:15px;font-weight:600;fill:#111}.sub{font-size:11px;fill:#6b7280}</style>',
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    `<text x="12" y="20" class="title">${escapeXml(text.title)}</text>`,
    text.subtitle === undefined ? '' : `<text x="12" y="36" class="sub">${escapeXml(text.subtitle)}</text>`,
    ...grid,
    ...legend,
    ...body,
    `<text x="${xOf(1).toFixed(1)}" y="${y + 30}" text-anchor="middle" class="sub">relative to socket.io 4.8 (1x), log scale</text>`,
    '</svg>',
    '',
  ].join('\n');
}

// @ts-check
// Pure statistics and number formatting for the benchmark runner: medians, percentiles, ratios, targets.

/**
 * The median of the finite numbers in `values`, or NaN when there are none.
 * @param {readonly number[]} values
 * @returns {number}
 */
export function median(values) {
  return percentile(values, 50);
}

/**
 * The p-th percentile (0..100) by linear interpolation between closest ranks, or NaN when there are no finite values.
 * Accepts typed arrays so the load generator can keep millions of samples without boxing them.
 * @param {ArrayLike<number>} values
 * @param {number} p
 * @returns {number}
 */
export function percentile(values, p) {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile: p must be within 0..100, got ${p}`);
  const sorted = Float64Array.from(Array.prototype.filter.call(values, Number.isFinite)).sort();
  if (sorted.length === 0) return NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const low = /** @type {number} */ (sorted[lower]);
  const high = /** @type {number} */ (sorted[upper]);
  return low + (high - low) * (rank - lower);
}

/**
 * ours / reference, or NaN when either side is missing or the reference is zero.
 * @param {number | undefined} ours
 * @param {number | undefined} reference
 * @returns {number}
 */
export function ratio(ours, reference) {
  if (ours === undefined || reference === undefined) return NaN;
  if (!Number.isFinite(ours) || !Number.isFinite(reference) || reference === 0) return NaN;
  return ours / reference;
}

/**
 * A ratio printed as "0.42x" (two significant decimals below 10, one above), "n/a" when it is not a number.
 * @param {number} value
 * @returns {string}
 */
export function formatRatio(value) {
  if (!Number.isFinite(value)) return 'n/a';
  return `${value >= 10 ? value.toFixed(1) : value.toFixed(2)}x`;
}

/**
 * A measured value printed with three significant digits and thousands separators, "n/a" when missing.
 * @param {number | undefined} value
 * @param {string} [unit]
 * @returns {string}
 */
export function formatValue(value, unit = '') {
  if (value === undefined || !Number.isFinite(value)) return 'n/a';
  const abs = Math.abs(value);
  let text;
  if (abs >= 1000) text = Math.round(value).toLocaleString('en-US');
  else if (abs >= 100) text = value.toFixed(0);
  else if (abs >= 10) text = value.toFixed(1);
  else if (abs >= 1) text = value.toFixed(2);
  else if (abs === 0) text = '0';
  else text = value.toPrecision(3);
  return unit === '' ? text : `${text} ${unit}`;
}

/**
 * A goal for ours: by default on the ratio ours/socket.io; `of: 'value'` judges ours' own value (e.g. a size limit).
 * @typedef {{ op: '<=' | '>=', value: number, of?: 'ratio' | 'value', unit?: string }} Target
 */

/**
 * Whether `value` meets `target`: 'pass', 'miss', or '' when there is no target or no value to judge.
 * @param {number} value
 * @param {Target | undefined} target
 * @returns {'pass' | 'miss' | ''}
 */
export function judge(value, target) {
  if (target === undefined || !Number.isFinite(value)) return '';
  const ok = target.op === '<=' ? value <= target.value : value >= target.value;
  return ok ? 'pass' : 'miss';
}

/**
 * A target printed as "<=0.50x", or "<=10 KB" for a target on the value itself.
 * @param {Target | undefined} target
 * @returns {string}
 */
export function formatTarget(target) {
  if (target === undefined) return '';
  if (target.of === 'value') return `${target.op}${formatValue(target.value, target.unit ?? '')}`;
  return `${target.op}${formatRatio(target.value)}`;
}

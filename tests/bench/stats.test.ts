// Unit tests of the benchmark runner's pure parts: argument parsing, statistics, formatting, the report and the SVG.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseArgs } from '../../bench/lib/args.mjs';
import { formatRatio, formatTarget, formatValue, judge, median, percentile, ratio } from '../../bench/lib/stats.mjs';
import { formatMarkdownTable, formatTable, replaceResultsSection, summarizeMetric } from '../../bench/lib/report.mjs';
import { escapeXml, renderChart } from '../../bench/lib/svg.mjs';

describe('bench argument parsing', () => {
  it('runs ours against every reference with three rounds by default', () => {
    const options = parseArgs(['broadcast']);
    assert.deepEqual(options.scenarios, ['broadcast']);
    assert.deepEqual(options.impls, ['ours', 'socketio', 'ws', 'ws-cork', 'ws-sio']);
    assert.equal(options.rounds, 3);
    assert.equal(options.quick, false);
    assert.equal(options.saveLatest, false);
  });

  it('expands "all" to every scenario and saves a full run to bench/latest', () => {
    const options = parseArgs(['all']);
    assert.deepEqual(options.scenarios, ['idle', 'connect', 'broadcast', 'echo', 'polling', 'bundle', 'install']);
    assert.equal(options.saveLatest, true);
  });

  it('makes --quick a single round that is not saved to bench/latest', () => {
    const options = parseArgs(['all', '--quick']);
    assert.equal(options.rounds, 1);
    assert.equal(options.saveLatest, false);
  });

  it('takes --vs as a comma list, with or without "="', () => {
    assert.deepEqual(parseArgs(['echo', '--vs', 'socketio,ws']).impls, ['ours', 'socketio', 'ws']);
    assert.deepEqual(parseArgs(['echo', '--vs=socketio']).impls, ['ours', 'socketio']);
  });

  it('leaves ours out with --no-ours', () => {
    assert.deepEqual(parseArgs(['idle', '--no-ours', '--vs', 'ws']).impls, ['ws']);
  });

  it('accepts a comma list of scenarios and drops duplicates', () => {
    assert.deepEqual(parseArgs(['idle,echo', 'idle']).scenarios, ['idle', 'echo']);
  });

  it('rejects an unknown scenario by name', () => {
    assert.throws(() => parseArgs(['fanout']), { message: /unknown scenario "fanout"/ });
  });

  it('rejects an unknown implementation in --vs', () => {
    assert.throws(() => parseArgs(['idle', '--vs', 'uws']), { message: /--vs: unknown implementation "uws"/ });
  });

  it('rejects --rounds outside 1..20', () => {
    assert.throws(() => parseArgs(['idle', '--rounds', '0']), { message: /--rounds must be an integer within 1..20/ });
  });

  it('rejects an option without its value', () => {
    assert.throws(() => parseArgs(['idle', '--vs']), { message: /--vs needs a value/ });
  });

  it('asks for a scenario when none is named', () => {
    assert.throws(() => parseArgs(['--quick']), { message: /name a scenario/ });
  });
});

describe('bench statistics', () => {
  it('takes the middle value of an odd count as the median', () => {
    assert.equal(median([5, 1, 3]), 3);
  });

  it('averages the two middle values of an even count', () => {
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });

  it('ignores values that are not finite', () => {
    assert.equal(median([NaN, 2, Infinity, 4]), 3);
  });

  it('answers NaN for the median of nothing', () => {
    assert.ok(Number.isNaN(median([])));
  });

  it('interpolates percentiles between closest ranks', () => {
    const values = Array.from({ length: 101 }, (_, i) => i);
    assert.equal(percentile(values, 50), 50);
    assert.equal(percentile(values, 99), 99);
    assert.equal(percentile([10, 20], 25), 12.5);
  });

  it('reads percentiles from typed arrays holding unset (NaN) samples', () => {
    const samples = new Float64Array([3, NaN, 1, 2]);
    assert.equal(percentile(samples, 0), 1);
    assert.equal(percentile(samples, 100), 3);
  });

  it('rejects a percentile outside 0..100', () => {
    assert.throws(() => percentile([1], 101), RangeError);
  });

  it('divides ours by the reference, NaN when either is missing or the reference is zero', () => {
    assert.equal(ratio(1, 4), 0.25);
    assert.ok(Number.isNaN(ratio(undefined, 4)));
    assert.ok(Number.isNaN(ratio(1, 0)));
  });
});

describe('bench formatting', () => {
  it('prints ratios with two decimals, one from 10x up, and n/a for NaN', () => {
    assert.equal(formatRatio(0.5), '0.50x');
    assert.equal(formatRatio(1.234), '1.23x');
    assert.equal(formatRatio(12.34), '12.3x');
    assert.equal(formatRatio(NaN), 'n/a');
  });

  it('prints values with three significant digits and thousands separators', () => {
    assert.equal(formatValue(123_456.7), '123,457');
    assert.equal(formatValue(512.4), '512');
    assert.equal(formatValue(12.34), '12.3');
    assert.equal(formatValue(1.234), '1.23');
    assert.equal(formatValue(0.01234), '0.0123');
    assert.equal(formatValue(0), '0');
    assert.equal(formatValue(2.5, 'KB'), '2.50 KB');
    assert.equal(formatValue(undefined), 'n/a');
  });

  it('judges a ratio against an upper or a lower bound', () => {
    assert.equal(judge(0.5, { op: '<=', value: 0.5 }), 'pass');
    assert.equal(judge(0.51, { op: '<=', value: 0.5 }), 'miss');
    assert.equal(judge(1.5, { op: '>=', value: 1.5 }), 'pass');
    assert.equal(judge(NaN, { op: '>=', value: 1.5 }), '');
    assert.equal(judge(1, undefined), '');
  });

  it('prints a ratio target with x and a value target with its unit', () => {
    assert.equal(formatTarget({ op: '<=', value: 0.65 }), '<=0.65x');
    assert.equal(formatTarget({ op: '<=', value: 10, of: 'value', unit: 'KB' }), '<=10.0 KB');
  });
});

describe('bench report', () => {
  const metric = {
    id: 'm',
    label: 'server CPU per message',
    unit: 'µs',
    better: 'lower' as const,
    target: { op: '<=' as const, value: 0.85 },
  };

  it('summarises samples into medians, the ours/socket.io ratio and a verdict', () => {
    const result = summarizeMetric(metric, 'echo', { ours: [8, 9, 7], socketio: [10, 12, 10], ws: [5] });
    assert.deepEqual(result.median, { ours: 8, socketio: 10, ws: 5 });
    assert.equal(result.ratio, 0.8);
    assert.equal(result.verdict, 'pass');
  });

  it('judges a value target on ours itself, not on the ratio', () => {
    const size = {
      id: 's',
      label: 'bundle',
      unit: 'KB',
      better: 'lower' as const,
      target: { op: '<=' as const, value: 10, of: 'value' as const },
    };
    assert.equal(summarizeMetric(size, 'bundle', { ours: [11], socketio: [14] }).verdict, 'miss');
  });

  it('leaves ratio and verdict empty when ours has no samples', () => {
    const result = summarizeMetric(metric, 'echo', { socketio: [10] });
    assert.equal(result.ratio, null);
    assert.equal(result.verdict, '');
  });

  it('prints a table with a column per implementation that has a value', () => {
    const table = formatTable([summarizeMetric(metric, 'echo', { ours: [8], socketio: [10] })]);
    const [header, , row] = table.split('\n');
    assert.match(header ?? '', /^metric\s+ours\s+socket\.io\s+ours\/socket\.io\s+target\s+pass\/miss$/);
    assert.match(
      row ?? '',
      /^server CPU per message \(µs, lower is better\)\s+8\.00\s+10\.0\s+0\.80x\s+<=0\.85x\s+pass$/,
    );
  });
});

describe('bench SVG chart', () => {
  it('escapes markup characters', () => {
    assert.equal(escapeXml('<a & "b">'), '&#60;a &#38; &#34;b&#34;&#62;');
  });

  it('draws a bar per implementation relative to socket.io, with the target as a line', () => {
    const svg = renderChart(
      [
        {
          label: 'CPU <per> msg',
          better: 'lower',
          median: { ours: 5, socketio: 10, ws: 2.5 },
          target: { op: '<=', value: 0.85 },
        },
      ],
      { title: 'T' },
    );
    assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
    assert.ok(svg.trimEnd().endsWith('</svg>'));
    assert.match(svg, /CPU &#60;per&#62; msg/);
    assert.match(svg, /ours: 0\.50x of socket\.io/);
    assert.match(svg, /ws: 0\.25x of socket\.io/);
    assert.match(svg, /target &#60;=0\.85x/);
    assert.equal((svg.match(/<rect [^>]*fill="#2563eb"><title>/g) ?? []).length, 1);
  });

  it('leaves out metrics that have no socket.io value to compare with', () => {
    const svg = renderChart([{ label: 'only ours', better: 'lower', median: { ours: 1 } }], { title: 'T' });
    assert.doesNotMatch(svg, /only ours/);
  });
});

describe('bench README results', () => {
  const metric = {
    id: 'm',
    label: 'CPU | msg',
    unit: 'µs',
    better: 'lower' as const,
    target: { op: '<=' as const, value: 0.85 },
  };

  it('writes the results as a Markdown table with escaped pipes', () => {
    const table = formatMarkdownTable([summarizeMetric(metric, 'echo', { ours: [8], socketio: [10] })]);
    assert.equal(
      table,
      [
        '| metric | unit | ours | socket.io | ours/socket.io | target |  |',
        '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
        '| CPU \\| msg | µs | 8.00 | 10.0 | 0.80x | ≤ 0.85x | pass |',
      ].join('\n'),
    );
  });

  it('replaces only the text between the results markers', () => {
    const readme = 'a\n<!-- results:begin -->\nold\n<!-- results:end -->\nb\n';
    assert.equal(replaceResultsSection(readme, 'new'), 'a\n<!-- results:begin -->\nnew\n<!-- results:end -->\nb\n');
    assert.equal(replaceResultsSection('no markers', 'new'), 'no markers');
  });
});

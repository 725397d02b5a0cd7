// Line charts drawn as SVG from the overview's time series; no library, nothing fetched.
(function () {
  'use strict';
  const SVG = 'http://www.w3.org/2000/svg';
  const W = 600,
    H = 170,
    PAD_L = 40,
    PAD_R = 8,
    PAD_T = 8,
    PAD_B = 20;

  function el(name, attrs) {
    const node = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
    return node;
  }

  function niceMax(value) {
    if (value <= 4) return 4;
    const magnitude = Math.pow(10, Math.floor(Math.log10(value)));
    for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
    return 10 * magnitude;
  }

  function formatTick(value) {
    if (value >= 1e6) return (value / 1e6).toFixed(value % 1e6 ? 1 : 0) + 'M';
    if (value >= 1e3) return (value / 1e3).toFixed(value % 1e3 ? 1 : 0) + 'k';
    return Number.isInteger(value) ? String(value) : value.toFixed(1);
  }

  /** Draws `series` ([{ color, points: [{ t, v }] }]) over the last `windowMs` into `container`. */
  function drawLineChart(container, series, windowMs) {
    const now = Date.now();
    const start = now - windowMs;
    let max = 0;
    for (const s of series) for (const p of s.points) if (p.t >= start) max = Math.max(max, p.v);
    max = niceMax(max);
    const x = (t) => PAD_L + ((t - start) / windowMs) * (W - PAD_L - PAD_R);
    const y = (v) => PAD_T + (1 - v / max) * (H - PAD_T - PAD_B);
    const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', role: 'img' });
    for (let i = 0; i <= 4; i++) {
      const value = (max / 4) * i;
      svg.append(el('line', { class: 'grid', x1: PAD_L, x2: W - PAD_R, y1: y(value), y2: y(value) }));
      const label = el('text', { class: 'axis', x: PAD_L - 6, y: y(value) + 3, 'text-anchor': 'end' });
      label.textContent = formatTick(value);
      svg.append(label);
    }
    for (const seconds of [120, 90, 60, 30, 0]) {
      const label = el('text', {
        class: 'axis',
        x: x(now - seconds * 1000),
        y: H - 4,
        'text-anchor': seconds === 120 ? 'start' : seconds === 0 ? 'end' : 'middle',
      });
      label.textContent = seconds === 0 ? 'now' : `-${seconds}s`;
      svg.append(label);
    }
    for (const s of series) {
      const points = s.points.filter((p) => p.t >= start);
      if (points.length === 0) continue;
      if (points.length === 1) {
        svg.append(el('circle', { cx: x(points[0].t), cy: y(points[0].v), r: 3, fill: s.color }));
        continue;
      }
      const line = points.map((p) => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');
      const first = points[0],
        last = points[points.length - 1];
      svg.append(
        el('polygon', { class: 'area', fill: s.color, points: `${x(first.t)},${y(0)} ${line} ${x(last.t)},${y(0)}` }),
      );
      svg.append(el('polyline', { class: 'line', stroke: s.color, points: line }));
    }
    container.replaceChildren(svg);
  }

  window.SbCharts = { drawLineChart };
})();

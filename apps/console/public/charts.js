// @ts-check
// Apache ECharts, served from the npm package (no CDN). Every chart has aria and decal patterns on,
// and a table of the same numbers beside it on the page. Tooltips are drawn by ECharts itself
// (richText), not as HTML: the Content-Security-Policy allows no inline styles. The SVG renderer
// styles its elements through the CSSOM (element.style), which that policy does not block; a style
// attribute or a <style> element it would block (the browser tests fail on any violation).
import * as echarts from '/vendor/echarts/echarts.esm.min.mjs';

/** @typedef {import('./types.js').Measure} Measure */
/** @typedef {import('./types.js').Symptoms} Symptoms */
/** @typedef {import('./types.js').Vocabulary} Vocabulary */
/** @typedef {{ label: string; value: number | null }} Point */
/** @typedef {{ op: string; value: number } | undefined} Target */

/** @type {Set<echarts.ECharts>} */
const charts = new Set();
const base = {
  aria: { enabled: true, decal: { show: true } },
  animation: false,
  grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
};
const tooltip = { trigger: /** @type {const} */ ('axis'), renderMode: /** @type {const} */ ('richText') };

/** @param {HTMLElement} el @param {Record<string, unknown>} option */
export function drawChart(el, option) {
  const chart = echarts.init(el, null, { renderer: 'svg' });
  chart.setOption({ ...base, ...option });
  charts.add(chart);
  return chart;
}

/** A chart redrawn elsewhere on the page is disposed of first. @param {echarts.ECharts | undefined} chart */
export function disposeChart(chart) {
  if (!chart) return;
  chart.dispose();
  charts.delete(chart);
}

/** Charts of the page being left are disposed of (ECharts keeps listeners otherwise). */
export function disposeCharts() {
  for (const c of charts) c.dispose();
  charts.clear();
}

window.addEventListener('resize', () => charts.forEach((c) => c.resize()));

/**
 * A family's percent measures as horizontal bars, each with its target drawn as a tick: a bar past
 * its tick misses the target. `title` becomes the chart's accessible description.
 * @param {HTMLElement} el @param {string} title @param {Measure[]} measures
 */
export function familyChart(el, title, measures) {
  const rows = measures.filter((m) => m.unit === 'percent');
  if (rows.length === 0) return undefined;
  // Room for every bar. Set through the CSSOM, which the Content-Security-Policy allows: a style
  // attribute in a template (lit's styleMap writes one on first render) is blocked, and so was this height.
  el.style.height = `${70 + 52 * rows.length}px`;
  return drawChart(el, {
    title: { text: title, textStyle: { fontSize: 13 } },
    tooltip,
    xAxis: { type: 'value', min: 0, max: 100, name: '%' },
    yAxis: { type: 'category', data: rows.map((m) => m.label), inverse: true, axisLabel: { width: 300, overflow: 'break', lineHeight: 14 } },
    series: [
      { name: 'Value', type: 'bar', data: rows.map((m) => ({ value: m.value, itemStyle: m.meetsTarget === false ? { color: '#b3261e' } : undefined })) },
      {
        name: 'Target',
        type: 'scatter',
        symbol: 'rect',
        symbolSize: [4, 22],
        itemStyle: { color: '#1b1b1b' },
        data: rows.map((m) => (m.target ? m.target.value : null)),
      },
    ],
  });
}

/** @param {HTMLElement} el @param {string} title @param {Array<{ month: string; value: number | null }>} points @param {Target} target */
export function trendChart(el, title, points, target) {
  return drawChart(el, {
    title: { text: title, textStyle: { fontSize: 13 } },
    tooltip,
    xAxis: { type: 'category', data: points.map((p) => p.month) },
    yAxis: { type: 'value' },
    series: [
      {
        name: title,
        type: 'line',
        connectNulls: false,
        data: points.map((p) => p.value),
        markLine: target ? { symbol: 'none', label: { formatter: `target ${target.op} ${target.value}` }, data: [{ yAxis: target.value }] } : undefined,
      },
    ],
  });
}

/** @param {HTMLElement} el @param {string} title @param {Point[]} groups @param {Target} target */
export function groupsChart(el, title, groups, target) {
  return drawChart(el, {
    title: { text: title, textStyle: { fontSize: 13 } },
    tooltip,
    xAxis: { type: 'category', data: groups.map((g) => g.label) },
    yAxis: { type: 'value' },
    series: [
      {
        name: title,
        type: 'bar',
        data: groups.map((g) => g.value),
        markLine: target ? { symbol: 'none', label: { formatter: `target ${target.op} ${target.value}` }, data: [{ yAxis: target.value }] } : undefined,
      },
    ],
  });
}

/**
 * A patient's symptoms over time: one line per ESAS-r item and the Distress Thermometer (0–10), over
 * the policy's bands shaded (moderate, severe). The legend turns items on and off.
 * @param {HTMLElement} el @param {Symptoms} s @param {Vocabulary} v
 */
export function symptomChart(el, s, v) {
  const items = [...v.instruments['ESAS-r'], ...v.instruments.DT];
  const series = items.map((item) => ({
    name: /** @type {Record<string, string>} */ (v.items)[item] ?? item,
    type: 'line',
    symbolSize: 7,
    connectNulls: true,
    data: s.responses.filter((r) => r.scores[item] !== undefined).map((r) => [r.at, r.scores[item]]),
  }));
  // The bands, drawn once behind every line.
  series.unshift({
    name: 'Severity',
    type: 'line',
    symbolSize: 0,
    connectNulls: true,
    data: [],
    // @ts-expect-error markArea is an option of a line series
    markArea: {
      silent: true,
      label: { position: 'insideTopLeft', color: '#4a5561', fontSize: 11 },
      data: [
        [{ name: 'moderate', yAxis: s.bands.moderateAtLeast, itemStyle: { color: 'rgba(230, 160, 0, 0.14)' } }, { yAxis: s.bands.severeAtLeast }],
        [{ name: 'severe', yAxis: s.bands.severeAtLeast, itemStyle: { color: 'rgba(180, 30, 30, 0.14)' } }, { yAxis: 10 }],
      ],
    },
  });
  return drawChart(el, {
    title: { text: 'Symptom scores (0 = none, 10 = worst possible)', textStyle: { fontSize: 13 } },
    tooltip,
    legend: { type: 'scroll', bottom: 0, data: series.slice(1).map((x) => x.name) },
    grid: { left: 8, right: 24, top: 36, bottom: 40, containLabel: true },
    xAxis: { type: 'time' },
    yAxis: { type: 'value', min: 0, max: 10, interval: 1 },
    series,
  });
}

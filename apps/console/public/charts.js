// Apache ECharts, served from the npm package (no CDN). Every chart has aria and decal patterns on,
// and a table of the same numbers beside it on the page.
import * as echarts from '/vendor/echarts/echarts.esm.min.mjs';

const charts = new Set();
const base = { aria: { enabled: true, decal: { show: true } }, animation: false, grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true } };

export function drawChart(el, option) {
  const chart = echarts.init(el, null, { renderer: 'svg' });
  chart.setOption({ ...base, ...option });
  charts.add(chart);
  return chart;
}

/** A chart redrawn elsewhere on the page is disposed of first. */
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
 */
export function familyChart(el, title, measures) {
  const rows = measures.filter((m) => m.unit === 'percent');
  if (rows.length === 0) return undefined;
  return drawChart(el, {
    title: { text: title, textStyle: { fontSize: 13 } },
    tooltip: { trigger: 'axis' },
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

export function trendChart(el, title, points, target) {
  return drawChart(el, {
    title: { text: title, textStyle: { fontSize: 13 } },
    tooltip: { trigger: 'axis' },
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

export function groupsChart(el, title, groups, target) {
  return drawChart(el, {
    title: { text: title, textStyle: { fontSize: 13 } },
    tooltip: { trigger: 'axis' },
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

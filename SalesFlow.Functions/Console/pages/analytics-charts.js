// Accessible SVG bar charts without a library: the SVG is an image whose label carries every number, and a table
// with the same numbers sits under it (a text alternative for screen readers and for copying).
import { h, svg } from '../dom.js';

const WIDTH = 640;
const LABEL = 170;
const VALUE = 110;
const ROW = 30;
const BAR = 18;

let next = 0;

/**
 * A horizontal bar chart.
 * rows: [{ label, value (a number), display (the value as text), cls (optional bar class: hot/warm/cold) }]
 * columns: the table's column headers [label header, value header, ...extra headers]; row.extra: the extra cells.
 */
export function barChart({ id, title, rows, columns, emptyText, numbersText }) {
  const captionId = `${id || `chart-${++next}`}-title`;
  const figure = h('figure', { class: 'chart', id: id || null, 'aria-labelledby': captionId },
    h('figcaption', { id: captionId, class: 'chart-title' }, title));
  if (!rows.length || rows.every((r) => !r.value)) {
    figure.append(h('p', { class: 'muted chart-empty' }, emptyText));
  }
  const max = Math.max(0, ...rows.map((r) => Number(r.value) || 0));
  const height = Math.max(ROW, rows.length * ROW);
  const summary = `${title}: ${rows.map((r) => `${r.label} ${r.display}`).join('; ')}`;
  const image = svg('svg', { class: 'chart-svg', viewBox: `0 0 ${WIDTH} ${height}`, role: 'img', 'aria-label': summary, preserveAspectRatio: 'xMinYMin meet' });
  rows.forEach((row, i) => {
    const y = i * ROW;
    const length = max > 0 ? Math.max(row.value > 0 ? 2 : 0, ((Number(row.value) || 0) / max) * (WIDTH - LABEL - VALUE)) : 0;
    image.append(
      svg('text', { x: LABEL - 8, y: y + ROW / 2, class: 'chart-label', 'text-anchor': 'end', 'dominant-baseline': 'middle' }, shorten(row.label)),
      svg('rect', { x: LABEL, y: y + (ROW - BAR) / 2, width: length.toFixed(1), height: BAR, rx: 3, class: ['chart-bar', row.cls] }),
      svg('text', { x: LABEL + length + 6, y: y + ROW / 2, class: 'chart-value', 'dominant-baseline': 'middle' }, row.display));
  });
  figure.append(image, h('details', { class: 'chart-numbers' },
    h('summary', {}, numbersText),
    table(columns, rows.map((r) => [r.label, r.display, ...(r.extra ?? [])]))));
  return figure;
}

/** A plain data table: the first column is the row header, the others are numbers. */
export function table(columns, rows) {
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, columns.map((c, i) => h('th', { scope: 'col', class: i > 0 ? 'num' : null }, c)))),
    h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c) : h('td', { class: 'num' }, c))))))));
}

function shorten(text) {
  const s = String(text ?? '');
  return s.length > 24 ? `${s.slice(0, 23)}…` : s;
}

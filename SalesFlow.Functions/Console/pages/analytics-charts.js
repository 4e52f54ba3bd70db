// Accessible SVG bar charts without a library: the SVG is an image whose label carries every number, and a table
// with the same numbers sits under it (a text alternative for screen readers and for copying).
import { h, svg } from '../dom.js';

// Widths in per cent of the chart (labels, bars, values), heights in pixels: the text keeps its size at any width.
const LABEL = 30;
const BARS = 55;
const ROW = 30;
const BAR = 18;

let next = 0;

/**
 * A horizontal bar chart.
 * rows: [{ label, value (a number), display (the value as text), cls (optional bar class: hot/warm/cold), extra }]
 * columns: the table's column headers [label header, value header, ...headers of row.extra].
 */
export function barChart({ id, title, rows, columns, emptyText, numbersText }) {
  const captionId = `${id || `chart-${++next}`}-title`;
  const figure = h('figure', { class: 'chart', id: id || null, 'aria-labelledby': captionId },
    h('figcaption', { id: captionId, class: 'chart-title' }, title));
  const max = Math.max(0, ...rows.map((r) => Number(r.value) || 0));
  if (max === 0) {
    figure.append(h('p', { class: 'muted chart-empty' }, emptyText));
  } else {
    const summary = `${title}: ${rows.map((r) => `${r.label} ${r.display}`).join('; ')}`;
    const image = svg('svg', { class: 'chart-svg', width: '100%', height: rows.length * ROW, role: 'img', 'aria-label': summary });
    rows.forEach((row, i) => {
      const y = i * ROW;
      const length = Math.max(row.value > 0 ? 0.5 : 0, ((Number(row.value) || 0) / max) * BARS);
      image.append(
        svg('text', { x: `${LABEL - 1}%`, y: y + ROW / 2, class: 'chart-label', 'text-anchor': 'end', 'dominant-baseline': 'middle' }, shorten(row.label)),
        svg('rect', { x: `${LABEL}%`, y: y + (ROW - BAR) / 2, width: `${length.toFixed(2)}%`, height: BAR, rx: 3, class: ['chart-bar', row.cls] }),
        svg('text', { x: `${(LABEL + length + 1).toFixed(2)}%`, y: y + ROW / 2, class: 'chart-value', 'dominant-baseline': 'middle' }, row.display));
    });
    figure.append(image);
  }
  figure.append(h('details', { class: 'chart-numbers' },
    h('summary', {}, numbersText),
    table(columns, rows.map((r) => [r.label, r.display, ...(r.extra ?? [])]), title)));
  return figure;
}

/**
 * A plain data table: the first column is the row header, the others are numbers. Its wrapper scrolls sideways on a
 * phone, so it is a labelled region that takes the keyboard focus (arrow keys scroll it).
 */
export function table(columns, rows, label) {
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': label }, h('table', {},
    h('thead', {}, h('tr', {}, columns.map((c, i) => h('th', { scope: 'col', class: i > 0 ? 'num' : null }, c)))),
    h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c) : h('td', { class: 'num' }, c))))))));
}

function shorten(text) {
  const s = String(text ?? '');
  return s.length > 24 ? `${s.slice(0, 23)}…` : s;
}

// Accessible SVG bar charts without a library: the SVG is an image whose label carries every number, and a table
// with the same numbers sits under it (a text alternative for screen readers and for copying).
import { h, svg } from '../dom.js';

// Each row: its label on one line, the bar under it (width in per cent of the chart, so the text keeps its size and
// nothing is clipped at any width, down to a phone), the value right after the bar.
const BARS = 85;
const ROW = 44;
const BAR = 16;

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
        svg('text', { x: 0, y: y + 14, class: 'chart-label' }, shorten(row.label)),
        svg('rect', { x: 0, y: y + 20, width: `${length.toFixed(2)}%`, height: BAR, rx: 3, class: ['chart-bar', row.cls] }),
        svg('text', { x: `${(length + 1).toFixed(2)}%`, y: y + 20 + BAR / 2, class: 'chart-value', 'dominant-baseline': 'middle' }, row.display));
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
  return s.length > 48 ? `${s.slice(0, 47)}…` : s;
}

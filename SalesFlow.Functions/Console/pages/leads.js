// The leads table (#/leads): filter by temperature, state and text, sort, page with the API's cursor. With an id
// (#/leads/{id}) it renders the lead page instead. Lead text is untrusted: everything goes through h()/text nodes.
import { fmtDate, fmtNumber } from '../dom.js';

const STATES = ['initial_contact', 'interest_qualification', 'value_proposition', 'objection_handling', 'price_negotiation', 'closing_attempt', 'post_purchase'];
const SORTS = ['-updated', 'updated', '-score', 'score', 'name', '-name', '-created', 'created'];
const PAGE_SIZE = 25;

// Kept while the console is open: coming back from a lead shows the same filters and page.
const view = { q: '', temperature: '', state: '', sort: '-updated', cursors: [null], page: 0 };

export async function render(main, ctx) {
  if (ctx.params.length > 0) {
    const lead = await import('./lead.js');
    return lead.render(main, ctx);
  }
  return renderList(main, ctx);
}

/** A channel as a small icon with its name for screen readers (and as a tooltip). */
export function channelIcon(h, t, channel) {
  const name = t(`leads.channel.${channel}`);
  const short = { whatsapp: 'WA', sms: 'SMS', email: '@', web: 'Web' }[channel] ?? channel;
  return h('span', { class: ['channel', `channel-${channel}`], title: name },
    h('span', { 'aria-hidden': 'true' }, short),
    h('span', { class: 'visually-hidden' }, name));
}

export function temperatureBadge(h, t, temperature) {
  return temperature ? h('span', { class: ['badge', temperature] }, t(`leads.temp.${temperature}`)) : t('leads.none');
}

export function stateName(t, state) {
  return state ? t(`leads.stateName.${state}`) : t('leads.none');
}

function query() {
  const p = new URLSearchParams({ limit: String(PAGE_SIZE), sort: view.sort });
  for (const key of ['q', 'temperature', 'state']) {
    if (view[key]) {
      p.set(key, view[key]);
    }
  }
  const cursor = view.cursors[view.page];
  if (cursor) {
    p.set('cursor', cursor);
  }
  return `/api/leads?${p}`;
}

async function renderList(main, ctx) {
  const { h, t, api } = ctx;
  const status = h('p', { class: 'muted', role: 'status', id: 'leads-status' });
  const tableHost = h('div', { class: 'table-wrap', id: 'leads-table' });
  const pager = h('nav', { class: 'pager actions', 'aria-label': t('leads.pagination') });

  const select = (id, label, value, options) => h('div', { class: 'field' },
    h('label', { for: id }, label),
    h('select', { id, name: id, onchange: (e) => { view[id.replace('leads-', '')] = e.target.value; restart(); } },
      options.map(([v, text]) => h('option', { value: v, selected: v === value }, text))));

  const search = h('input', { id: 'leads-q', name: 'q', type: 'search', value: view.q, 'aria-describedby': 'leads-q-hint', autocomplete: 'off' });
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': t('leads.filters'), onsubmit: (e) => {
    e.preventDefault();
    view.q = search.value.trim();
    restart();
  } },
  h('div', { class: 'field' }, h('label', { for: 'leads-q' }, t('leads.search')), search, h('span', { class: 'hint', id: 'leads-q-hint' }, t('leads.searchHint'))),
  select('leads-temperature', t('leads.temperature'), view.temperature, [['', t('leads.any')], ...['hot', 'warm', 'cold'].map((x) => [x, t(`leads.temp.${x}`)])]),
  select('leads-state', t('leads.state'), view.state, [['', t('leads.any')], ...STATES.map((s) => [s, stateName(t, s)])]),
  select('leads-sort', t('leads.sort'), view.sort, SORTS.map((s) => [s, t(`leads.sort.${s}`)])),
  h('div', { class: 'filter-actions' },
    h('button', { type: 'submit', class: 'button' }, t('leads.apply')),
    h('button', { type: 'button', class: 'button secondary', onclick: () => {
      Object.assign(view, { q: '', temperature: '', state: '', sort: '-updated' });
      search.value = '';
      for (const id of ['leads-temperature', 'leads-state']) {
        main.querySelector(`#${id}`).value = '';
      }
      main.querySelector('#leads-sort').value = '-updated';
      restart();
    } }, t('leads.reset'))));

  main.append(h('h1', {}, t('leads.title')), form, status, tableHost, pager);

  function restart() {
    view.cursors = [null];
    view.page = 0;
    load();
  }

  // Only the newest load shows: a search sent while the first page is still loading must not be overwritten by it.
  let latest = 0;
  async function load() {
    const mine = ++latest;
    status.textContent = t('shell.loading');
    let data;
    try {
      data = await api.get(query(), { signal: ctx.signal });
    } catch (e) {
      if (e?.name === 'AbortError' || mine !== latest) {
        return;
      }
      status.textContent = t('leads.error', { message: e.detail || e.title || e.message });
      return;
    }
    if (mine !== latest) {
      return;
    }
    view.cursors[view.page + 1] = data.next;
    tableHost.replaceChildren(data.items.length === 0 ? h('p', { class: 'empty' }, t('leads.empty')) : table(data.items));
    status.textContent = t('leads.count', { n: data.items.length });
    pager.replaceChildren(
      h('button', { type: 'button', class: 'button secondary', id: 'leads-prev', disabled: view.page === 0, onclick: () => { view.page -= 1; load(); } }, t('leads.prev')),
      h('span', { class: 'muted' }, t('leads.page', { n: view.page + 1 })),
      h('button', { type: 'button', class: 'button secondary', id: 'leads-next', disabled: !data.next, onclick: () => { view.page += 1; load(); } }, t('leads.next')));
  }

  /** A column header that sorts by its key: ascending first for names, descending first for numbers and times. */
  function sortHeader(label, key, firstDescending, cls) {
    const active = view.sort === key || view.sort === `-${key}`;
    const descending = view.sort.startsWith('-');
    const ariaSort = active ? (descending ? 'descending' : 'ascending') : null;
    const next = active ? (descending ? key : `-${key}`) : (firstDescending ? `-${key}` : key);
    return h('th', { scope: 'col', class: cls, 'aria-sort': ariaSort },
      h('button', { type: 'button', class: 'sort', 'aria-label': t('leads.sortBy', { column: label }), onclick: () => {
        view.sort = next;
        main.querySelector('#leads-sort').value = next;
        restart();
      } }, label, h('span', { 'aria-hidden': 'true', class: 'arrow' }, active ? (descending ? ' ▼' : ' ▲') : '')));
  }

  function table(items) {
    return h('table', { class: 'leads' },
      h('caption', { class: 'visually-hidden' }, t('leads.caption', { sort: t(`leads.sort.${view.sort}`) })),
      h('thead', {}, h('tr', {},
        sortHeader(t('leads.col.name'), 'name', false),
        h('th', { scope: 'col' }, t('leads.col.channels')),
        h('th', { scope: 'col' }, t('leads.col.state')),
        h('th', { scope: 'col' }, t('leads.col.temperature')),
        sortHeader(t('leads.col.score'), 'score', true, 'num'),
        sortHeader(t('leads.col.lastMessage'), 'updated', true),
        h('th', { scope: 'col' }, t('leads.col.nextAction')))),
      h('tbody', {}, items.map(row)));
  }

  function row(item) {
    const name = item.name || item.email || item.phone || t('leads.unnamed');
    const flags = [
      item.escalated ? h('span', { class: 'badge warn' }, t('leads.escalated')) : null,
      item.optedOut ? h('span', { class: 'badge error' }, t('leads.optedOut')) : null,
    ];
    const last = item.lastMessage;
    const next = item.nextAction;
    return h('tr', { 'data-lead': item.id },
      h('th', { scope: 'row' }, h('a', { href: `#/leads/${encodeURIComponent(item.id)}` }, name), ' ', flags),
      h('td', {}, h('span', { class: 'channels' }, (item.channels ?? []).map((c) => channelIcon(h, t, c)))),
      h('td', {}, stateName(t, item.state)),
      h('td', {}, temperatureBadge(h, t, item.temperature)),
      h('td', { class: 'num' }, fmtNumber(item.score?.probability, { style: 'percent' })),
      h('td', { class: 'last' }, last ? [
        h('span', { class: 'direction', title: t(last.direction === 'inbound' ? 'leads.inbound' : 'leads.outbound') },
          h('span', { 'aria-hidden': 'true' }, last.direction === 'inbound' ? '← ' : '→ '),
          h('span', { class: 'visually-hidden' }, t(last.direction === 'inbound' ? 'leads.inbound' : 'leads.outbound') + ': ')),
        h('span', { class: 'excerpt' }, last.text ?? ''),
        h('time', { class: 'muted', datetime: last.at }, fmtDate(last.at)),
      ] : t('leads.none')),
      h('td', {}, next ? [h('strong', {}, t(`leads.kind.${next.kind}`)), h('span', { class: 'muted reason' }, next.reason)] : t('leads.none')));
  }

  await load();
}

// Operations: the outbox with delivery statuses (resend), this client's parked work (replay), scheduled follow-ups,
// the compliance audit log and AI usage. Every list reads the client's own data only (the API scopes it by key).
import { fmtDate, fmtNumber } from '../dom.js';

const STATUSES = ['pending', 'sending', 'in_doubt', 'sent', 'delivered', 'read', 'failed', 'suppressed', 'skipped'];
const RESENDABLE = new Set(['failed', 'in_doubt']);
const PAGE = 25;

const statusClass = (status) => ({ delivered: 'ok', read: 'ok', sent: 'ok', failed: 'error', in_doubt: 'warn', suppressed: 'warn', pass: 'ok', rewritten: 'warn', blocked: 'error' }[status] ?? null);

export async function render(main, ctx) {
  const { t, h } = ctx;
  const live = h('p', { id: 'operations-live', class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  const announce = (text) => {
    live.textContent = text;
  };
  main.append(h('h1', {}, t('operations.title')), h('p', { class: 'muted' }, t('operations.intro')), live);
  const parts = [outbox, poison, followUps, audit, usage].map((part) => part({ ...ctx, announce }));
  main.append(...parts.map((p) => p.element));
  await Promise.all(parts.map((p) => p.load()));
}

function card(h, id, title, ...content) {
  return h('section', { class: 'card ops-section', id, 'aria-labelledby': `${id}-h` }, h('h2', { id: `${id}-h` }, title), ...content);
}

/** A table whose wrapper scrolls sideways on a phone: a labelled region that takes the keyboard focus. */
function grid(h, label, columns, rows) {
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': label }, h('table', {},
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : null }, c.text)))),
    h('tbody', {}, rows)));
}

function errorText(t, e) {
  return e?.status === 0 ? t('operations.unreachable') : (e?.title || String(e));
}

/** A lead's name, else its id shortened to its tail (ids are long and alike at the start); the full id as a tooltip. */
function leadLink(h, t, leadId, name) {
  if (!leadId) {
    return h('span', { class: 'muted' }, t('operations.noLead'));
  }
  const text = name || (leadId.length > 14 ? `…${leadId.slice(-10)}` : leadId);
  return h('a', { href: `#/leads/${encodeURIComponent(leadId)}`, title: leadId }, text);
}

const when = (value) => fmtDate(value, { dateStyle: 'short', timeStyle: 'short' });

function outbox({ api, t, h, signal, announce }) {
  const select = h('select', { id: 'outbox-status', name: 'status' },
    h('option', { value: '' }, t('operations.outbox.all')),
    STATUSES.map((s) => h('option', { value: s }, t(`operations.status.${s}`))));
  const body = h('tbody', {});
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, t('operations.more'));
  const message = h('p', { class: 'form-error', role: 'alert' });
  let next = null;

  const row = (item) => {
    const cell = h('td', {});
    if (RESENDABLE.has(item.status)) {
      cell.append(h('button', { type: 'button', class: 'secondary', 'aria-label': t('operations.outbox.resendLabel', { recipient: item.recipient }), onclick: async (e) => {
        e.target.disabled = true;
        try {
          const resent = await api.post(`/api/outbox/${encodeURIComponent(item.id)}/resend`);
          tr.replaceWith(row(resent));
          announce(t('operations.outbox.resent'));
        } catch (err) {
          e.target.disabled = false;
          message.textContent = errorText(t, err);
        }
      } }, t('operations.outbox.resend')));
    }
    const tr = h('tr', { 'data-id': item.id },
      h('td', { class: 'ops-time' }, when(item.createdAt)),
      h('td', {}, leadLink(h, t, item.leadId)),
      h('td', {}, t(`operations.channel.${item.channel}`)),
      h('td', {}, item.recipient),
      h('td', {}, t(`operations.purpose.${item.purpose}`) === `operations.purpose.${item.purpose}` ? item.purpose : t(`operations.purpose.${item.purpose}`)),
      h('td', {}, h('span', { class: ['badge', statusClass(item.status)] }, t(`operations.status.${item.status}`)), item.error ? h('p', { class: 'ops-error' }, item.error) : null),
      h('td', { class: 'num' }, fmtNumber(item.attempts)),
      cell);
    return tr;
  };

  const load = async (append = false) => {
    message.textContent = '';
    const query = new URLSearchParams({ limit: String(PAGE) });
    if (select.value) {
      query.set('status', select.value);
    }
    if (append && next) {
      query.set('cursor', next);
    }
    try {
      const page = await api.get(`/api/outbox?${query}`, { signal });
      if (!append) {
        body.replaceChildren();
      }
      body.append(...page.items.map(row));
      if (!body.children.length) {
        body.append(h('tr', {}, h('td', { colspan: 8, class: 'muted' }, t('operations.outbox.empty'))));
      }
      next = page.next;
      more.hidden = !next;
    } catch (e) {
      if (e?.name !== 'AbortError') {
        message.textContent = errorText(t, e);
      }
    }
  };
  select.addEventListener('change', () => load());
  more.addEventListener('click', () => load(true));

  const element = card(h, 'ops-outbox', t('operations.outbox'),
    h('div', { class: 'field ops-filter' }, h('label', { for: 'outbox-status' }, t('operations.outbox.filter')), select),
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('operations.table', { name: t('operations.outbox') }) }, h('table', {},
      h('thead', {}, h('tr', {}, [t('operations.created'), t('operations.lead'), t('operations.channel'), t('operations.recipient'), t('operations.purpose'), t('operations.status'), t('operations.attempts'), t('operations.action')]
        .map((c, i) => h('th', { scope: 'col', class: i === 6 ? 'num' : null }, c)))),
      body)),
    message, h('div', { class: 'actions' }, more));
  return { element, load: () => load() };
}

function poison({ api, t, h, signal, announce }) {
  const holder = h('div', {});
  const message = h('p', { class: 'form-error', role: 'alert' });

  const load = async () => {
    message.textContent = '';
    try {
      const { items } = await api.get('/api/operations/poison', { signal });
      if (!items.length) {
        holder.replaceChildren(h('p', { class: 'muted' }, t('operations.poison.empty')));
        return;
      }
      holder.replaceChildren(grid(h, t('operations.table', { name: t('operations.poison') }),
        [{ text: t('operations.poison.queue') }, { text: t('operations.poison.work') }, { text: t('operations.attempts'), num: true }, { text: t('operations.poison.error') }, { text: t('operations.action') }],
        items.map((item) => h('tr', { 'data-id': item.id },
          h('td', {}, t(`operations.queue.${item.queue}`) === `operations.queue.${item.queue}` ? item.queue : t(`operations.queue.${item.queue}`)),
          h('td', {}, h('code', { class: 'ops-payload' }, item.payload)),
          h('td', { class: 'num' }, fmtNumber(item.dequeueCount)),
          h('td', {}, item.lastError || h('span', { class: 'muted' }, t('operations.poison.noError'))),
          h('td', {}, h('button', { type: 'button', class: 'secondary', 'aria-label': t('operations.poison.replayLabel', { id: item.id }), onclick: async (e) => {
            e.target.disabled = true;
            try {
              await api.post(`/api/operations/poison/${encodeURIComponent(item.queue)}/${encodeURIComponent(item.id)}/replay`);
              announce(t('operations.poison.replayed'));
              await load();
              message.textContent = '';
              holder.prepend(h('p', { class: 'notice ok' }, t('operations.poison.replayed')));
            } catch (err) {
              e.target.disabled = false;
              message.textContent = errorText(t, err);
            }
          } }, t('operations.poison.replay')))))));
    } catch (e) {
      if (e?.name !== 'AbortError') {
        message.textContent = errorText(t, e);
      }
    }
  };

  const refresh = h('button', { type: 'button', class: 'secondary', onclick: () => load() }, t('operations.refresh'));
  const element = card(h, 'ops-poison', t('operations.poison'), h('p', { class: 'muted' }, t('operations.poison.intro')), holder, message, h('div', { class: 'actions' }, refresh));
  return { element, load };
}

function followUps({ api, t, h, signal }) {
  const holder = h('div', {});
  const load = async () => {
    try {
      const { items } = await api.get('/api/operations/followups', { signal });
      holder.replaceChildren(items.length
        ? grid(h, t('operations.table', { name: t('operations.followups') }), [{ text: t('operations.lead') }, { text: t('operations.followups.due') }, { text: t('operations.followups.steps'), num: true }, { text: t('operations.followups.last') }, { text: t('operations.status') }],
          items.map((f) => h('tr', {},
            h('td', {}, leadLink(h, t, f.leadId, f.leadName)),
            h('td', { class: 'ops-time' }, when(f.dueAt)),
            h('td', { class: 'num' }, fmtNumber(f.stepsSent)),
            h('td', {}, f.lastStepAt ? when(f.lastStepAt) : '–'),
            h('td', {}, h('span', { class: ['badge', f.due ? 'warn' : null] }, f.due ? t('operations.followups.isDue') : t('operations.followups.scheduled'))))))
        : h('p', { class: 'muted' }, t('operations.followups.empty')));
    } catch (e) {
      if (e?.name !== 'AbortError') {
        holder.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, errorText(t, e)));
      }
    }
  };
  return { element: card(h, 'ops-followups', t('operations.followups'), holder), load };
}

function audit({ api, t, h, signal }) {
  const body = h('tbody', {});
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, t('operations.more'));
  const message = h('p', { class: 'form-error', role: 'alert' });
  let next = null;
  const load = async (append = false) => {
    const query = new URLSearchParams({ limit: String(PAGE) });
    if (append && next) {
      query.set('cursor', next);
    }
    try {
      const page = await api.get(`/api/compliance/audit?${query}`, { signal });
      if (!append) {
        body.replaceChildren();
      }
      body.append(...page.items.map((a) => h('tr', {},
        h('td', { class: 'ops-time' }, when(a.createdAt)),
        h('td', {}, leadLink(h, t, a.leadId)),
        h('td', {}, h('span', { class: ['badge', statusClass(a.verdict)] }, t(`operations.verdict.${a.verdict}`))),
        h('td', {}, a.ruleIds.length ? a.ruleIds.join(', ') : '–'),
        h('td', {}, t(`operations.purpose.${a.purpose}`) === `operations.purpose.${a.purpose}` ? a.purpose : t(`operations.purpose.${a.purpose}`)),
        h('td', { class: 'ops-text' }, a.finalText))));
      if (!body.children.length) {
        body.append(h('tr', {}, h('td', { colspan: 6, class: 'muted' }, t('operations.audit.empty'))));
      }
      next = page.next;
      more.hidden = !next;
    } catch (e) {
      if (e?.name !== 'AbortError') {
        message.textContent = errorText(t, e);
      }
    }
  };
  more.addEventListener('click', () => load(true));
  const element = card(h, 'ops-audit', t('operations.audit'),
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('operations.table', { name: t('operations.audit') }) }, h('table', {},
      h('thead', {}, h('tr', {}, [t('operations.created'), t('operations.lead'), t('operations.audit.verdict'), t('operations.audit.rules'), t('operations.purpose'), t('operations.audit.text')].map((c) => h('th', { scope: 'col' }, c)))),
      body)),
    message, h('div', { class: 'actions' }, more));
  return { element, load: () => load() };
}

function usage({ api, t, h, signal }) {
  const holder = h('div', {});
  const money = (v) => fmtNumber(v ?? 0, { style: 'currency', currency: 'USD', maximumFractionDigits: 4 });
  const rows = (byKey) => Object.entries(byKey).map(([key, u]) => h('tr', {},
    h('th', { scope: 'row' }, key), h('td', { class: 'num' }, fmtNumber(u.calls)), h('td', { class: 'num' }, fmtNumber(u.totalTokens)), h('td', { class: 'num' }, money(u.costUsd))));
  const columns = (first) => [{ text: first }, { text: t('operations.usage.calls'), num: true }, { text: t('operations.usage.tokens'), num: true }, { text: t('operations.usage.cost'), num: true }];
  const load = async () => {
    try {
      const report = await api.get('/api/usage', { signal });
      holder.replaceChildren(
        h('p', { id: 'usage-total' }, t('operations.usage.total', { calls: fmtNumber(report.total.calls), tokens: fmtNumber(report.total.totalTokens), cost: money(report.total.costUsd) })),
        h('h3', {}, t('operations.usage.byModel')),
        Object.keys(report.byModel).length ? grid(h, t('operations.usage.byModel'), columns(t('operations.usage.model')), rows(report.byModel)) : h('p', { class: 'muted' }, t('operations.usage.empty')),
        h('h3', {}, t('operations.usage.byPurpose')),
        Object.keys(report.byPurpose).length ? grid(h, t('operations.usage.byPurpose'), columns(t('operations.usage.purpose')), rows(report.byPurpose)) : h('p', { class: 'muted' }, t('operations.usage.empty')));
    } catch (e) {
      if (e?.name !== 'AbortError') {
        holder.replaceChildren(h('p', { class: 'form-error', role: 'alert' }, errorText(t, e)));
      }
    }
  };
  return { element: card(h, 'ops-usage', t('operations.usage'), holder), load };
}

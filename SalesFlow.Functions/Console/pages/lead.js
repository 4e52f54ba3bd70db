// The lead page (#/leads/{id}): timeline, escalation (take over, write as a rep, hand back), recommendations, BANT,
// DISC, memory and GDPR erase. Rendered by leads.js; its strings and styles are the leads page's (leads.*).
// Lead text is untrusted: it only ever becomes text nodes.
import { fmtDate, fmtNumber } from '../dom.js';
import { channelIcon, stateName, temperatureBadge } from './leads.js';

const REP_NAME = 'salesflow.repName';
const DISC = [['D', 'dominance'], ['I', 'influence'], ['S', 'steadiness'], ['C', 'conscientiousness']];
const BANT = ['budget', 'authority', 'need', 'timeline'];

function remembered(key) {
  try {
    return localStorage.getItem(key) ?? '';
  } catch {
    return '';
  }
}

function remember(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // not remembered
  }
}

/** Loads what the page shows; a part that fails shows as missing, the 404 of the lead itself as "not found". */
async function loadAll(api, id, signal) {
  const get = (path) => api.get(path, { signal }).catch((e) => {
    if (e?.name === 'AbortError') {
      throw e;
    }
    return { error: e };
  });
  const [lead, timeline, bant, disc, memory, suggestions, score] = await Promise.all([
    get(`/api/leads/${id}`), get(`/api/leads/${id}/timeline`), get(`/api/leads/${id}/bant`), get(`/api/leads/${id}/personality`),
    get(`/api/leads/${id}/memory`), get(`/api/leads/${id}/suggestions`), get(`/api/leads/${id}/score`),
  ]);
  return { lead, timeline, bant, disc, memory, suggestions, score };
}

export async function render(main, ctx) {
  const { h, t, api, navigate } = ctx;
  const id = encodeURIComponent(ctx.params[0]);
  const data = await loadAll(api, id, ctx.signal);
  if (data.lead.error) {
    if (data.lead.error.status !== 404) {
      throw data.lead.error;
    }
    main.append(h('h1', {}, t('nav.lead')), h('p', { class: 'notice warn' }, t('leads.lead.notFound')), h('p', {}, h('a', { href: '#/leads' }, t('leads.back'))));
    return;
  }

  const lead = data.lead;
  const name = lead.name || lead.email || lead.phone || t('leads.unnamed');
  const live = h('div', { class: 'notice-host', role: 'status', 'aria-live': 'polite', id: 'lead-live' });
  const say = (text, kind = 'ok') => live.replaceChildren(h('p', { class: ['notice', kind] }, text));
  const fail = (e) => say(t('leads.error', { message: e.detail || e.title || e.message }), 'error');

  const timeline = timelineSection();
  const escalation = h('section', { class: 'card', 'aria-labelledby': 'escalation-title', id: 'escalation' });
  drawEscalation(lead.escalated, lead.escalationReason);

  main.append(
    h('p', { class: 'back' }, h('a', { href: '#/leads' }, t('leads.back'))),
    h('h1', { id: 'lead-name' }, name),
    h('p', {}, h('a', { href: `#/coach/${id}` }, t('leads.lead.askCoach'))),
    header(),
    live,
    h('div', { class: 'lead-grid' },
      h('div', { class: 'lead-main' }, escalation, timeline.section),
      h('div', { class: 'lead-side' }, recommendations(), bantSection(), discSection(), memorySection(), eraseSection())));
  timeline.show(data.timeline);

  function header() {
    const channels = [...new Set((data.timeline.items ?? []).filter((e) => e.channel).map((e) => e.channel))];
    const contact = [lead.email, lead.phone].filter(Boolean).join(' · ');
    return h('div', { class: 'lead-header' },
      h('span', { class: 'channels' }, channels.map((c) => channelIcon(h, t, c))),
      h('span', {}, stateName(t, lead.state)),
      data.score?.score ? temperatureBadge(h, t, data.score.score.temperature) : null,
      data.score?.score ? h('span', { class: 'muted' }, fmtNumber(data.score.score.probability, { style: 'percent' })) : null,
      contact ? h('span', { class: 'muted' }, h('span', { class: 'visually-hidden' }, t('leads.lead.contact') + ': '), contact) : null);
  }

  // Timeline ---------------------------------------------------------------------------------------------------------

  function timelineSection() {
    const list = h('ol', { class: 'timeline', id: 'timeline' });
    const more = h('div', { class: 'actions' });
    const section = h('section', { class: 'card', 'aria-labelledby': 'timeline-title' }, h('h2', { id: 'timeline-title' }, t('leads.timeline')), list, more);
    let conversationId = null;

    function show(page, append = false) {
      if (page.error) {
        list.replaceChildren(h('li', { class: 'notice error' }, t('leads.error', { message: page.error.detail || page.error.title })));
        return;
      }
      conversationId = page.conversationId;
      const items = page.items.map(entry);
      if (append) {
        list.append(...items);
      } else {
        list.replaceChildren(...(items.length ? items : [h('li', { class: 'muted' }, t('leads.timeline.empty'))]));
      }
      more.replaceChildren(...(page.next ? [h('button', { type: 'button', class: 'button secondary', onclick: async () => {
        try {
          show(await api.get(`/api/leads/${id}/timeline?cursor=${encodeURIComponent(page.next)}`), true);
        } catch (e) {
          fail(e);
        }
      } }, t('leads.timeline.more'))] : []));
    }

    async function reload() {
      try {
        show(await api.get(`/api/leads/${id}/timeline`));
      } catch (e) {
        fail(e);
      }
    }

    function entry(e) {
      const at = h('time', { datetime: e.at, class: 'muted' }, fmtDate(e.at));
      if (e.kind === 'message') {
        return message(e, at);
      }
      let text;
      if (e.kind === 'state_change') {
        text = t('leads.timeline.stateChange', { from: stateName(t, e.from), to: stateName(t, e.to) });
      } else if (e.kind === 'follow_up_scheduled') {
        text = t('leads.timeline.followUp', { step: e.step, status: e.status, at: fmtDate(e.at) });
      } else if (e.kind === 'meeting') {
        text = t('leads.timeline.meeting', { status: e.status, start: fmtDate(e.start) });
      } else if (e.kind === 'crm_sync') {
        text = e.status === 'failed' ? t('leads.timeline.crm.failed', { reason: e.reason ?? '' }) : t('leads.timeline.crm.synced');
      } else {
        text = e.kind;
      }
      return h('li', { class: ['event', `event-${e.kind}`] }, h('p', {}, text), at);
    }

    function message(e, at) {
      const who = e.author === 'lead' ? t('leads.timeline.lead') : e.author === 'rep'
        ? (e.by ? t('leads.timeline.rep', { by: e.by }) : t('leads.timeline.repAnonymous')) : t('leads.timeline.ai');
      const meta = [
        e.channel ? t('leads.timeline.via', { channel: t(`leads.channel.${e.channel}`) }) : null,
        e.status ? t('leads.timeline.status', { status: e.status }) : null,
        e.compliance ? t('leads.timeline.compliance', { verdict: t(`leads.timeline.verdict.${e.compliance.verdict}`) }) : null,
        e.trustedBy ? t('leads.timeline.trustedBy', { by: e.trustedBy }) : null,
      ].filter(Boolean).join(' · ');
      const li = h('li', { class: ['message', e.direction, `author-${e.author}`], 'data-id': e.id },
        h('p', { class: 'who' }, h('strong', {}, who), ' ', at),
        h('p', { class: 'text' }, e.text ?? ''),
        h('p', { class: 'meta muted' }, meta, e.error ? ` · ${e.error}` : ''));
      if (e.heldBack && conversationId) {
        li.append(h('p', { class: 'notice warn' }, t('leads.timeline.heldBack', { reason: e.heldBack })),
          h('button', { type: 'button', class: 'button', onclick: async () => {
            try {
              await api.post(`/api/conversations/${encodeURIComponent(conversationId)}/messages/${encodeURIComponent(e.id)}/trust`, { by: remembered(REP_NAME) || undefined });
              say(t('leads.trusted'));
              await reload();
            } catch (err) {
              fail(err);
            }
          } }, t('leads.trust')));
      }
      return li;
    }

    return { section, show, reload };
  }

  // Escalation: take over, write as a rep, hand back -----------------------------------------------------------------

  function drawEscalation(escalated, reason) {
    const title = h('h2', { id: 'escalation-title' }, t('leads.escalation'));
    if (!escalated) {
      escalation.replaceChildren(title, h('p', {}, t('leads.escalation.off')),
        h('div', { class: 'actions' }, h('button', { type: 'button', class: 'button', id: 'take-over', onclick: async () => {
          try {
            const result = await api.post(`/api/leads/${id}/takeover`, { by: remembered(REP_NAME) || undefined });
            drawEscalation(result.escalated, result.escalationReason);
            say(t('leads.takenOver'));
            escalation.querySelector('#reply-text')?.focus();
          } catch (e) {
            fail(e);
          }
        } }, t('leads.takeover'))));
      return;
    }

    const reasonText = reason === 'taken_over' ? t('leads.reason.taken_over') : (reason ?? '');
    escalation.replaceChildren(title, h('p', { class: 'notice warn' }, t('leads.escalation.on', { reason: reasonText })), replyForm(),
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'button secondary', id: 'hand-back', onclick: async () => {
        try {
          const result = await api.post(`/api/leads/${id}/release`);
          drawEscalation(result.escalated, null);
          say(t('leads.handedBack'));
          escalation.querySelector('#take-over')?.focus();
        } catch (e) {
          fail(e);
        }
      } }, t('leads.handBack'))));
  }

  function replyForm() {
    let key = crypto.randomUUID(); // one message, one key: a retried click cannot write twice
    const error = h('p', { class: 'form-error', id: 'reply-error', role: 'alert' });
    const text = h('textarea', { id: 'reply-text', name: 'text', rows: '3', required: true, 'aria-describedby': 'reply-error' });
    const by = h('input', { id: 'reply-by', name: 'by', type: 'text', required: true, autocomplete: 'name', value: remembered(REP_NAME) });
    const channel = h('select', { id: 'reply-channel', name: 'channel' },
      h('option', { value: '' }, t('leads.reply.lastChannel')),
      ['whatsapp', 'sms', 'email', 'web'].map((c) => h('option', { value: c }, t(`leads.channel.${c}`))));
    const send = h('button', { type: 'submit', class: 'button' }, t('leads.reply.send'));
    return h('form', { class: 'reply', 'aria-labelledby': 'reply-title', onsubmit: async (e) => {
      e.preventDefault();
      error.textContent = '';
      for (const field of [text, by, channel]) {
        field.removeAttribute('aria-invalid');
      }
      send.disabled = true;
      try {
        remember(REP_NAME, by.value.trim());
        await api.post(`/api/leads/${id}/replies`, { text: text.value, by: by.value.trim(), channel: channel.value || undefined, id: key });
        key = crypto.randomUUID();
        text.value = '';
        say(t('leads.reply.sent'));
        await timeline.reload();
      } catch (err) {
        error.textContent = t('leads.error', { message: err.detail || err.title || err.message });
        const bad = { text, by, channel }[err.field];
        bad?.setAttribute('aria-invalid', 'true');
        (bad ?? text).focus();
      } finally {
        send.disabled = false;
      }
    } },
    h('h3', { id: 'reply-title' }, t('leads.reply')),
    h('div', { class: 'field' }, h('label', { for: 'reply-text' }, t('leads.reply.text')), text),
    h('div', { class: 'reply-row' },
      h('div', { class: 'field' }, h('label', { for: 'reply-by' }, t('leads.reply.by')), by),
      h('div', { class: 'field' }, h('label', { for: 'reply-channel' }, t('leads.reply.channel')), channel)),
    error,
    h('div', { class: 'actions' }, send));
  }

  // Recommendations --------------------------------------------------------------------------------------------------

  function recommendations() {
    const list = h('ul', { class: 'recommendations' });
    const items = data.suggestions.error ? [] : data.suggestions.recommendations ?? [];
    const empty = () => list.replaceChildren(h('li', { class: 'muted' }, t('leads.recommendations.empty')));
    const decide = async (rec, status, li) => {
      try {
        await api.patch(`/api/recommendations/${encodeURIComponent(rec.id)}`, { status }, { ifMatch: rec.etag });
        li.remove();
        say(t(status === 'accepted' ? 'leads.accepted' : 'leads.dismissed', { kind: t(`leads.kind.${rec.kind}`) }));
        if (!list.children.length) {
          empty();
        }
      } catch (e) {
        fail(e);
      }
    };
    for (const rec of items) {
      const kind = t(`leads.kind.${rec.kind}`);
      const li = h('li', { class: 'recommendation', 'data-id': rec.id },
        h('p', {}, h('strong', {}, kind), ' ', h('span', { class: 'muted' }, rec.reason)));
      li.append(h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'button', 'aria-label': t('leads.acceptLabel', { kind }), onclick: () => decide(rec, 'accepted', li) }, t('leads.accept')),
        h('button', { type: 'button', class: 'button secondary', 'aria-label': t('leads.dismissLabel', { kind }), onclick: () => decide(rec, 'dismissed', li) }, t('leads.dismiss'))));
      list.append(li);
    }
    if (!items.length) {
      empty();
    }
    return h('section', { class: 'card', 'aria-labelledby': 'rec-title' }, h('h2', { id: 'rec-title' }, t('leads.recommendations')), list);
  }

  // BANT and DISC ----------------------------------------------------------------------------------------------------

  function bar(label, value, max, valueText, extra) {
    const percent = Math.max(0, Math.min(100, (Number(value) || 0) / max * 100));
    return h('li', { class: 'bar-row' },
      h('div', { class: 'bar-label' }, h('span', {}, label), h('span', { class: 'muted' }, valueText)),
      h('div', { class: 'bar', 'aria-hidden': 'true' }, h('div', { class: 'bar-fill', style: { width: `${percent}%` } })),
      extra);
  }

  function bantSection() {
    const section = h('section', { class: 'card', 'aria-labelledby': 'bant-title' }, h('h2', { id: 'bant-title' }, t('leads.bant')));
    const bant = data.bant.bant;
    if (!bant) {
      return section;
    }
    section.append(
      h('p', {}, h('span', { class: ['light', bant.trafficLight], 'aria-hidden': 'true' }), t('leads.bant.overall', { score: fmtNumber(bant.overall) })),
      h('ul', { class: 'bars' }, BANT.map((key) => {
        const d = bant[key];
        const evidence = d.evidence?.length
          ? h('ul', { class: 'evidence' }, d.evidence.map((x) => h('li', {}, h('q', {}, x))))
          : h('p', { class: 'muted evidence' }, t('leads.bant.noEvidence'));
        return bar(t(`leads.bant.${key}`), d.score, 10, t('leads.bant.score', { score: fmtNumber(d.score) }), evidence);
      })));
    return section;
  }

  function discSection() {
    const section = h('section', { class: 'card', 'aria-labelledby': 'disc-title' }, h('h2', { id: 'disc-title' }, t('leads.disc')));
    const disc = data.disc.disc;
    if (!disc) {
      return section;
    }
    section.append(
      h('ul', { class: 'bars disc' }, DISC.map(([letter, key]) => bar(`${letter} · ${t(`leads.disc.${letter}`)}`, disc[key], 1, fmtNumber(disc[key], { style: 'percent' })))),
      h('p', {}, disc.primary
        ? t('leads.disc.primary', { style: `${disc.primary} (${t(`leads.disc.${disc.primary}`)})`, confidence: fmtNumber(disc.confidence, { style: 'percent' }) })
        : t('leads.disc.unknown')));
    return section;
  }

  // Memory -----------------------------------------------------------------------------------------------------------

  /** A key fact's name in the console's language when it is a known one, else as stored. */
  function factName(key) {
    const text = t(`leads.fact.${key}`);
    return text === `leads.fact.${key}` ? key : text;
  }

  function facts(value) {
    if (Array.isArray(value)) {
      return value.length ? h('ul', { class: 'facts' }, value.map((x) => h('li', {}, typeof x === 'string' ? x : JSON.stringify(x)))) : null;
    }
    if (value && typeof value === 'object') {
      const entries = Object.entries(value).filter(([, v]) => v !== null && v !== '' && !(Array.isArray(v) && v.length === 0));
      return entries.length ? h('dl', { class: 'facts' }, entries.map(([k, v]) => [h('dt', {}, factName(k)), h('dd', {}, Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v))])) : null;
    }
    return null;
  }

  function memorySection() {
    const memory = data.memory.error ? {} : data.memory;
    const warm = memory.warm;
    return h('section', { class: 'card', 'aria-labelledby': 'memory-title' },
      h('h2', { id: 'memory-title' }, t('leads.memory')),
      h('h3', {}, t('leads.memory.summary')),
      h('p', {}, warm?.summary || t('leads.memory.noSummary')),
      h('h3', {}, t('leads.memory.keyFacts')),
      facts(warm?.keyFacts) ?? facts(memory.keyFacts) ?? h('p', { class: 'muted' }, t('leads.none')));
  }

  // GDPR erase -------------------------------------------------------------------------------------------------------

  function eraseSection() {
    const dialog = h('dialog', { id: 'erase-dialog', 'aria-labelledby': 'erase-title', 'aria-describedby': 'erase-body' },
      h('h2', { id: 'erase-title' }, t('leads.erase.title')),
      h('p', { id: 'erase-body' }, t('leads.erase.body', { name })),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'button secondary', id: 'erase-cancel', onclick: () => dialog.close() }, t('leads.erase.cancel')),
        h('button', { type: 'button', class: 'button danger', id: 'erase-confirm', onclick: async () => {
          try {
            await api.del(`/api/leads/${id}`);
            dialog.close();
            navigate('#/leads');
          } catch (e) {
            dialog.close();
            fail(e);
          }
        } }, t('leads.erase.confirm'))));
    return h('section', { class: 'card danger-zone', 'aria-labelledby': 'danger-title' },
      h('h2', { id: 'danger-title' }, t('leads.erase.danger')),
      h('button', { type: 'button', class: 'button danger', id: 'erase', onclick: () => dialog.showModal() }, t('leads.erase')),
      dialog);
  }
}

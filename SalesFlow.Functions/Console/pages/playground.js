// Playground: write as a simulated lead on a channel and in a language; SalesFlow's reply streams in token by token
// (POST /api/chat/stream, mode lead), then the state and the scores (temperature, health, probability, BANT) refresh.
// The first message starts a new lead through the same stream (channel + from instead of conversationId).
import { register } from '../i18n.js';
import strings from './playground.i18n.js';

register(strings);

const CHANNELS = ['whatsapp', 'sms', 'email'];
const BANT = ['budget', 'authority', 'need', 'timeline'];

/** A fresh address for a new simulated lead: a German mobile number, or a mailbox on the reserved example.com. */
function newAddress(channel) {
  const n = String(Math.floor(Math.random() * 1e8)).padStart(8, '0');
  return channel === 'email' ? `lead.${n}@example.com` : `+4917${n}`;
}

export async function render(main, { api, t, h, lang, signal }) {
  const session = { conversationId: null, leadId: null, address: null, busy: false };

  const channel = h('select', { id: 'pg-channel', name: 'channel' },
    CHANNELS.map((c) => h('option', { value: c }, t(`playground.channel.${c}`))));
  const language = h('select', { id: 'pg-language', name: 'language' },
    h('option', { value: 'en', selected: lang === 'en' }, t('playground.language.en')),
    h('option', { value: 'de', selected: lang === 'de' }, t('playground.language.de')));
  const name = h('input', { id: 'pg-name', name: 'name', type: 'text', autocomplete: 'off', maxlength: '100', value: t('playground.defaultName') });

  // Focusable: it scrolls, and a keyboard user must be able to scroll it.
  const log = h('ol', { id: 'pg-log', class: 'pg-log', tabindex: '0', 'aria-label': t('playground.log') });
  const streaming = h('p', { id: 'pg-stream', class: 'pg-stream', 'aria-live': 'polite', 'aria-atomic': 'false' });
  const empty = h('p', { class: 'muted pg-empty' }, t('playground.empty'));
  const message = h('textarea', { id: 'pg-message', name: 'message', rows: '3', maxlength: '4000', required: true, 'aria-describedby': 'pg-error' });
  const error = h('p', { id: 'pg-error', class: 'form-error', role: 'alert' });
  const send = h('button', { type: 'submit', id: 'pg-send' }, t('playground.send'));
  const reset = h('button', { type: 'button', id: 'pg-reset', class: 'secondary', onclick: () => resetLead() }, t('playground.reset'));
  const suggestions = h('div', { class: 'pg-suggestions', role: 'group', 'aria-label': t('playground.suggestions') });

  const stateValue = h('span', { id: 'pg-state', class: 'badge' }, t('playground.state.none'));
  const previous = h('span', { id: 'pg-previous', class: 'muted' });
  const intent = h('dd', { id: 'pg-intent' }, '–');
  const temperature = h('span', { id: 'pg-temperature', class: 'badge' }, '–');
  const health = h('dd', { id: 'pg-health' }, '–');
  const probability = h('dd', { id: 'pg-probability' }, '–');
  const bantRows = Object.fromEntries(BANT.map((d) => [d, {
    meter: h('meter', { id: `pg-bant-${d}`, min: '0', max: '10', low: '3', high: '6', optimum: '10', value: '0', 'aria-labelledby': `pg-bant-${d}-label` }),
    value: h('span', { class: 'pg-bant-value' }, '0'),
  }]));
  const bantOverall = h('dd', { id: 'pg-bant-overall' }, '–');
  const leadLink = h('p', { id: 'pg-lead', class: 'pg-lead' });
  const turnStatus = h('p', { id: 'pg-status', class: 'visually-hidden', role: 'status' });

  const fmtPercent = (v) => new Intl.NumberFormat(lang === 'de' ? 'de-DE' : 'en-GB', { style: 'percent', maximumFractionDigits: 0 }).format(v > 1 ? v / 100 : v);
  const fmt = (v) => new Intl.NumberFormat(lang === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: 1 }).format(v);
  const stateLabel = (s) => (s ? t(`playground.stateName.${s}`, {}) : t('playground.state.none'));

  function showSuggestions() {
    const texts = t(`playground.samples.${language.value}`).split('|');
    suggestions.replaceChildren(...texts.map((text) => h('button', {
      type: 'button', class: 'secondary pg-suggestion', onclick: () => {
        message.value = text;
        message.focus();
      },
    }, text)));
  }

  function bubble(who, text, meta) {
    empty.remove();
    const body = h('p', { class: 'pg-text' }, text);
    const item = h('li', { class: `pg-msg ${who}` },
      h('span', { class: 'pg-who' }, t(`playground.who.${who}`)), body, meta ? h('span', { class: 'pg-meta muted' }, meta) : null);
    log.append(item);
    item.scrollIntoView?.({ block: 'nearest' });
    return body;
  }

  function resetLead() {
    session.conversationId = null;
    session.leadId = null;
    session.address = null;
    log.replaceChildren();
    log.before(empty);
    streaming.textContent = '';
    stateValue.textContent = t('playground.state.none');
    stateValue.className = 'badge';
    previous.textContent = '';
    intent.textContent = '–';
    temperature.textContent = '–';
    temperature.className = 'badge';
    health.textContent = '–';
    probability.textContent = '–';
    bantOverall.textContent = '–';
    for (const d of BANT) {
      bantRows[d].meter.value = 0;
      bantRows[d].value.textContent = '0';
    }
    leadLink.replaceChildren();
    channel.disabled = false;
    name.disabled = false;
    error.textContent = '';
    turnStatus.textContent = t('playground.resetDone');
    message.focus();
  }

  async function refreshScores() {
    if (!session.leadId) {
      return;
    }
    const [score, bant] = await Promise.all([
      api.get(`/api/leads/${encodeURIComponent(session.leadId)}/score`, { signal }).catch(() => null),
      api.get(`/api/leads/${encodeURIComponent(session.leadId)}/bant`, { signal }).catch(() => null),
    ]);
    if (score?.score) {
      const s = score.score;
      temperature.textContent = t(`playground.temperature.${s.temperature}`);
      temperature.className = `badge ${s.temperature}`;
      health.textContent = fmt(s.health);
      probability.textContent = fmtPercent(s.probability);
    }
    if (bant?.bant) {
      for (const d of BANT) {
        const v = bant.bant[d]?.score ?? 0;
        bantRows[d].meter.value = v;
        bantRows[d].value.textContent = fmt(v);
      }
      bantOverall.textContent = `${fmt(bant.bant.overall)} / 10`;
    }
  }

  function applyDone(done) {
    session.conversationId = done.conversationId;
    session.leadId = done.leadId;
    stateValue.textContent = stateLabel(done.state);
    stateValue.dataset.state = done.state;
    stateValue.className = 'badge ok';
    previous.textContent = done.previousState && done.previousState !== done.state
      ? t('playground.from', { state: stateLabel(done.previousState) }) : '';
    intent.textContent = done.intent ? t(`playground.intentName.${done.intent}`) : '–';
    if (done.leadId) {
      leadLink.replaceChildren(h('a', { href: `#/leads/${encodeURIComponent(done.leadId)}` }, t('playground.openLead')));
    }
  }

  async function onsubmit(event) {
    event.preventDefault();
    const text = message.value.trim();
    if (!text) {
      error.textContent = t('playground.emptyMessage');
      message.setAttribute('aria-invalid', 'true');
      message.focus();
      return;
    }
    if (session.busy) {
      return;
    }
    session.busy = true;
    send.disabled = true;
    reset.disabled = true;
    error.textContent = '';
    message.removeAttribute('aria-invalid');
    bubble('lead', text, t(`playground.channel.${channel.value}`));
    message.value = '';

    const body = session.conversationId
      ? { conversationId: session.conversationId, message: text, mode: 'lead' }
      : { channel: channel.value, from: (session.address ??= newAddress(channel.value)), name: name.value.trim() || null, message: text, mode: 'lead' };
    channel.disabled = true;
    name.disabled = true;

    const reply = bubble('ai', '');
    reply.parentElement.classList.add('streaming');
    streaming.textContent = '';
    turnStatus.textContent = t('playground.writing');
    let tokens = 0;
    let finished = null;
    try {
      await api.stream('/api/chat/stream', body, (name, data) => {
        if (name === 'token') {
          tokens += 1;
          reply.append(data.text);
          streaming.append(data.text);
          reply.parentElement.dataset.tokens = String(tokens);
        } else if (name === 'done') {
          finished = data;
        } else if (name === 'error') {
          throw new Error(data?.message || t('playground.failed'));
        }
      }, { signal });
      if (!finished) {
        throw new Error(t('playground.failed'));
      }
      reply.parentElement.classList.remove('streaming');
      if (!finished.reply) {
        reply.textContent = t('playground.noReply');
        reply.parentElement.classList.add('silent');
      }
      applyDone(finished);
      turnStatus.textContent = t('playground.answered', { state: stateLabel(finished.state) });
      await refreshScores();
    } catch (e) {
      if (e?.name === 'AbortError') {
        return;
      }
      reply.parentElement.remove();
      error.textContent = e?.detail || e?.message || t('playground.failed');
      if (!session.conversationId) {
        channel.disabled = false;
        name.disabled = false;
      }
    } finally {
      session.busy = false;
      send.disabled = false;
      reset.disabled = false;
    }
    message.focus();
  }

  language.addEventListener('change', showSuggestions);
  showSuggestions();

  const dl = (...pairs) => h('dl', { class: 'pg-facts' }, pairs.map(([label, value]) => [h('dt', {}, label), value]));

  main.append(
    h('h1', {}, t('playground.title')),
    h('p', { class: 'muted' }, t('playground.intro')),
    h('div', { class: 'pg-layout' },
      h('section', { class: 'card pg-chat', 'aria-labelledby': 'pg-chat-title' },
        h('h2', { id: 'pg-chat-title' }, t('playground.chat')),
        h('div', { class: 'pg-setup' },
          h('div', { class: 'field' }, h('label', { for: 'pg-channel' }, t('playground.channel')), channel),
          h('div', { class: 'field' }, h('label', { for: 'pg-language' }, t('playground.language')), language),
          h('div', { class: 'field' }, h('label', { for: 'pg-name' }, t('playground.name')), name)),
        empty,
        log,
        h('form', { id: 'pg-form', class: 'pg-form', novalidate: true, onsubmit },
          h('div', { class: 'field' }, h('label', { for: 'pg-message' }, t('playground.message')), message),
          suggestions,
          error,
          h('div', { class: 'actions' }, send, reset)),
        h('div', { class: 'visually-hidden' }, h('h3', {}, t('playground.liveReply')), streaming),
        turnStatus),
      h('section', { class: 'card pg-side', 'aria-labelledby': 'pg-state-title' },
        h('h2', { id: 'pg-state-title' }, t('playground.stateTitle')),
        h('p', { class: 'pg-state-line' }, stateValue, ' ', previous),
        dl([t('playground.intent'), intent]),
        h('h3', {}, t('playground.scores')),
        dl([t('playground.temperature'), h('dd', {}, temperature)], [t('playground.health'), health], [t('playground.probability'), probability]),
        h('h3', {}, t('playground.bant')),
        h('ul', { class: 'pg-bant' }, BANT.map((d) => h('li', {},
          h('span', { id: `pg-bant-${d}-label` }, t(`playground.bant.${d}`)), bantRows[d].meter, bantRows[d].value))),
        dl([t('playground.bantOverall'), bantOverall]),
        leadLink)));
}

// Coach: pick a lead (search the lead list) and ask how to win them; the answer streams in (POST /api/chat/stream,
// mode coach). It is for the rep only: nothing is sent to the lead or stored. #/coach/{leadId} opens with that lead.
import { register } from '../i18n.js';
import strings from './coach.i18n.js';

register(strings);

const PAGE_SIZE = 10;

function languageName(code, lang) {
  try {
    return new Intl.DisplayNames([lang === 'de' ? 'de' : 'en'], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

export async function render(main, { api, t, h, params, signal, lang }) {
  const chosen = { lead: null, conversationId: null, busy: false };

  const search = h('input', { id: 'coach-search', name: 'q', type: 'search', autocomplete: 'off', maxlength: '100', 'aria-describedby': 'coach-search-hint' });
  const results = h('ul', { id: 'coach-results', class: 'coach-results', 'aria-label': t('coach.results') });
  const resultStatus = h('p', { id: 'coach-result-status', class: 'muted', role: 'status' });
  const selected = h('div', { id: 'coach-selected', class: 'coach-selected' }, h('p', { class: 'muted' }, t('coach.noLead')));

  const question = h('textarea', { id: 'coach-question', name: 'question', rows: '3', maxlength: '4000', required: true, 'aria-describedby': 'coach-error' });
  question.value = t('coach.defaultQuestion');
  const error = h('p', { id: 'coach-error', class: 'form-error', role: 'alert' });
  const ask = h('button', { type: 'submit', id: 'coach-ask', disabled: true }, t('coach.ask'));
  const answer = h('div', { id: 'coach-answer', class: 'coach-answer', 'aria-live': 'polite', 'aria-busy': 'false' });
  const answerStatus = h('p', { id: 'coach-status', class: 'muted', role: 'status' });
  const quick = h('div', { class: 'coach-quick', role: 'group', 'aria-label': t('coach.quick') },
    t('coach.quickQuestions').split('|').map((text) => h('button', { type: 'button', class: 'secondary coach-quick-q', onclick: () => {
      question.value = text;
      question.focus();
    } }, text)));

  async function find(event) {
    event?.preventDefault();
    const q = search.value.trim();
    resultStatus.textContent = t('coach.searching');
    try {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE), sort: '-updated' });
      if (q) {
        query.set('q', q);
      }
      const page = await api.get(`/api/leads?${query}`, { signal });
      results.replaceChildren(...page.items.map((lead) => h('li', {},
        h('button', {
          type: 'button', class: 'secondary coach-pick', 'data-lead': lead.id,
          'aria-pressed': chosen.lead?.id === lead.id ? 'true' : 'false',
          onclick: () => pick(lead.id),
        },
        h('span', { class: 'coach-pick-name' }, lead.name || lead.email || lead.phone || lead.id),
        ' ',
        lead.temperature ? h('span', { class: `badge ${lead.temperature}` }, t(`coach.temperature.${lead.temperature}`)) : null,
        lead.lastMessage?.text ? h('span', { class: 'coach-pick-last muted' }, lead.lastMessage.text) : null))));
      resultStatus.textContent = page.items.length === 1 ? t('coach.foundOne') : page.items.length ? t('coach.found', { n: page.items.length }) : t('coach.none');
    } catch (e) {
      if (e?.name !== 'AbortError') {
        resultStatus.textContent = e?.detail || e?.message || t('coach.failed');
      }
    }
  }

  async function pick(id) {
    error.textContent = '';
    try {
      const lead = await api.get(`/api/leads/${encodeURIComponent(id)}`, { signal });
      chosen.lead = lead;
      chosen.conversationId = lead.conversationId;
      for (const button of results.querySelectorAll('button[data-lead]')) {
        button.setAttribute('aria-pressed', button.dataset.lead === id ? 'true' : 'false');
      }
      const facts = [
        [t('coach.lead.name'), lead.name || lead.email || lead.phone || lead.id],
        [t('coach.lead.state'), lead.state ? t(`coach.stateName.${lead.state}`) : '–'],
        [t('coach.lead.language'), lead.language ? languageName(lead.language, lang) : '–'],
      ];
      selected.replaceChildren(...[
        h('h3', {}, t('coach.selected')),
        h('dl', { class: 'coach-facts' }, facts.map(([label, value]) => [h('dt', {}, label), h('dd', {}, value)])),
        h('p', {}, h('a', { href: `#/leads/${encodeURIComponent(lead.id)}` }, t('coach.openLead'))),
        lead.conversationId ? null : h('p', { class: 'notice warn' }, t('coach.noConversation')),
      ].filter(Boolean));
      ask.disabled = !lead.conversationId;
      answer.replaceChildren();
      answerStatus.textContent = '';
    } catch (e) {
      if (e?.name !== 'AbortError') {
        error.textContent = e?.status === 404 ? t('coach.leadGone') : (e?.detail || e?.message || t('coach.failed'));
      }
    }
  }

  async function onsubmit(event) {
    event.preventDefault();
    const text = question.value.trim();
    if (!chosen.conversationId) {
      error.textContent = t('coach.pickFirst');
      search.focus();
      return;
    }
    if (!text) {
      error.textContent = t('coach.emptyQuestion');
      question.setAttribute('aria-invalid', 'true');
      question.focus();
      return;
    }
    if (chosen.busy) {
      return;
    }
    chosen.busy = true;
    ask.disabled = true;
    error.textContent = '';
    question.removeAttribute('aria-invalid');
    const paragraph = h('p', { class: 'coach-text streaming' });
    answer.replaceChildren(paragraph);
    answer.setAttribute('aria-busy', 'true');
    answerStatus.textContent = t('coach.thinking');
    let tokens = 0;
    let done = null;
    try {
      await api.stream('/api/chat/stream', { conversationId: chosen.conversationId, message: text, mode: 'coach' }, (name, data) => {
        if (name === 'token') {
          tokens += 1;
          paragraph.append(data.text);
          answer.dataset.tokens = String(tokens);
        } else if (name === 'done') {
          done = data;
        } else if (name === 'error') {
          throw new Error(data?.message || t('coach.failed'));
        }
      }, { signal });
      if (!done) {
        throw new Error(t('coach.failed'));
      }
      paragraph.classList.remove('streaming');
      answerStatus.textContent = t('coach.answered');
    } catch (e) {
      if (e?.name === 'AbortError') {
        return;
      }
      answer.replaceChildren();
      answerStatus.textContent = '';
      error.textContent = e?.detail || e?.message || t('coach.failed');
    } finally {
      answer.setAttribute('aria-busy', 'false');
      chosen.busy = false;
      ask.disabled = !chosen.conversationId;
    }
  }

  main.append(
    h('h1', {}, t('coach.title')),
    h('p', { class: 'muted' }, t('coach.intro')),
    h('div', { class: 'coach-layout' },
      h('section', { class: 'card', 'aria-labelledby': 'coach-pick-title' },
        h('h2', { id: 'coach-pick-title' }, t('coach.pick')),
        h('form', { class: 'coach-search', role: 'search', onsubmit: find },
          h('div', { class: 'field' },
            h('label', { for: 'coach-search' }, t('coach.search')),
            h('div', { class: 'coach-search-row' }, search, h('button', { type: 'submit', id: 'coach-search-go' }, t('coach.searchButton'))),
            h('p', { id: 'coach-search-hint', class: 'hint' }, t('coach.searchHint')))),
        resultStatus,
        results),
      h('section', { class: 'card', 'aria-labelledby': 'coach-ask-title' },
        h('h2', { id: 'coach-ask-title' }, t('coach.askTitle')),
        selected,
        h('form', { id: 'coach-form', novalidate: true, onsubmit },
          h('div', { class: 'field' }, h('label', { for: 'coach-question' }, t('coach.question')), question),
          quick,
          error,
          h('div', { class: 'actions' }, ask)),
        h('h3', {}, t('coach.answer')),
        answerStatus,
        answer)));

  await find();
  if (params[0]) {
    await pick(params[0]);
  }
}

// Knowledge: the client's knowledge bases. Create one, upload documents and FAQs (JSON or CSV files, or one FAQ by
// hand), watch ingestion, and test a search to see which passages the AI would get and with what score.
import { fmtDate, fmtNumber } from '../dom.js';
import { register } from '../i18n.js';
import strings from './knowledge.i18n.js';

register(strings);

const POLL_MS = 2000;
const DOCUMENT_TYPES = { md: 'text/markdown', markdown: 'text/markdown', html: 'text/html', htm: 'text/html', txt: 'text/plain' };

/** FAQs from an uploaded JSON file: {faqs:[…]} or a bare array of {question, answer, id?}. */
function faqsFromJson(text) {
  const parsed = JSON.parse(text);
  return Array.isArray(parsed) ? { faqs: parsed } : parsed;
}

export async function render(main, { api, t, h, signal }) {
  const state = { bases: [], selected: null, poll: null };
  signal.addEventListener('abort', () => clearTimeout(state.poll));

  const fail = (target, e) => {
    if (e?.name === 'AbortError') {
      return;
    }
    target.textContent = e?.status === 413 ? t('knowledge.tooLarge', { detail: e.detail || '' }) : (e?.detail || e?.message || t('knowledge.failed'));
  };

  // Bases ------------------------------------------------------------------------------------------------------------
  const basesBody = h('tbody', { id: 'kb-bases' });
  const basesStatus = h('p', { class: 'muted', role: 'status' });
  const baseName = h('input', { id: 'kb-name', name: 'name', type: 'text', maxlength: '200', required: true, autocomplete: 'off', 'aria-describedby': 'kb-create-error' });
  const baseDescription = h('input', { id: 'kb-description', name: 'description', type: 'text', maxlength: '1000', autocomplete: 'off' });
  const createError = h('p', { id: 'kb-create-error', class: 'form-error', role: 'alert' });

  async function loadBases() {
    const page = await api.get('/api/knowledge/bases', { signal });
    state.bases = page.items;
    basesBody.replaceChildren(...state.bases.map((b) => h('tr', { 'data-base': b.id },
      h('th', { scope: 'row' }, h('button', {
        type: 'button', class: 'linklike kb-open', 'aria-pressed': state.selected === b.id ? 'true' : 'false', onclick: () => select(b.id),
      }, b.name)),
      h('td', {}, b.description || ''),
      h('td', { class: 'num' }, fmtNumber(b.stats.documents)),
      h('td', { class: 'num' }, fmtNumber(b.stats.faqs)),
      h('td', { class: 'num' }, fmtNumber(b.stats.chunks)),
      h('td', {}, ingestBadge(b.stats)),
      h('td', {}, fmtDate(b.stats.lastUpdate || b.updatedAt)))));
    basesStatus.textContent = state.bases.length ? '' : t('knowledge.noBases');
    searchBase.replaceChildren(h('option', { value: '' }, t('knowledge.search.allBases')),
      ...state.bases.map((b) => h('option', { value: b.id, selected: b.id === state.selected }, b.name)));
  }

  function ingestBadge(stats) {
    if (stats.failed > 0) {
      return h('span', { class: 'badge error' }, t('knowledge.ingest.failed', { n: stats.failed }));
    }
    if (stats.pending > 0) {
      return h('span', { class: 'badge warn' }, t('knowledge.ingest.pending', { n: stats.pending }));
    }
    return h('span', { class: 'badge ok' }, t('knowledge.ingest.ready'));
  }

  async function create(event) {
    event.preventDefault();
    createError.textContent = '';
    baseName.removeAttribute('aria-invalid');
    if (!baseName.value.trim()) {
      createError.textContent = t('knowledge.nameRequired');
      baseName.setAttribute('aria-invalid', 'true');
      baseName.focus();
      return;
    }
    try {
      const created = await api.post('/api/knowledge/bases', { name: baseName.value.trim(), description: baseDescription.value.trim() || null });
      baseName.value = '';
      baseDescription.value = '';
      state.selected = created.id;
      await loadBases();
      await select(created.id);
    } catch (e) {
      fail(createError, e);
      if (e?.field === 'name') {
        baseName.setAttribute('aria-invalid', 'true');
      }
    }
  }

  // One base: its sources and uploads ----------------------------------------------------------------------------------
  const detail = h('section', { id: 'kb-detail', class: 'card', 'aria-labelledby': 'kb-detail-title', hidden: true });
  const detailTitle = h('h2', { id: 'kb-detail-title' });
  const sourcesBody = h('tbody', { id: 'kb-sources' });
  const sourcesStatus = h('p', { id: 'kb-sources-status', class: 'muted', role: 'status' });

  const uploadKind = h('select', { id: 'kb-upload-kind', name: 'kind' },
    h('option', { value: 'faqs' }, t('knowledge.upload.faqs')),
    h('option', { value: 'document' }, t('knowledge.upload.document')));
  const uploadFile = h('input', { id: 'kb-upload-file', name: 'file', type: 'file', accept: '.csv,.json,.md,.markdown,.txt,.html,.htm', 'aria-describedby': 'kb-upload-hint kb-upload-error' });
  const uploadError = h('p', { id: 'kb-upload-error', class: 'form-error', role: 'alert' });
  const uploadStatus = h('p', { id: 'kb-upload-status', class: 'muted', role: 'status' });

  const faqQuestion = h('input', { id: 'kb-faq-question', name: 'question', type: 'text', maxlength: '1000', autocomplete: 'off', 'aria-describedby': 'kb-faq-error' });
  const faqAnswer = h('textarea', { id: 'kb-faq-answer', name: 'answer', rows: '3', maxlength: '8000', 'aria-describedby': 'kb-faq-error' });
  const faqError = h('p', { id: 'kb-faq-error', class: 'form-error', role: 'alert' });

  async function select(id) {
    state.selected = id;
    clearTimeout(state.poll);
    for (const button of basesBody.querySelectorAll('button.kb-open')) {
      button.setAttribute('aria-pressed', button.closest('tr').dataset.base === id ? 'true' : 'false');
    }
    searchBase.value = id;
    detail.hidden = false;
    await loadSources();
  }

  async function loadSources() {
    const id = state.selected;
    const page = await api.get(`/api/knowledge/bases/${encodeURIComponent(id)}`, { signal });
    if (id !== state.selected) {
      return;
    }
    detailTitle.textContent = t('knowledge.detail', { name: page.knowledgeBase.name });
    sourcesBody.replaceChildren(...page.sources.map((s) => h('tr', { 'data-source': s.id },
      h('th', { scope: 'row' }, s.title || s.id),
      h('td', {}, t(`knowledge.kind.${s.kind}`)),
      h('td', {}, h('span', { class: `badge ${s.status === 'ready' ? 'ok' : s.status === 'failed' ? 'error' : 'warn'}` }, t(`knowledge.status.${s.status}`)),
        s.error ? h('span', { class: 'kb-error' }, ` ${s.error}`) : null),
      h('td', { class: 'num' }, fmtNumber(s.chunks)),
      h('td', {}, fmtDate(s.updatedAt)))));
    sourcesStatus.textContent = page.sources.length === 1 ? t('knowledge.sourcesOne') : page.sources.length ? t('knowledge.sourcesCount', { n: page.sources.length }) : t('knowledge.noSources');
    const stats = page.knowledgeBase.stats;
    if (stats.pending > 0) {
      // Large documents are ingested as queue work: look again until they are ready or failed.
      state.poll = setTimeout(() => loadSources().then(loadBases).catch(() => {}), POLL_MS);
    }
  }

  async function upload(event) {
    event.preventDefault();
    uploadError.textContent = '';
    uploadStatus.textContent = '';
    const file = uploadFile.files?.[0];
    if (!file) {
      uploadError.textContent = t('knowledge.upload.noFile');
      uploadFile.focus();
      return;
    }
    const base = encodeURIComponent(state.selected);
    const extension = (file.name.split('.').pop() || '').toLowerCase();
    uploadStatus.textContent = t('knowledge.upload.sending', { name: file.name });
    try {
      const text = await file.text();
      if (uploadKind.value === 'faqs') {
        let result;
        if (extension === 'csv') {
          result = await api.post(`/api/knowledge/bases/${base}/faqs/bulk`, text, { contentType: 'text/csv' });
        } else if (extension === 'json') {
          let body;
          try {
            body = faqsFromJson(text);
          } catch {
            throw new Error(t('knowledge.upload.badJson'));
          }
          result = await api.post(`/api/knowledge/bases/${base}/faqs/bulk`, body);
        } else {
          throw new Error(t('knowledge.upload.faqType'));
        }
        uploadStatus.textContent = t(result.imported === 1 ? 'knowledge.upload.faqDone' : 'knowledge.upload.faqsDone', { n: result.imported });
      } else {
        const contentType = DOCUMENT_TYPES[extension];
        if (!contentType) {
          throw new Error(t('knowledge.upload.documentType'));
        }
        const title = file.name.replace(/\.[^.]+$/, '');
        const source = await api.post(`/api/knowledge/bases/${base}/documents?title=${encodeURIComponent(title)}`, text, { contentType });
        uploadStatus.textContent = t(source.status === 'ready' ? 'knowledge.upload.documentReady' : 'knowledge.upload.documentQueued', { name: file.name });
      }
      uploadFile.value = '';
      await loadSources();
      await loadBases();
    } catch (e) {
      uploadStatus.textContent = '';
      fail(uploadError, e);
    }
  }

  async function addFaq(event) {
    event.preventDefault();
    faqError.textContent = '';
    try {
      await api.post(`/api/knowledge/bases/${encodeURIComponent(state.selected)}/faqs`, { question: faqQuestion.value.trim(), answer: faqAnswer.value.trim() });
      faqQuestion.value = '';
      faqAnswer.value = '';
      uploadStatus.textContent = t('knowledge.faq.added');
      await loadSources();
      await loadBases();
    } catch (e) {
      fail(faqError, e);
      (e?.field === 'answer' ? faqAnswer : faqQuestion).focus();
    }
  }

  async function removeAll() {
    if (!confirm(t('knowledge.clearConfirm'))) {
      return;
    }
    try {
      await api.post(`/api/knowledge/bases/${encodeURIComponent(state.selected)}/clear`, {});
      await loadSources();
      await loadBases();
    } catch (e) {
      fail(uploadError, e);
    }
  }

  // Search ---------------------------------------------------------------------------------------------------------------
  const searchQuery = h('input', { id: 'kb-query', name: 'query', type: 'search', maxlength: '1000', autocomplete: 'off', 'aria-describedby': 'kb-search-error' });
  const searchBase = h('select', { id: 'kb-search-base', name: 'knowledgeBaseId' });
  const searchMode = h('select', { id: 'kb-search-mode', name: 'mode' },
    ['hybrid', 'keyword', 'vector'].map((m) => h('option', { value: m }, t(`knowledge.mode.${m}`))));
  const searchError = h('p', { id: 'kb-search-error', class: 'form-error', role: 'alert' });
  const searchStatus = h('p', { id: 'kb-search-status', class: 'muted', role: 'status' });
  const passages = h('ol', { id: 'kb-passages', class: 'kb-passages' });

  async function runSearch(event) {
    event.preventDefault();
    searchError.textContent = '';
    searchQuery.removeAttribute('aria-invalid');
    if (!searchQuery.value.trim()) {
      searchError.textContent = t('knowledge.search.empty');
      searchQuery.setAttribute('aria-invalid', 'true');
      searchQuery.focus();
      return;
    }
    searchStatus.textContent = t('knowledge.search.running');
    try {
      const result = await api.post('/api/knowledge/search', { query: searchQuery.value.trim(), knowledgeBaseId: searchBase.value || null, mode: searchMode.value, top: 5 }, { signal });
      const names = Object.fromEntries(state.bases.map((b) => [b.id, b.name]));
      passages.replaceChildren(...result.passages.map((p) => h('li', { class: 'kb-passage' },
        h('div', { class: 'kb-passage-head' },
          h('strong', {}, p.title || p.sourceId),
          h('span', { class: 'badge' }, t(`knowledge.kind.${p.kind}`)),
          h('span', { class: 'kb-score' }, t('knowledge.search.score', { score: fmtNumber(p.score, { maximumFractionDigits: 3 }) })),
          names[p.knowledgeBaseId] ? h('span', { class: 'muted' }, names[p.knowledgeBaseId]) : null),
        h('meter', { min: '0', max: '1', value: String(Math.min(1, Math.max(0, p.score))), 'aria-label': t('knowledge.search.scoreLabel', { title: p.title || p.sourceId }) }),
        h('p', { class: 'kb-passage-text' }, p.text))));
      searchStatus.textContent = result.passages.length === 1 ? t('knowledge.search.foundOne') : result.passages.length ? t('knowledge.search.found', { n: result.passages.length }) : t('knowledge.search.none');
    } catch (e) {
      searchStatus.textContent = '';
      fail(searchError, e);
    }
  }

  detail.append(
    detailTitle,
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('knowledge.sources') }, h('table', { class: 'kb-table' },
      h('caption', { class: 'visually-hidden' }, t('knowledge.sources')),
      h('thead', {}, h('tr', {}, ['title', 'kind', 'status', 'chunks', 'updated'].map((c) => h('th', { scope: 'col', class: c === 'chunks' ? 'num' : null }, t(`knowledge.col.${c}`))))),
      sourcesBody)),
    sourcesStatus,
    h('div', { class: 'kb-forms' },
      h('form', { id: 'kb-upload-form', class: 'kb-form', novalidate: true, onsubmit: upload, 'aria-labelledby': 'kb-upload-title' },
        h('h3', { id: 'kb-upload-title' }, t('knowledge.upload.title')),
        h('div', { class: 'field' }, h('label', { for: 'kb-upload-kind' }, t('knowledge.upload.kind')), uploadKind),
        h('div', { class: 'field' }, h('label', { for: 'kb-upload-file' }, t('knowledge.upload.file')), uploadFile,
          h('p', { id: 'kb-upload-hint', class: 'hint' }, t('knowledge.upload.hint'))),
        uploadError,
        h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'kb-upload' }, t('knowledge.upload.submit'))),
        uploadStatus),
      h('form', { id: 'kb-faq-form', class: 'kb-form', novalidate: true, onsubmit: addFaq, 'aria-labelledby': 'kb-faq-title' },
        h('h3', { id: 'kb-faq-title' }, t('knowledge.faq.title')),
        h('div', { class: 'field' }, h('label', { for: 'kb-faq-question' }, t('knowledge.faq.question')), faqQuestion),
        h('div', { class: 'field' }, h('label', { for: 'kb-faq-answer' }, t('knowledge.faq.answer')), faqAnswer),
        faqError,
        h('div', { class: 'actions' },
          h('button', { type: 'submit', id: 'kb-faq-add' }, t('knowledge.faq.submit')),
          h('button', { type: 'button', class: 'danger', id: 'kb-clear', onclick: removeAll }, t('knowledge.clear'))))));

  main.append(
    h('h1', {}, t('knowledge.title')),
    h('p', { class: 'muted' }, t('knowledge.intro')),
    h('section', { class: 'card', 'aria-labelledby': 'kb-bases-title' },
      h('h2', { id: 'kb-bases-title' }, t('knowledge.bases')),
      h('div', { class: 'table-wrap' }, h('table', { class: 'kb-table' },
        h('caption', { class: 'visually-hidden' }, t('knowledge.bases')),
        h('thead', {}, h('tr', {}, ['name', 'description', 'documents', 'faqs', 'chunks', 'ingestion', 'updated'].map((c) =>
          h('th', { scope: 'col', class: ['documents', 'faqs', 'chunks'].includes(c) ? 'num' : null }, t(`knowledge.col.${c}`))))),
        basesBody)),
      basesStatus,
      h('form', { id: 'kb-create-form', class: 'kb-create', novalidate: true, onsubmit: create, 'aria-labelledby': 'kb-create-title' },
        h('h3', { id: 'kb-create-title' }, t('knowledge.create')),
        h('div', { class: 'kb-create-fields' },
          h('div', { class: 'field' }, h('label', { for: 'kb-name' }, t('knowledge.name')), baseName),
          h('div', { class: 'field' }, h('label', { for: 'kb-description' }, t('knowledge.description')), baseDescription)),
        createError,
        h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'kb-create' }, t('knowledge.createSubmit'))))),
    detail,
    h('section', { class: 'card', 'aria-labelledby': 'kb-search-title' },
      h('h2', { id: 'kb-search-title' }, t('knowledge.search.title')),
      h('form', { id: 'kb-search-form', role: 'search', novalidate: true, onsubmit: runSearch },
        h('div', { class: 'kb-search-fields' },
          h('div', { class: 'field kb-query' }, h('label', { for: 'kb-query' }, t('knowledge.search.query')), searchQuery),
          h('div', { class: 'field' }, h('label', { for: 'kb-search-base' }, t('knowledge.search.base')), searchBase),
          h('div', { class: 'field' }, h('label', { for: 'kb-search-mode' }, t('knowledge.search.mode')), searchMode)),
        searchError,
        h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'kb-search' }, t('knowledge.search.submit')))),
      searchStatus,
      passages));

  await loadBases();
  if (state.bases.length) {
    await select(state.bases[0].id);
  }
}

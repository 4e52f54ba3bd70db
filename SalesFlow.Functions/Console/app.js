// The console shell: header (language, sign-out), navigation of the pages and the hash router. For #/x/a/b it loads
// pages/x.js (+ x.css, x.i18n.js) and calls render(main, ctx) with ctx = { api, t, params: ['a', 'b'], navigate, lang,
// h, signal }; signal aborts when the user leaves the page (streams, polling).
import { api, ApiError } from './api.js';
import { h } from './dom.js';
import { lang, register, setLang, t } from './i18n.js';
import shellStrings from './app.i18n.js';

register(shellStrings);

/** The pages in the navigation, in order ("lead" is the leads page with an id: #/leads/{id}). */
export const PAGES = ['leads', 'playground', 'coach', 'knowledge', 'analytics', 'operations', 'settings'];
const NAV = [...PAGES.slice(0, 1), 'lead', ...PAGES.slice(1)];
const KNOWN = new Set([...PAGES, 'signin']);

let app;
let main;
let current = null; // { token, controller }
let lastRoute = '';

export function navigate(hash) {
  if (location.hash === hash) {
    route();
  } else {
    location.hash = hash;
  }
}

function parse(hash) {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  return { page: parts[0] ?? '', params: parts.slice(1) };
}

function languageSwitch() {
  const select = h('select', { id: 'lang', name: 'lang', class: 'lang-select', onchange: (e) => {
    setLang(e.target.value);
    lastRoute = '';
    route().then(() => document.getElementById('lang')?.focus()); // the switch is drawn anew: keep the keyboard on it
  } },
  h('option', { value: 'en', selected: lang() === 'en', lang: 'en' }, 'English'),
  h('option', { value: 'de', selected: lang() === 'de', lang: 'de' }, 'Deutsch'));
  return h('div', { class: 'lang' }, h('label', { for: 'lang', class: 'visually-hidden' }, t('shell.language')), select);
}

function navigation(page, params) {
  const active = page === 'leads' && params.length > 0 ? 'lead' : page;
  const link = (name) => h('li', {}, h('a', { href: name === 'lead' ? location.hash : `#/${name}`, 'data-page': name, 'aria-current': name === active ? 'page' : null }, t(`nav.${name}`)));
  // "Lead" is the leads page with an id: listed while a lead is open, under "Leads".
  const items = NAV.filter((name) => name !== 'lead' || active === 'lead');
  return h('nav', { id: 'nav', class: 'nav', 'aria-label': t('shell.nav') },
    h('ul', {}, items.map(link)),
    h('p', { class: 'nav-extra' }, h('a', { href: '/api-reference', target: '_blank', rel: 'noopener' }, t('shell.apiReference'))));
}

function header(signedIn) {
  const skip = h('a', { class: 'skip-link', href: '#main', onclick: (e) => {
    e.preventDefault(); // the hash is the router's
    main.focus();
  } }, t('shell.skip'));
  const who = signedIn && api.me ? h('span', { class: 'who' }, t('shell.signedInAs', { name: api.me.name })) : null;
  const signOut = signedIn ? h('button', { type: 'button', class: 'button secondary', id: 'sign-out', onclick: () => {
    api.signOut();
    navigate('#/signin');
  } }, t('shell.signOut')) : null;
  return [skip, h('header', { class: 'topbar' },
    h('a', { class: 'brand', href: signedIn ? '#/leads' : '#/signin' }, t('shell.brand')),
    h('div', { class: 'topbar-actions' }, who, languageSwitch(), signOut))];
}

function renderShell(page, params) {
  const signedIn = page !== 'signin' && api.hasKey();
  main = h('main', { id: 'main', class: 'main', tabindex: '-1' });
  app.replaceChildren(...header(signedIn), h('div', { class: signedIn ? 'layout' : 'layout no-nav' }, signedIn ? navigation(page, params) : null, main));
  document.documentElement.lang = lang();
  app.classList.toggle('signed-out', !signedIn);
}

function errorPanel(message, retry) {
  return h('section', { class: 'error-panel', role: 'alert', 'aria-labelledby': 'error-title' },
    h('h1', { id: 'error-title' }, t('shell.error.title')),
    h('p', {}, message || t('shell.error.body')),
    h('div', { class: 'actions' },
      retry ? h('button', { type: 'button', class: 'button', onclick: retry }, t('shell.error.retry')) : null,
      h('a', { class: 'button secondary', href: '#/leads' }, t('shell.error.home'))));
}

function linkCss(page) {
  const href = `/console/pages/${page}.css`;
  if (!document.querySelector(`link[data-page="${page}"]`)) {
    document.head.append(h('link', { rel: 'stylesheet', href, 'data-page': page }));
  }
}

function loadPage(page) {
  linkCss(page);
  return Promise.all([import(`./pages/${page}.i18n.js`), import(`./pages/${page}.js`)]);
}

async function route() {
  const { page: requested, params } = parse(location.hash);
  if (!requested) {
    navigate(api.hasKey() ? '#/leads' : '#/signin');
    return;
  }
  if (requested !== 'signin' && !api.hasKey()) {
    navigate('#/signin');
    return;
  }

  current?.controller.abort();
  const controller = new AbortController();
  const token = {};
  current = { token, controller };
  const focusMain = lastRoute !== '' && lastRoute !== location.hash;
  lastRoute = location.hash;

  // The page's strings, module and styles load while /api/me answers, side by side (not three round trips in a row).
  const loading = KNOWN.has(requested) ? loadPage(requested) : null;
  loading?.catch(() => {}); // a failure is shown below, where it is awaited

  if (requested !== 'signin' && !api.me) {
    try {
      await api.loadMe();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        return; // api.js sent the user to #/signin
      }
      // unreachable or failing: the page below shows its own error
    }
    if (current.token !== token) {
      return;
    }
  }

  renderShell(requested, params);
  document.title = `${t(`nav.${requested === 'leads' && params.length ? 'lead' : requested}`)} · SalesFlow`;
  if (!KNOWN.has(requested)) {
    main.replaceChildren(errorPanel(t('shell.error.notFound', { page: requested })));
    return;
  }

  main.replaceChildren(h('p', { class: 'loading', role: 'status' }, t('shell.loading')));
  try {
    const [strings, module] = await loading;
    register(strings.default);
    if (current.token !== token) {
      return;
    }
    main.replaceChildren();
    await module.render(main, { api, t, params, navigate, lang: lang(), h, signal: controller.signal });
  } catch (e) {
    if (current.token !== token || e?.name === 'AbortError') {
      return;
    }
    if (e instanceof ApiError && e.status === 401) {
      return;
    }
    console.error(e);
    const message = e instanceof ApiError && e.status === 0 ? t('shell.error.unreachable') : null;
    main.replaceChildren(errorPanel(message, () => {
      lastRoute = '';
      route();
    }));
  }
  if (focusMain && current.token === token) {
    main.focus();
  }
}

function start() {
  app = document.getElementById('app');
  window.addEventListener('hashchange', route);
  route();
}

start();

// English and German strings: every page registers its own keys (prefixed "<page>."); t() falls back to English.
const dictionaries = { en: {}, de: {} };
const STORAGE_KEY = 'salesflow.lang';

function initialLanguage() {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === 'en' || stored === 'de') {
      return stored;
    }
  } catch {
    // storage blocked: the browser's language below
  }
  return (navigator.language || 'en').toLowerCase().startsWith('de') ? 'de' : 'en';
}

let current = initialLanguage();

/** Adds a bundle { en: {...}, de: {...} }; registering the same bundle twice is harmless. */
export function register(bundle) {
  for (const language of ['en', 'de']) {
    Object.assign(dictionaries[language], bundle?.[language] ?? {});
  }
}

/** 'en' or 'de'. */
export function lang() {
  return current;
}

/** Switches the language and remembers it (localStorage); the shell re-renders the page. */
export function setLang(language) {
  if (language !== 'en' && language !== 'de') {
    throw new Error(`Unknown language ${language}`);
  }
  current = language;
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // not remembered, still switched
  }
  document.documentElement.lang = language;
}

/** t('leads.title') or t('leads.count', { n: 3 }) with "{n} leads"; an unknown key shows itself (easy to spot). */
export function t(key, vars) {
  const text = dictionaries[current][key] ?? dictionaries.en[key] ?? key;
  return vars ? text.replace(/\{(\w+)\}/g, (match, name) => (name in vars ? String(vars[name]) : match)) : text;
}

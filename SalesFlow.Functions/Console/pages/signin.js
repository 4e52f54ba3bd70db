// Sign-in: the client's API key, checked with GET /api/me and kept in sessionStorage (api.js) only when it works.
import { register } from '../i18n.js';
import strings from './signin.i18n.js';

register(strings);

export async function render(main, { api, t, h, navigate }) {
  const error = h('p', { id: 'signin-error', class: 'form-error', role: 'alert' });
  const key = h('input', {
    id: 'signin-key', name: 'apiKey', type: 'password', autocomplete: 'current-password', spellcheck: 'false',
    required: true, 'aria-describedby': 'signin-hint signin-error',
  });
  const submit = h('button', { type: 'submit', id: 'signin-submit' }, t('signin.submit'));
  const status = h('p', { class: 'muted', role: 'status' });

  const fail = (message) => {
    error.textContent = message;
    key.setAttribute('aria-invalid', 'true');
    key.focus();
  };

  const onsubmit = async (event) => {
    event.preventDefault();
    error.textContent = '';
    key.removeAttribute('aria-invalid');
    const value = key.value.trim();
    if (!value) {
      fail(t('signin.empty'));
      return;
    }
    submit.disabled = true;
    status.textContent = t('signin.checking');
    try {
      await api.signIn(value);
      navigate('#/leads');
    } catch (e) {
      status.textContent = '';
      submit.disabled = false;
      if (e?.status === 401) {
        fail(t('signin.wrong'));
      } else if (e?.status === 0) {
        fail(t('signin.unreachable'));
      } else {
        fail(t('signin.failed', { status: e?.status ?? '?' }));
      }
    }
  };

  main.append(h('div', { class: 'signin' },
    h('h1', {}, t('signin.title')),
    h('div', { class: 'card' },
      h('p', {}, t('signin.intro')),
      h('form', { id: 'signin-form', novalidate: true, onsubmit },
        h('div', { class: 'field' },
          h('label', { for: 'signin-key' }, t('signin.key')),
          key,
          h('p', { id: 'signin-hint', class: 'hint' }, t('signin.hint'))),
        error,
        h('div', { class: 'actions' }, submit),
        status))));
  key.focus();
}

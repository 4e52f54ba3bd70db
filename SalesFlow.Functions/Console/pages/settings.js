// Settings: the client's configuration as a form. Saves a JSON merge patch of what changed (RFC 7396). Secrets are
// write-only: GET masks them, the form never shows or sends the mask; an empty secret field leaves the secret as is,
// and a stored secret has a "remove" checkbox that sends null for it.
const MERGE_PATCH = 'application/merge-patch+json';

/** kind: text | secret | list (one per line) | number | time | bool | map (key=value per line). */
const SECTIONS = [
  ['channels', [
    ['whatsapp.phoneNumberId', 'text'], ['whatsapp.accessToken', 'secret'], ['whatsapp.appSecret', 'secret'], ['whatsapp.verifyToken', 'secret'],
    ['twilio.accountSid', 'text'], ['twilio.authToken', 'secret'], ['twilio.smsFrom', 'text'], ['twilio.whatsAppFrom', 'text'], ['twilio.messagingServiceSid', 'text'],
    ['email.fromAddress', 'text'], ['email.fromName', 'text'], ['email.sendGridApiKey', 'secret'], ['email.webhookSecret', 'secret'], ['email.eventWebhookPublicKey', 'text'],
  ]],
  ['cadence', [['followUps.cadence', 'list'], ['timeZone', 'text'], ['language', 'text']]],
  ['quiet', [['quietHours.start', 'time'], ['quietHours.end', 'time'], ['quietHours.weekends', 'bool']]],
  ['templates', [['whatsapp.templates.followUp.name', 'text'], ['whatsapp.templates.followUp.language', 'text']]],
  ['alerts', [['alerts.emails', 'list'], ['alerts.onCallNumber', 'text']]],
  ['integrations', [
    ['calcom.apiKey', 'secret'], ['calcom.eventTypeId', 'number'], ['calcom.durationMinutes', 'number'], ['calcom.webhookSecret', 'secret'],
    ['hubspot.accessToken', 'secret'], ['hubspot.pipelineId', 'text'], ['hubspot.stageMap', 'map'], ['hubspot.clientSecret', 'secret'],
  ]],
  ['compliance', [['compliance.bannedPhrases', 'list'], ['compliance.aiDisclosure', 'text']]],
];

const idOf = (path) => `cfg-${path.replace(/\./g, '-')}`;

function read(config, path) {
  return path.split('.').reduce((node, key) => (node === null || node === undefined ? undefined : node[key]), config);
}

/** The form's text for a stored value (secrets: always empty). */
function toInput(kind, value) {
  if (value === null || value === undefined || kind === 'secret') {
    return kind === 'bool' ? false : '';
  }
  if (kind === 'list') {
    return value.join('\n');
  }
  if (kind === 'map') {
    return Object.entries(value).map(([k, v]) => `${k}=${v}`).join('\n');
  }
  return kind === 'bool' ? Boolean(value) : String(value);
}

/** The JSON value for the form's text; null removes the field (merge patch). */
function fromInput(kind, raw) {
  if (kind === 'bool') {
    return raw;
  }
  const text = raw.trim();
  if (text === '') {
    return null;
  }
  if (kind === 'list') {
    return text.split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
  }
  if (kind === 'map') {
    return Object.fromEntries(text.split(/\r?\n/).map((s) => s.trim()).filter(Boolean).map((line) => {
      const at = line.indexOf('=');
      return at < 0 ? [line, ''] : [line.slice(0, at).trim(), line.slice(at + 1).trim()];
    }));
  }
  return kind === 'number' && /^-?\d+$/.test(text) ? Number(text) : text;
}

function setPath(patch, path, value) {
  const keys = path.split('.');
  let node = patch;
  keys.slice(0, -1).forEach((key) => {
    node[key] ??= {};
    node = node[key];
  });
  node[keys.at(-1)] = value;
}

/** The form field a problem names: "followUps.cadence[1]" → followUps.cadence, "hubspot.stageMap.won" → hubspot.stageMap. */
function fieldFor(fields, name) {
  if (!name) {
    return null;
  }
  const path = name.replace(/\[\d+\]/g, '');
  return fields.find((f) => f.path === path) ?? fields.filter((f) => path.startsWith(`${f.path}.`)).sort((a, b) => b.path.length - a.path.length)[0] ?? null;
}

export async function render(main, { api, t, h, signal }) {
  const url = `/api/clients/${encodeURIComponent(api.clientId)}/config`;
  let { data: config, etag } = await api.get(url, { signal, full: true });

  const fields = [];
  const status = h('p', { id: 'settings-status', role: 'status', class: 'settings-status' });
  const formError = h('p', { id: 'settings-error', class: 'form-error', role: 'alert' });

  const control = (path, kind) => {
    const id = idOf(path);
    const hintId = `${id}-hint`;
    const errorId = `${id}-error`;
    const describedBy = `${hintId} ${errorId}`;
    const error = h('p', { id: errorId, class: 'form-error field-error' });
    const hint = h('p', { id: hintId, class: 'hint' }, t(`settings.hint.${kind}`) === `settings.hint.${kind}` ? '' : t(`settings.hint.${kind}`));
    let input;
    if (kind === 'bool') {
      input = h('input', { id, name: path, type: 'checkbox', 'aria-describedby': describedBy });
    } else if (kind === 'list' || kind === 'map') {
      input = h('textarea', { id, name: path, rows: 4, spellcheck: 'false', 'aria-describedby': describedBy });
    } else {
      input = h('input', {
        id, name: path, type: kind === 'secret' ? 'password' : kind === 'number' ? 'number' : 'text',
        autocomplete: kind === 'secret' ? 'new-password' : 'off', spellcheck: 'false', 'aria-describedby': describedBy,
        inputmode: kind === 'number' ? 'numeric' : null, placeholder: kind === 'time' ? 'HH:mm' : null,
      });
    }
    const field = { path, kind, input, error, hint, initial: null, remove: null };
    fields.push(field);
    const label = h('label', { for: id }, t(`settings.f.${path}`));
    if (kind === 'secret') {
      // Shown only while a secret is stored (fill() toggles it); checked, the save removes the secret.
      field.remove = h('input', { id: `${id}-remove`, type: 'checkbox', onchange: () => { input.disabled = field.remove.checked; } });
      field.removeRow = h('div', { class: 'check-row secret-remove', hidden: true }, field.remove,
        h('label', { for: `${id}-remove` }, t('settings.secret.remove', { field: t(`settings.f.${path}`) })));
      return h('div', { class: 'field' }, label, input, hint, field.removeRow, error);
    }
    return kind === 'bool'
      ? h('div', { class: 'field field-check' }, h('div', { class: 'check-row' }, input, label), hint, error)
      : h('div', { class: 'field' }, label, input, hint, error);
  };

  /** Fills the form from the config GET answered; secrets show only whether one is set (and its masked tail). */
  const fill = () => {
    for (const f of fields) {
      const value = read(config, f.path);
      f.initial = toInput(f.kind, value);
      if (f.kind === 'bool') {
        f.input.checked = f.initial;
      } else {
        f.input.value = f.initial;
      }
      if (f.kind === 'secret') {
        f.hint.textContent = value ? t('settings.secret.set', { mask: value }) : t('settings.secret.unset');
        f.remove.checked = false;
        f.input.disabled = false;
        f.removeRow.hidden = !value;
      }
      f.input.removeAttribute('aria-invalid');
      f.error.textContent = '';
    }
  };

  const patch = () => {
    const body = {};
    for (const f of fields) {
      const raw = f.kind === 'bool' ? f.input.checked : f.input.value;
      if (f.kind === 'secret') {
        if (f.remove.checked && !f.removeRow.hidden) {
          setPath(body, f.path, null); // merge patch: null removes the stored secret
        } else if (raw.trim() !== '') {
          setPath(body, f.path, raw.trim()); // a new secret replaces the stored one; empty leaves it unchanged
        }
      } else if (raw !== f.initial) {
        setPath(body, f.path, fromInput(f.kind, raw));
      }
    }
    return body;
  };

  const save = h('button', { type: 'submit', id: 'settings-save' }, t('settings.save'));
  const onsubmit = async (event) => {
    event.preventDefault();
    formError.textContent = '';
    status.textContent = '';
    fields.forEach((f) => {
      f.error.textContent = '';
      f.input.removeAttribute('aria-invalid');
    });
    const body = patch();
    if (Object.keys(body).length === 0) {
      status.textContent = t('settings.nothing');
      return;
    }
    save.disabled = true;
    try {
      ({ data: config, etag } = await api.patch(url, JSON.stringify(body), { contentType: MERGE_PATCH, ifMatch: etag, full: true }));
      fill();
      status.textContent = t('settings.saved');
    } catch (e) {
      if (e?.status === 412) {
        ({ data: config, etag } = await api.get(url, { full: true }));
        fill();
        formError.textContent = t('settings.conflict');
      } else {
        const field = fieldFor(fields, e?.field);
        if (field) {
          field.error.textContent = e.title;
          field.input.setAttribute('aria-invalid', 'true');
          field.input.focus();
        }
        formError.textContent = field ? t('settings.invalid', { field: t(`settings.f.${field.path}`) }) : (e?.title || String(e));
      }
    } finally {
      save.disabled = false;
    }
  };

  const form = h('form', { id: 'settings-form', novalidate: true, onsubmit },
    SECTIONS.map(([name, list]) => h('fieldset', { class: 'card settings-group' },
      h('legend', {}, h('h2', { class: 'settings-legend' }, t(`settings.s.${name}`))),
      h('div', { class: 'settings-grid' }, list.map(([path, kind]) => control(path, kind))))),
    formError,
    h('div', { class: 'actions settings-actions' }, save),
    status);

  main.append(h('h1', {}, t('settings.title')), h('p', { class: 'muted' }, t('settings.intro')), form);
  fill();
}

// The console's HTTP client: the client's API key (sessionStorage) as bearer token, problem+json errors as ApiError,
// server-sent events over fetch (EventSource can neither POST nor send headers).
const KEY_STORAGE = 'salesflow.apiKey';

/** A failed call: status 0 when the app could not be reached; title/detail/field from the problem+json body. */
export class ApiError extends Error {
  constructor(status, title, detail = '', field = null) {
    super(detail || title);
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.field = field;
  }
}

function storedKey() {
  try {
    return sessionStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}

async function errorFrom(response) {
  let problem = {};
  try {
    problem = await response.json();
  } catch {
    // not JSON: status text only
  }
  return new ApiError(response.status, problem.title || response.statusText || `HTTP ${response.status}`, problem.detail || '', problem.field || null);
}

function onUnauthorized() {
  api.clientId = null;
  try {
    sessionStorage.removeItem(KEY_STORAGE);
  } catch {
    // nothing stored
  }
  if (!location.hash.startsWith('#/signin')) {
    location.hash = '#/signin';
  }
}

async function send(method, path, body, options = {}) {
  const headers = { Accept: options.accept || 'application/json' };
  const key = options.key ?? storedKey();
  if (key) {
    headers.Authorization = `Bearer ${key}`;
  }
  if (options.ifMatch) {
    headers['If-Match'] = options.ifMatch;
  }
  let payload;
  if (body !== undefined && body !== null) {
    const raw = typeof body === 'string' || body instanceof Blob || body instanceof FormData;
    payload = raw ? body : JSON.stringify(body);
    if (!(body instanceof FormData)) {
      headers['Content-Type'] = options.contentType || (raw ? 'text/plain' : 'application/json');
    }
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body: payload, signal: options.signal, cache: 'no-store' });
  } catch (e) {
    if (e?.name === 'AbortError') {
      throw e;
    }
    throw new ApiError(0, 'unreachable', String(e?.message ?? e));
  }
  if (!response.ok) {
    const error = await errorFrom(response);
    if (response.status === 401 && !options.noRedirect) {
      onUnauthorized();
    }
    throw error;
  }
  return response;
}

async function read(response, full) {
  const type = response.headers.get('Content-Type') || '';
  const data = response.status === 204 ? null : type.includes('json') ? await response.json() : await response.text();
  return full ? { data, status: response.status, etag: response.headers.get('ETag'), headers: response.headers } : data;
}

/** Splits an SSE stream into events: "event:" names it, "data:" lines (joined) are parsed as JSON when they are. */
async function readEvents(response, onEvent) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const dispatch = (block) => {
    let name = 'message';
    const data = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('event:')) {
        name = line.slice(6).trim();
      } else if (line.startsWith('data:')) {
        data.push(line.slice(5).replace(/^ /, ''));
      }
    }
    if (data.length === 0) {
      return;
    }
    const text = data.join('\n');
    let value = text;
    try {
      value = JSON.parse(text);
    } catch {
      // plain text data
    }
    onEvent(name, value);
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      break;
    }
    buffer += value;
    let end;
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      dispatch(buffer.slice(0, end));
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
    }
  }
  if (buffer.trim()) {
    dispatch(buffer);
  }
}

export const api = {
  /** The signed-in client's id (from GET /api/me), null before sign-in. */
  clientId: null,
  /** The signed-in client's {clientId, name, timeZone}. */
  me: null,

  /** GET; options.full → { data, status, etag, headers } (e.g. the ETag for a later If-Match). */
  async get(path, options = {}) {
    return read(await send('GET', path, undefined, options), options.full);
  },
  async post(path, body, options = {}) {
    return read(await send('POST', path, body, options), options.full);
  },
  /** PATCH with options { ifMatch, contentType } (e.g. 'application/merge-patch+json'). */
  async patch(path, body, options = {}) {
    return read(await send('PATCH', path, body, options), options.full);
  },
  async del(path, options = {}) {
    return read(await send('DELETE', path, undefined, options), options.full);
  },
  /** POSTs body and calls onEvent(name, data) for every server-sent event until the stream ends; options.signal aborts. */
  async stream(path, body, onEvent, options = {}) {
    const response = await send('POST', path, body, { ...options, accept: 'text/event-stream' });
    await readEvents(response, onEvent);
  },

  hasKey() {
    return Boolean(storedKey());
  },
  /** Checks the key with GET /api/me; keeps it (sessionStorage) only when it works. Throws ApiError (401, 0 unreachable). */
  async signIn(key) {
    const me = await read(await send('GET', '/api/me', undefined, { key, noRedirect: true }));
    sessionStorage.setItem(KEY_STORAGE, key);
    api.me = me;
    api.clientId = me.clientId;
    return me;
  },
  /** Loads who the stored key belongs to (after a reload). */
  async loadMe() {
    const me = await api.get('/api/me');
    api.me = me;
    api.clientId = me.clientId;
    return me;
  },
  signOut() {
    api.me = null;
    api.clientId = null;
    sessionStorage.removeItem(KEY_STORAGE);
  },
};

// Talking to the Accord server: JSON in and out, same-origin cookies, and the
// CSRF header on every state-changing request once a token is known.

/** An error answer from the server (or no answer at all: status 0). */
export class ApiError extends Error {
  constructor({ status, code, message, details = [], retryAfter = null }) {
    super(message || code);
    this.name = 'ApiError';
    /** HTTP status; 0 when the server could not be reached. */
    this.status = status;
    /** Machine code from the error body, e.g. "invalid_credentials". */
    this.code = code;
    /** `[{ field: "admin.password", message }]`; the messages are for developers only. */
    this.details = details;
    /** Seconds to wait, from a Retry-After header, or null. */
    this.retryAfter = retryAfter;
  }
}

let csrfToken = null;

/** Remembers the CSRF token (from /api/auth/me or a login answer) for later requests. */
export function setCsrfToken(token) {
  csrfToken = typeof token === 'string' && token !== '' ? token : null;
}

export function getCsrfToken() {
  return csrfToken;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Parses Retry-After (seconds or an HTTP date) into whole seconds, or null. */
export function parseRetryAfter(value, now = Date.now()) {
  if (value == null) return null;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return Number(text);
  const when = Date.parse(text);
  if (Number.isNaN(when)) return null;
  return Math.max(0, Math.ceil((when - now) / 1000));
}

function normaliseDetails(details) {
  if (!Array.isArray(details)) return [];
  return details
    .filter((d) => d && typeof d.field === 'string')
    .map((d) => ({ field: d.field, message: typeof d.message === 'string' ? d.message : '' }));
}

async function readBody(response) {
  if (response.status === 204 || response.status === 205) return null;
  const text = await response.text();
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // not JSON
  }
}

/**
 * Sends one request. Resolves with the parsed JSON body (null when empty);
 * rejects with an ApiError for any non-2xx answer or a network failure.
 */
export async function request(method, path, { body, headers: extraHeaders, signal } = {}) {
  const upper = method.toUpperCase();
  const headers = { Accept: 'application/json', ...extraHeaders };
  const init = { method: upper, headers, credentials: 'same-origin', cache: 'no-store', signal };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (!SAFE_METHODS.has(upper) && csrfToken && !('X-CSRF-Token' in headers)) {
    headers['X-CSRF-Token'] = csrfToken;
  }

  let response;
  try {
    response = await fetch(path, init);
  } catch (cause) {
    if (cause && cause.name === 'AbortError') throw cause;
    throw new ApiError({ status: 0, code: 'network_error', message: String(cause) });
  }

  let data;
  try {
    data = await readBody(response);
  } catch (cause) {
    throw new ApiError({ status: 0, code: 'network_error', message: String(cause) });
  }

  if (response.ok) {
    if (data === undefined) {
      throw new ApiError({ status: response.status, code: 'bad_response', message: 'response is not JSON' });
    }
    return data;
  }

  const errorBody = data && typeof data === 'object' ? data : {};
  throw new ApiError({
    status: response.status,
    code: typeof errorBody.code === 'string' ? errorBody.code : `http_${response.status}`,
    message: typeof errorBody.message === 'string' ? errorBody.message : response.statusText,
    details: normaliseDetails(errorBody.details),
    retryAfter: parseRetryAfter(response.headers.get('Retry-After')),
  });
}

export const api = {
  get: (path, options) => request('GET', path, options),
  post: (path, body, options) => request('POST', path, { ...options, body }),
  put: (path, body, options) => request('PUT', path, { ...options, body }),
};

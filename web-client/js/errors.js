// Turning an ApiError into our own translated message. The server's English
// `message` is for developers and is never shown to users.

import { plural } from './i18n.js';

/** A `{ key, params }` duration such as "5 minutes", rounded up. */
export function durationParam(seconds) {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return plural('time.seconds', s);
  const minutes = Math.ceil(s / 60);
  if (minutes < 120) return plural('time.minutes', minutes);
  return plural('time.hours', Math.ceil(minutes / 60));
}

/** The message for "too many attempts", with the wait from Retry-After if known. */
export function tooManyAttempts(retryAfter) {
  if (typeof retryAfter === 'number' && retryAfter > 0) {
    return { key: 'error.too_many_attempts', params: { duration: durationParam(retryAfter) } };
  }
  return { key: 'error.too_many_attempts_unknown' };
}

// Messages for codes that mean the same on every page.
const COMMON_CODES = {
  invalid_credentials: 'error.invalid_credentials',
  network_error: 'error.network',
};

/**
 * Picks `{ key, params }` for an error. `codes` maps page-specific codes to
 * keys and is consulted first; unknown codes get a generic message. (Pages
 * that show per-field errors say "correct the fields marked below" instead
 * when a detail matched one of their fields.)
 */
export function describeError(err, codes = {}) {
  const code = err && err.code;
  if (code && Object.prototype.hasOwnProperty.call(codes, code)) return { key: codes[code] };
  if ((err && err.status === 429) || code === 'too_many_attempts') return tooManyAttempts(err && err.retryAfter);
  if (code && Object.prototype.hasOwnProperty.call(COMMON_CODES, code)) return { key: COMMON_CODES[code] };
  if (err && err.status === 0) return { key: 'error.network' };
  if (err && err.status >= 500) return { key: 'error.server' };
  return { key: 'error.generic' };
}

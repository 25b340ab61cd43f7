// What the staff console pages share: who is signed in, the API's codes and
// their labels, dates and amounts that follow the page's language, and the
// translated message for an API error. No page logic lives here.

import { getLanguage, hasKey, onLanguageChange, setI18n, t } from './i18n.js';
import { api, setCsrfToken } from './api.js';
import { describeError } from './errors.js';
import { fenToYuan } from './money.js';

export const DISPUTE_TYPES = [
  'marriage_family', 'neighbour', 'housing_homestead', 'contract', 'business', 'damages',
  'forest_land', 'requisition_demolition', 'pollution', 'labour', 'consumer', 'medical',
  'road_traffic', 'property_management', 'intellectual_property', 'internet', 'other',
];
export const CASE_STATUSES = [
  'registered', 'accepted', 'refused', 'in_mediation', 'agreed', 'effective', 'terminated', 'archived',
];
export const CASE_SOURCES = [
  'party_application', 'committee_initiative', 'court_entrustment', 'police_referral', 'government_assignment',
];

/** Case statuses that have a live session (docs/signalling.md). */
export const LIVE_STATUSES = new Set(['accepted', 'in_mediation', 'agreed']);

/** `{ key }` for a known code under `prefix`, else the code itself (shown as is). */
export function labelParam(prefix, code) {
  return hasKey(prefix + code) ? { key: prefix + code } : String(code ?? '');
}

/** Gives `el` the label of `code` (translated, and again on a language switch), or the code itself. */
export function setLabel(el, prefix, code) {
  if (hasKey(prefix + code)) {
    setI18n(el, prefix + code);
  } else {
    delete el.dataset.i18n;
    el.textContent = String(code ?? '');
  }
}

/** Adds `<option>`s for `codes`, labelled `prefix + code`. */
export function addOptions(select, prefix, codes) {
  for (const code of codes) {
    const option = document.createElement('option');
    option.value = code;
    setLabel(option, prefix, code);
    select.append(option);
  }
}

export function goToLogin() {
  window.location.replace('/login');
}

/**
 * The signed-in staff member (GET /api/auth/me), who is also shown in the
 * page's <accord-staff-bar>. Someone not signed in as staff is sent to
 * /login and null is returned; other failures throw the ApiError.
 */
export async function signedInStaff() {
  let me;
  try {
    me = await api.get('/api/auth/me');
  } catch (err) {
    if (err.status === 401) {
      goToLogin();
      return null;
    }
    throw err;
  }
  if (!me || me.kind !== 'staff' || !me.user) {
    goToLogin();
    return null;
  }
  setCsrfToken(me.csrf_token);
  const bar = document.querySelector('accord-staff-bar');
  if (bar) bar.user = me.user;
  return me.user;
}

// Codes that mean the same on every console page.
const CONSOLE_CODES = {
  case_archived: 'console.error_case_archived',
  not_found: 'console.error_not_found',
  forbidden: 'console.error_forbidden',
};

/** `{ key, params }` for an API error; `codes` maps a page's own codes to keys. */
export function errorMessage(err, codes = {}) {
  if (err && err.status === 401) return { key: 'error.session_ended' };
  return describeError(err, { ...CONSOLE_CODES, ...codes });
}

/**
 * Shows an API error in a live region. When the sign-in has ended, the
 * message comes with a link to the login page.
 */
export function showError(region, err, codes = {}) {
  const { key, params } = errorMessage(err, codes);
  const p = document.createElement('p');
  p.className = 'message is-error';
  const text = document.createElement('span');
  setI18n(text, key, params);
  p.append(text);
  if (err && err.status === 401) {
    const link = document.createElement('a');
    link.href = '/login';
    setI18n(link, 'console.login_again');
    p.append(' ', link);
  }
  region.replaceChildren(p);
}

// ---- Dates and amounts, re-formatted when the language changes ----

const TIME_STYLES = {
  date: { year: 'numeric', month: 'long', day: 'numeric' },
  datetime: { dateStyle: 'medium', timeStyle: 'short' },
};

function formatTime(el) {
  const date = new Date(el.dateTime);
  const options = TIME_STYLES[el.dataset.timeStyle] || TIME_STYLES.datetime;
  el.textContent = Number.isNaN(date.getTime()) ? '' : new Intl.DateTimeFormat(getLanguage(), options).format(date);
}

/** A `<time>` showing `iso` in the page's language; `style` is "date" or "datetime". */
export function timeElement(iso, style = 'datetime') {
  const el = document.createElement('time');
  el.dateTime = String(iso ?? '');
  el.dataset.timeStyle = style;
  formatTime(el);
  return el;
}

function formatMoney(el) {
  const fen = Number(el.value);
  el.textContent = new Intl.NumberFormat(getLanguage(), { style: 'currency', currency: 'CNY' }).format(fen / 100);
}

/** A `<data>` element showing an amount in fen as yuan, e.g. "¥1,234.50". */
export function moneyElement(fen) {
  const el = document.createElement('data');
  el.value = String(fen);
  el.dataset.money = '';
  el.title = `${fenToYuan(fen)}`;
  formatMoney(el);
  return el;
}

onLanguageChange(() => {
  for (const el of document.querySelectorAll('time[data-time-style]')) formatTime(el);
  for (const el of document.querySelectorAll('data[data-money]')) formatMoney(el);
});

/** The first `max` characters of `text`, with an ellipsis when shortened. */
export function shorten(text, max) {
  const chars = [...String(text ?? '').replace(/\s+/g, ' ').trim()];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

/** Sets an attribute to a translation, and again on every language switch. */
export function setI18nAttr(el, attr, key) {
  const others = (el.dataset.i18nAttr || '')
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part && !part.startsWith(`${attr}:`));
  el.dataset.i18nAttr = [...others, `${attr}:${key}`].join(';');
  el.setAttribute(attr, t(key));
}

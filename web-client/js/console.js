// Staff home (placeholder): who is logged in, their cases (each with its
// live session once it has one), and logout.

import { clearI18n, formatDate, hasKey, initI18n, onLanguageChange, plural, setI18n, t } from './i18n.js';
import { api, setCsrfToken } from './api.js';
import { describeError } from './errors.js';
import { clearMessage, setBusy, showMessage } from './forms.js';

initI18n();

const status = document.getElementById('console-status');
const retryWrap = document.getElementById('console-retry-wrap');
const view = document.getElementById('console-view');
const greeting = document.getElementById('console-greeting');
const userMeta = document.getElementById('console-user-meta');
const logoutButton = document.getElementById('console-logout');
const casesStatus = document.getElementById('console-cases-status');
const casesRetryWrap = document.getElementById('console-cases-retry-wrap');
const caseCount = document.getElementById('console-case-count');
const casesList = document.getElementById('console-cases');

let cases = null;

/** Case statuses that have a live session (docs/signalling.md). */
const LIVE_STATUSES = new Set(['accepted', 'in_mediation', 'agreed']);

function goToLogin() {
  window.location.replace('/login');
}

/** `{ key }` for a known code under `prefix`, else the code itself (shown as is). */
function labelParam(prefix, code) {
  return hasKey(prefix + code) ? { key: prefix + code } : String(code ?? '');
}

function labelText(prefix, code) {
  return hasKey(prefix + code) ? t(prefix + code) : String(code ?? '');
}

function renderUser(user) {
  setI18n(greeting, 'console.greeting', { name: user.display_name || user.username || '' });
  setI18n(userMeta, 'console.user_meta', {
    role: labelParam('staff_role.', user.role),
    committee: user.committee_name || '',
  });
}

function fact(labelKey, value, valueClass) {
  const row = document.createElement('div');
  const dt = document.createElement('dt');
  setI18n(dt, labelKey);
  const dd = document.createElement('dd');
  const span = document.createElement('span');
  if (valueClass) span.className = valueClass;
  span.textContent = value;
  dd.append(span);
  row.append(dt, dd);
  return row;
}

function renderCases() {
  casesList.replaceChildren();
  if (cases.length === 0) {
    clearI18n(caseCount);
    showMessage(casesStatus, 'console.no_cases', 'info');
    return;
  }
  clearMessage(casesStatus);
  const count = plural('console.case_count', cases.length);
  setI18n(caseCount, count.key, count.params);
  for (const item of cases) {
    const li = document.createElement('li');
    li.className = 'card case-item';

    const number = document.createElement('h3');
    number.className = 'case-number';
    number.id = `case-number-${item.id}`;
    number.textContent = item.number || '';

    const facts = document.createElement('dl');
    facts.className = 'console-meta';
    facts.append(
      fact('console.case_status', labelText('case_status.', item.status), 'badge'),
      fact('console.case_dispute_type', labelText('dispute_type.', item.dispute_type)),
    );
    const created = formatDate(item.created_at);
    if (created) facts.append(fact('console.case_created', created));

    li.append(number, facts);
    if (item.summary) {
      const summary = document.createElement('p');
      summary.className = 'case-summary';
      summary.textContent = item.summary;
      li.append(summary);
    }
    if (LIVE_STATUSES.has(item.status) && item.id) {
      const actions = document.createElement('p');
      actions.className = 'case-actions';
      const open = document.createElement('a');
      open.className = 'button primary';
      open.href = `/session?case=${encodeURIComponent(item.id)}`;
      open.dataset.session = item.id;
      open.setAttribute('aria-describedby', number.id);
      setI18n(open, 'console.open_session');
      actions.append(open);
      li.append(actions);
    }
    casesList.append(li);
  }
}

async function loadCases() {
  casesRetryWrap.hidden = true;
  showMessage(casesStatus, 'console.cases_loading', 'info');
  try {
    const list = await api.get('/api/cases');
    cases = Array.isArray(list) ? list : [];
    renderCases();
  } catch (err) {
    if (err.status === 401) return goToLogin();
    showMessage(casesStatus, { key: 'console.cases_error' }, 'error');
    casesRetryWrap.hidden = false;
  }
}

async function load() {
  retryWrap.hidden = true;
  showMessage(status, 'common.loading', 'info');
  let me;
  try {
    me = await api.get('/api/auth/me');
  } catch (err) {
    if (err.status === 401) return goToLogin();
    showMessage(status, describeError(err), 'error');
    retryWrap.hidden = false;
    return;
  }
  if (!me || me.kind !== 'staff' || !me.user) return goToLogin();
  setCsrfToken(me.csrf_token);
  renderUser(me.user);
  clearMessage(status);
  view.hidden = false;
  await loadCases();
}

async function logout() {
  clearMessage(status);
  setBusy(logoutButton, true, 'console.logging_out');
  try {
    await api.post('/api/auth/logout', {});
  } catch (err) {
    if (err.status !== 401) {
      setBusy(logoutButton, false);
      const message = describeError(err);
      showMessage(status, message.key === 'error.generic' ? 'console.logout_failed' : message, 'error');
      logoutButton.focus();
      return;
    }
    // 401: the session had already ended; nothing left to log out of.
  }
  goToLogin();
}

onLanguageChange(() => {
  if (cases) renderCases();
});
document.getElementById('console-retry').addEventListener('click', load);
document.getElementById('console-cases-retry').addEventListener('click', loadCases);
logoutButton.addEventListener('click', logout);

load();

// The supervisors' page (监督): a login of its own, then the figures of the committees of the
// supervisor's region and where each case stands. Everything here is read-only; the server
// sends no names or content, so there is none to hide.

import { getLanguage, initI18n, onLanguageChange, setI18n } from './i18n.js';
import { api, setCsrfToken } from './api.js';
import { describeError } from './errors.js';
import {
  clearErrorsOnInput,
  clearFieldErrors,
  clearMessage,
  fieldValue,
  focusFirstInvalid,
  holdButton,
  setBusy,
  setFieldError,
  showMessage,
} from './forms.js';
import { bars, groupsOf, thisYear, totals } from './figures.js';
import { addOptions, CASE_STATUSES, setLabel } from './staff.js';

initI18n();

const $ = (id) => document.getElementById(id);
const status = $('sup-status');
const loginForm = $('sup-login-form');
const form = $('sup-form');
const from = $('sup-from');
const to = $('sup-to');
const committee = $('sup-committee');
const csv = $('sup-csv');
const statusFilter = $('sup-status-filter');
const late = $('sup-late');
const casesStatus = $('sup-cases-status');

function query(format) {
  const params = new URLSearchParams({ from: from.value, to: to.value });
  if (committee.value) params.set('committee', committee.value);
  if (format) {
    params.set('format', format);
    params.set('lang', getLanguage());
  }
  return `/api/supervision/statistics?${params}`;
}

async function showFigures() {
  csv.href = query('csv');
  showMessage(status, 'common.loading', 'info');
  try {
    const figures = await api.get(query());
    clearMessage(status);
    totals($('sup-totals'), figures);
    bars($('sup-committees'), figures.by_committee.map((own) => ({
      code: own.committee.id, counts: own, name: own.committee.name,
    })));
    bars($('sup-kinds'), groupsOf(figures.by_committee_kind), 'committee_kind.');
    bars($('sup-types'), groupsOf(figures.by_dispute_type), 'dispute_type.');
    bars($('sup-sources'), groupsOf(figures.by_source), 'case_source.');
    $('sup-figures').hidden = false;
  } catch (err) {
    showMessage(status, describeError(err), 'error');
  }
}

function cell(row, text) {
  const td = document.createElement('td');
  td.textContent = text ?? '—';
  row.append(td);
  return td;
}

function labelled(row, prefix, code) {
  const td = document.createElement('td');
  setLabel(td, prefix, code);
  row.append(td);
}

function caseRow(c) {
  const row = document.createElement('tr');
  row.classList.toggle('is-late', c.beyond_one_month);
  cell(row, c.committee_name);
  cell(row, c.number);
  labelled(row, 'dispute_type.', c.dispute_type);
  labelled(row, 'case_source.', c.source);
  labelled(row, 'case_status.', c.status);
  cell(row, c.registered_on);
  cell(row, c.accepted_on);
  cell(row, c.concluded_on);
  const days = cell(row, c.days_in_mediation == null ? null : String(c.days_in_mediation));
  if (c.beyond_one_month) {
    const mark = document.createElement('span');
    mark.className = 'badge';
    setI18n(mark, 'sup.late');
    days.append(' ', mark);
  }
  const confirmed = document.createElement('td');
  setI18n(confirmed, c.judicially_confirmed ? 'sup.yes' : 'sup.no');
  row.append(confirmed);
  return row;
}

async function showCases() {
  const params = new URLSearchParams();
  if (committee.value) params.set('committee', committee.value);
  if (statusFilter.value) params.set('status', statusFilter.value);
  if (late.checked) params.set('beyond_one_month', 'true');
  showMessage(casesStatus, 'common.loading', 'info');
  try {
    const list = await api.get(`/api/supervision/cases?${params}`);
    $('sup-cases').tBodies[0].replaceChildren(...list.cases.map(caseRow));
    if (list.cases.length === 0) showMessage(casesStatus, 'sup.no_cases', 'info');
    else if (list.truncated) showMessage(casesStatus, 'sup.truncated', 'info');
    else clearMessage(casesStatus);
  } catch (err) {
    showMessage(casesStatus, describeError(err), 'error');
  }
}

async function showSignedIn(me) {
  setCsrfToken(me.csrf_token);
  $('sup-login').hidden = true;
  setI18n($('sup-heading'), 'sup.heading', { region: me.supervisor.region, name: me.supervisor.display_name });
  const committees = await api.get('/api/supervision/committees');
  for (const c of committees) {
    const option = document.createElement('option');
    option.value = c.id;
    option.textContent = c.name;
    committee.append(option);
  }
  addOptions(statusFilter, 'case_status.', CASE_STATUSES);
  thisYear(from, to);
  $('sup-view').hidden = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    showFigures();
    showCases();
  });
  committee.addEventListener('change', () => {
    showFigures();
    showCases();
  });
  statusFilter.addEventListener('change', showCases);
  late.addEventListener('change', showCases);
  onLanguageChange(() => {
    csv.href = query('csv');
  });
  $('sup-logout').addEventListener('click', async () => {
    await api.post('/api/supervision/logout').catch(() => {});
    window.location.reload();
  });
  await Promise.all([showFigures(), showCases()]);
}

function showLogin() {
  clearMessage(status);
  $('sup-login').hidden = false;
  const submit = $('sup-login-submit');
  clearErrorsOnInput(loginForm);
  loginForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(loginForm);
    clearMessage(status);
    const username = fieldValue(loginForm, 'username');
    const password = fieldValue(loginForm, 'password', { trim: false });
    if (username === '') setFieldError(loginForm, 'username', 'form.required');
    if (password === '') setFieldError(loginForm, 'password', 'form.required');
    if (focusFirstInvalid(loginForm)) return;
    setBusy(submit, true, 'login.submitting');
    try {
      const me = await api.post('/api/supervision/login', { username, password });
      setBusy(submit, false);
      await showSignedIn(me);
    } catch (err) {
      setBusy(submit, false);
      showMessage(status, describeError(err), 'error');
      if (err.status === 429) holdButton(submit, err.retryAfter);
    }
  });
}

async function start() {
  try {
    await showSignedIn(await api.get('/api/supervision/me'));
  } catch (err) {
    if (err.status === 401) showLogin();
    else showMessage(status, describeError(err), 'error');
  }
}

start();

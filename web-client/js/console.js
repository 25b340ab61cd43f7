// Staff home: who is signed in, and the cases they may see (all of the
// committee's for an admin, their own for a mediator), filtered by status,
// dispute type and, for admins, mediator. The filters live in the address
// (?status=…), so a reload or a shared link keeps them.

import { clearI18n, formatList, initI18n, plural, setI18n } from './i18n.js';
import { api } from './api.js';
import { clearMessage, showMessage } from './forms.js';
import {
  CASE_STATUSES,
  DISPUTE_TYPES,
  LIVE_STATUSES,
  addOptions,
  labelParam,
  setLabel,
  shorten,
  showError,
  signedInStaff,
  timeElement,
} from './staff.js';
import './staff-bar.js';

initI18n();

const status = document.getElementById('console-status');
const retryWrap = document.getElementById('console-retry-wrap');
const view = document.getElementById('console-view');
const greeting = document.getElementById('console-greeting');
const userMeta = document.getElementById('console-user-meta');
const filters = document.getElementById('console-filters');
const statusFilter = document.getElementById('console-filter-status');
const typeFilter = document.getElementById('console-filter-type');
const mediatorFilter = document.getElementById('console-filter-mediator');
const mediatorField = document.getElementById('console-filter-mediator-field');
const clearButton = document.getElementById('console-filters-clear');
const casesStatus = document.getElementById('console-cases-status');
const casesRetryWrap = document.getElementById('console-cases-retry-wrap');
const caseCount = document.getElementById('console-case-count');
const casesList = document.getElementById('console-cases');

const FILTERS = [
  { name: 'status', select: statusFilter },
  { name: 'dispute_type', select: typeFilter },
  { name: 'mediator', select: mediatorFilter },
];
const SUMMARY_LENGTH = 120;

let me = null;
let latestRequest = 0;

addOptions(statusFilter, 'case_status.', CASE_STATUSES);
addOptions(typeFilter, 'dispute_type.', DISPUTE_TYPES);

function renderUser(user) {
  setI18n(greeting, 'console.greeting', { name: user.display_name || user.username || '' });
  setI18n(userMeta, 'console.user_meta', {
    role: labelParam('staff_role.', user.role),
    committee: user.committee_name || '',
  });
}

/** The filters chosen now, without the empty ones (the server refuses `status=`). */
function chosenFilters() {
  const chosen = new URLSearchParams();
  for (const { name, select } of FILTERS) {
    if (select.value !== '' && !(name === 'mediator' && mediatorField.hidden)) chosen.set(name, select.value);
  }
  return chosen;
}

/** Sets the selects from the address, ignoring values they do not offer. */
function filtersFromAddress() {
  const query = new URLSearchParams(window.location.search);
  for (const { name, select } of FILTERS) {
    const value = query.get(name) || '';
    select.value = [...select.options].some((o) => o.value === value) ? value : '';
  }
}

function fact(labelKey, valueNode) {
  const row = document.createElement('div');
  const dt = document.createElement('dt');
  setI18n(dt, labelKey);
  const dd = document.createElement('dd');
  dd.append(valueNode);
  row.append(dt, dd);
  return row;
}

function labelSpan(prefix, code, className) {
  const span = document.createElement('span');
  if (className) span.className = className;
  setLabel(span, prefix, code);
  return span;
}

function caseItem(item) {
  const li = document.createElement('li');
  li.className = 'card case-item';
  li.dataset.case = item.id;

  const heading = document.createElement('h3');
  heading.className = 'case-number';
  heading.id = `case-number-${item.id}`;
  const link = document.createElement('a');
  link.href = `/case?id=${encodeURIComponent(item.id)}`;
  link.dataset.caseLink = item.id;
  link.textContent = item.number || '';
  heading.append(link);

  const facts = document.createElement('dl');
  facts.className = 'console-meta';
  const badge = labelSpan('case_status.', item.status, `badge status-${item.status}`);
  facts.append(
    fact('console.case_status', badge),
    fact('console.case_dispute_type', labelSpan('dispute_type.', item.dispute_type)),
  );
  const mediators = (item.mediators || []).map((m) => m.display_name).filter(Boolean);
  const mediatorsValue = document.createElement('span');
  if (mediators.length > 0) {
    mediatorsValue.textContent = formatList(mediators);
  } else {
    mediatorsValue.className = 'muted';
    setI18n(mediatorsValue, 'console.no_mediator');
  }
  facts.append(fact('console.case_mediators', mediatorsValue));
  if (item.created_at) facts.append(fact('console.case_created', timeElement(item.created_at, 'date')));

  li.append(heading, facts);
  if (item.summary) {
    const summary = document.createElement('p');
    summary.className = 'case-summary';
    summary.textContent = shorten(item.summary, SUMMARY_LENGTH);
    li.append(summary);
  }

  const actions = document.createElement('p');
  actions.className = 'case-actions';
  const open = document.createElement('a');
  open.className = 'button compact';
  open.href = link.href;
  open.setAttribute('aria-describedby', heading.id);
  setI18n(open, 'console.open_case');
  actions.append(open);
  if (LIVE_STATUSES.has(item.status) && item.id) {
    const session = document.createElement('a');
    session.className = 'button compact primary';
    session.href = `/session?case=${encodeURIComponent(item.id)}`;
    session.dataset.session = item.id;
    session.setAttribute('aria-describedby', heading.id);
    setI18n(session, 'console.open_session');
    actions.append(session);
  }
  li.append(actions);
  return li;
}

function renderCases(cases, filtered) {
  casesList.replaceChildren(...cases.map(caseItem));
  if (cases.length === 0) {
    clearI18n(caseCount);
    showMessage(casesStatus, filtered ? 'console.no_matching_cases' : 'console.no_cases', 'info');
    return;
  }
  const count = plural('console.case_count', cases.length);
  setI18n(caseCount, count.key, count.params); // a live region: a filter change announces the count
  clearMessage(casesStatus);
}

async function loadCases() {
  const request = ++latestRequest;
  const chosen = chosenFilters();
  const filtered = [...chosen.keys()].length > 0;
  clearButton.disabled = !filtered;
  casesRetryWrap.hidden = true;
  showMessage(casesStatus, 'console.cases_loading', 'info');
  casesList.setAttribute('aria-busy', 'true');
  try {
    const query = chosen.toString();
    const list = await api.get(`/api/cases${query ? `?${query}` : ''}`);
    if (request !== latestRequest) return; // a newer choice is on its way
    renderCases(Array.isArray(list) ? list : [], filtered);
  } catch (err) {
    if (request !== latestRequest) return;
    casesList.replaceChildren();
    clearI18n(caseCount);
    showError(casesStatus, err);
    casesRetryWrap.hidden = false;
  } finally {
    if (request === latestRequest) casesList.removeAttribute('aria-busy');
  }
}

/** Admins filter by mediator: anyone on the staff may be one. */
async function loadMediators() {
  let users;
  try {
    users = await api.get('/api/users');
  } catch {
    return; // the filter stays hidden; the list works without it
  }
  for (const user of Array.isArray(users) ? users : []) {
    const option = document.createElement('option');
    option.value = user.id;
    if (user.disabled) {
      setI18n(option, 'console.user_disabled_option', { name: user.display_name });
    } else {
      option.textContent = user.display_name;
    }
    mediatorFilter.append(option);
  }
  mediatorField.hidden = false;
}

function onFilterChange() {
  const query = chosenFilters().toString();
  window.history.replaceState(window.history.state, '', `${window.location.pathname}${query ? `?${query}` : ''}`);
  loadCases();
}

async function load() {
  retryWrap.hidden = true;
  showMessage(status, 'common.loading', 'info');
  try {
    me = await signedInStaff();
  } catch (err) {
    showError(status, err);
    retryWrap.hidden = false;
    return;
  }
  if (!me) return;
  renderUser(me);
  if (me.role === 'admin') await loadMediators();
  filtersFromAddress();
  clearMessage(status);
  view.hidden = false;
  await loadCases();
}

filters.addEventListener('change', onFilterChange);
filters.addEventListener('submit', (event) => {
  event.preventDefault();
  onFilterChange();
});
filters.addEventListener('reset', () => {
  // After the browser has reset the selects.
  window.setTimeout(() => {
    onFilterChange();
    statusFilter.focus();
  });
});
document.getElementById('console-retry').addEventListener('click', load);
document.getElementById('console-cases-retry').addEventListener('click', loadCases);

load();

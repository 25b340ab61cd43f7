// The committee's figures (报表), for its admin: a period, the totals, and bars by dispute type
// and by source, plus the same as CSV.

import { getLanguage, initI18n, onLanguageChange } from './i18n.js';
import { api } from './api.js';
import { clearMessage, showMessage } from './forms.js';
import { bars, groupsOf, thisYear, totals } from './figures.js';
import { errorMessage, signedInStaff } from './staff.js';
import './staff-bar.js';

initI18n();

const $ = (id) => document.getElementById(id);
const form = $('stats-form');
const from = $('stats-from');
const to = $('stats-to');
const csv = $('stats-csv');
const status = $('stats-status');
const view = $('stats-view');

function query(format) {
  const params = new URLSearchParams({ from: from.value, to: to.value });
  if (format) {
    params.set('format', format);
    params.set('lang', getLanguage());
  }
  return `/api/statistics?${params}`;
}

async function show() {
  csv.href = query('csv');
  showMessage(status, 'common.loading', 'info');
  try {
    const figures = await api.get(query());
    clearMessage(status);
    totals($('stats-totals'), figures);
    bars($('stats-types'), groupsOf(figures.by_dispute_type), 'dispute_type.');
    bars($('stats-sources'), groupsOf(figures.by_source), 'case_source.');
    view.hidden = false;
  } catch (err) {
    showMessage(status, errorMessage(err), 'error');
  }
}

async function start() {
  const me = await signedInStaff().catch((err) => {
    showMessage(status, errorMessage(err), 'error');
    return null;
  });
  if (!me) return;
  if (me.role !== 'admin') {
    showMessage(status, 'stats.admins_only', 'info');
    form.hidden = true;
    return;
  }
  thisYear(from, to);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    show();
  });
  onLanguageChange(() => {
    csv.href = query('csv');
  });
  show();
}

start();

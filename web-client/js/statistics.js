// The committee's figures (报表), for its admin: a period, the totals, and bars by dispute type
// and by source (accepted, with the successful part drawn inside), plus the same as CSV.

import { getLanguage, initI18n, onLanguageChange, setI18n } from './i18n.js';
import { api } from './api.js';
import { clearMessage, showMessage } from './forms.js';
import { errorMessage, setLabel, signedInStaff } from './staff.js';
import './staff-bar.js';

initI18n();

const $ = (id) => document.getElementById(id);
const form = $('stats-form');
const from = $('stats-from');
const to = $('stats-to');
const csv = $('stats-csv');
const status = $('stats-status');
const view = $('stats-view');

function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

function query(format) {
  const params = new URLSearchParams({ from: from.value, to: to.value });
  if (format) {
    params.set('format', format);
    params.set('lang', getLanguage());
  }
  return `/api/statistics?${params}`;
}

function percent(rate) {
  return rate == null ? '—' : `${(rate * 100).toFixed(1)}%`;
}

function total(key, value) {
  const wrap = document.createElement('div');
  const term = document.createElement('dt');
  setI18n(term, key);
  const detail = document.createElement('dd');
  detail.textContent = value;
  wrap.append(term, detail);
  return wrap;
}

function bars(container, groups, prefix) {
  const entries = Object.entries(groups);
  const most = Math.max(1, ...entries.map(([, c]) => c.accepted));
  container.replaceChildren(...entries.map(([code, counts]) => {
    const row = document.createElement('div');
    row.className = 'stats-bar';
    row.dataset.code = code;
    const name = document.createElement('span');
    name.className = 'stats-bar-name';
    setLabel(name, prefix, code);
    const track = document.createElement('span');
    track.className = 'stats-bar-track';
    const accepted = document.createElement('span');
    accepted.className = 'stats-bar-accepted';
    accepted.style.width = `${(counts.accepted / most) * 100}%`;
    const successful = document.createElement('span');
    successful.className = 'stats-bar-successful';
    successful.style.width = `${counts.accepted ? (counts.successful / counts.accepted) * 100 : 0}%`;
    accepted.append(successful);
    track.append(accepted);
    const figure = document.createElement('span');
    figure.className = 'stats-bar-figure';
    setI18n(figure, 'stats.bar_figure', { accepted: counts.accepted, successful: counts.successful });
    row.append(name, track, figure);
    return row;
  }));
}

async function show() {
  csv.href = query('csv');
  showMessage(status, 'common.loading', 'info');
  try {
    const figures = await api.get(query());
    clearMessage(status);
    $('stats-totals').replaceChildren(
      total('stats.accepted', String(figures.accepted)),
      total('stats.successful', String(figures.successful)),
      total('stats.terminated', String(figures.terminated)),
      total('stats.difficult', String(figures.difficult)),
      total('stats.confirmed', String(figures.judicially_confirmed)),
      total('stats.success_rate', percent(figures.success_rate)),
      total('stats.amount', (figures.amount_fen / 100).toFixed(2)),
      total('stats.performance_rate', percent(figures.performance_rate)),
    );
    bars($('stats-types'), figures.by_dispute_type, 'dispute_type.');
    bars($('stats-sources'), figures.by_source, 'case_source.');
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
  const today = new Date();
  from.value = isoDay(new Date(Date.UTC(today.getFullYear(), 0, 1)));
  to.value = isoDay(today);
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

// The committee's figures (报表), for its admin: a period, the totals, and bars by dispute type
// and by source, plus the same as CSV.

import { getLanguage, initI18n, onLanguageChange, setI18n } from './i18n.js';
import { api } from './api.js';
import { clearErrorsOnInput, clearFieldErrors, clearMessage, showMessage, showServerFieldErrors } from './forms.js';
import { bars, groupsOf, isoDay, thisYear, totals } from './figures.js';
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

// Screening rounds (矛盾纠纷排查): every member of the staff records them; the figures count them.
const screeningForm = $('screening-form');

function screeningItem(round) {
  const li = document.createElement('li');
  li.dataset.screening = round.id;
  setI18n(li, round.note ? 'screening.line_note' : 'screening.line', {
    day: round.held_on, found: round.disputes_found, note: round.note || '', by: round.recorded_by,
  });
  return li;
}

function showScreenings(rounds) {
  $('screening-list').replaceChildren(...rounds.map(screeningItem));
}

async function startScreenings() {
  $('screenings').hidden = false;
  $('screening-day').value = isoDay(new Date());
  clearErrorsOnInput(screeningForm);
  screeningForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(screeningForm);
    const note = $('screening-note').value.trim();
    try {
      const rounds = await api.post('/api/screenings', {
        held_on: $('screening-day').value,
        disputes_found: Number($('screening-found').value),
        note: note === '' ? null : note,
      });
      showScreenings(rounds);
      $('screening-note').value = '';
      $('screening-found').value = '0';
      showMessage($('screening-status'), 'screening.recorded', 'success');
      if (!view.hidden) show();
    } catch (err) {
      const matched = showServerFieldErrors(screeningForm, err.details);
      showMessage($('screening-status'), matched ? 'form.fix_errors' : errorMessage(err), 'error');
    }
  });
  showScreenings(await api.get('/api/screenings'));
}

async function start() {
  const me = await signedInStaff().catch((err) => {
    showMessage(status, errorMessage(err), 'error');
    return null;
  });
  if (!me) return;
  startScreenings().catch((err) => showMessage($('screening-status'), errorMessage(err), 'error'));
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

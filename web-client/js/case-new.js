// Registering a case (POST /api/cases), then on to its page.

import { initI18n } from './i18n.js';
import { api } from './api.js';
import { clearErrorsOnInput, clearMessage, focusFirstInvalid, setBusy, showMessage } from './forms.js';
import { buildCaseFields, readCaseFields, showCaseServerErrors } from './case-form.js';
import { showError, signedInStaff } from './staff.js';
import './staff-bar.js';

initI18n();

const loadStatus = document.getElementById('casenew-load-status');
const retryWrap = document.getElementById('casenew-retry-wrap');
const form = document.getElementById('casenew-form');
const status = document.getElementById('casenew-status');
const submit = document.getElementById('casenew-submit');
let busy = false;

buildCaseFields(document.getElementById('casenew-fields'), 'casenew', { withNumber: true });
clearErrorsOnInput(form);

async function load() {
  retryWrap.hidden = true;
  showMessage(loadStatus, 'common.loading', 'info');
  try {
    if (!(await signedInStaff())) return;
  } catch (err) {
    showError(loadStatus, err);
    retryWrap.hidden = false;
    return;
  }
  clearMessage(loadStatus);
  form.hidden = false;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (busy) return;
  clearMessage(status);
  const body = readCaseFields(form, { withNumber: true });
  if (!body) {
    showMessage(status, 'form.fix_errors', 'error');
    focusFirstInvalid(form);
    return;
  }
  busy = true;
  setBusy(submit, true, 'casenew.submitting');
  try {
    const created = await api.post('/api/cases', body);
    showMessage(status, 'casenew.success', 'success');
    window.location.assign(`/case?id=${encodeURIComponent(created.id)}&registered=1`);
  } catch (err) {
    busy = false;
    setBusy(submit, false);
    if (err.status !== 401 && showCaseServerErrors(form, err)) {
      showMessage(status, 'form.fix_errors', 'error');
      focusFirstInvalid(form);
    } else {
      showError(status, err);
    }
  }
});

document.getElementById('casenew-retry').addEventListener('click', load);
load();

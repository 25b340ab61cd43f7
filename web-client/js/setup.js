// First-run setup: create the committee and its first administrator with the
// one-time token from the link the server printed (`/setup#t=TOKEN`).

import { initI18n } from './i18n.js';
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
  showServerFieldErrors,
  wireShowPassword,
} from './forms.js';
import { tokenFromFragment } from './token.js';

const MIN_PASSWORD_LENGTH = 12;
const COMMITTEE_KINDS = ['street_town', 'village_community', 'industry_professional', 'court_annexed'];

// Our own text for server-side rejections of particular fields.
const FIELD_ERROR_KEYS = {
  'admin.username': 'setup.username_rejected',
  'admin.password': 'setup.password_rejected',
};

initI18n();

const form = document.getElementById('setup-form');
const status = document.getElementById('setup-status');
const submit = document.getElementById('setup-submit');
const mainPart = document.getElementById('setup-main');
const invalidPanel = document.getElementById('setup-invalid');
const token = tokenFromFragment(window.location.hash);
let busy = false;

function showInvalidLink({ focus }) {
  mainPart.hidden = true;
  invalidPanel.hidden = false;
  if (focus) document.getElementById('setup-invalid-heading').focus();
}

/** Checks the form in the browser; marks fields and returns false if anything is wrong. */
function validate() {
  for (const path of ['committee.name', 'committee.region', 'admin.username', 'admin.display_name']) {
    if (fieldValue(form, path) === '') setFieldError(form, path, 'form.required');
  }
  if (!COMMITTEE_KINDS.includes(fieldValue(form, 'committee.kind'))) {
    setFieldError(form, 'committee.kind', 'form.required');
  }
  const password = fieldValue(form, 'admin.password', { trim: false });
  const confirmation = fieldValue(form, 'password_confirm', { trim: false });
  if (password === '') {
    setFieldError(form, 'admin.password', 'form.required');
  } else if ([...password].length < MIN_PASSWORD_LENGTH) {
    setFieldError(form, 'admin.password', 'setup.password_too_short');
  }
  if (confirmation === '') {
    setFieldError(form, 'password_confirm', 'form.required');
  } else if (password !== '' && confirmation !== password) {
    setFieldError(form, 'password_confirm', 'setup.password_mismatch');
  }
  return !focusFirstInvalid(form);
}

// A different setup link opened in this tab changes only the fragment.
window.addEventListener('hashchange', () => window.location.reload());

if (!token) {
  showInvalidLink({ focus: false });
} else {
  wireShowPassword(document.getElementById('setup-show-password'), [
    document.getElementById('setup-password'),
    document.getElementById('setup-password-confirm'),
  ]);
  clearErrorsOnInput(form);
  submit.disabled = false;

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    clearFieldErrors(form);
    clearMessage(status);
    if (!validate()) return;

    const payload = {
      token,
      committee: {
        name: fieldValue(form, 'committee.name'),
        kind: fieldValue(form, 'committee.kind'),
        region: fieldValue(form, 'committee.region'),
      },
      admin: {
        username: fieldValue(form, 'admin.username'),
        display_name: fieldValue(form, 'admin.display_name'),
        password: fieldValue(form, 'admin.password', { trim: false }),
      },
    };

    busy = true;
    setBusy(submit, true, 'setup.submitting');
    try {
      const me = await api.post('/api/setup', payload);
      if (me && me.csrf_token) setCsrfToken(me.csrf_token);
      showMessage(status, 'setup.success', 'success');
      window.location.assign('/console');
    } catch (err) {
      busy = false;
      setBusy(submit, false);
      if (err.code === 'setup_token_invalid' || err.status === 404 || err.status === 410) {
        showInvalidLink({ focus: true });
        return;
      }
      const matched = err.status !== 429 && showServerFieldErrors(form, err.details, FIELD_ERROR_KEYS);
      showMessage(status, matched ? 'form.fix_errors' : describeError(err), 'error');
      if (err.status === 429) holdButton(submit, err.retryAfter);
      if (!focusFirstInvalid(form)) status.scrollIntoView({ block: 'nearest' });
    }
  });
}

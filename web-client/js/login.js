// Staff login: username + password → POST /api/auth/login → /console.

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

initI18n();

const form = document.getElementById('login-form');
const status = document.getElementById('login-status');
const submit = document.getElementById('login-submit');
const passwordInput = document.getElementById('login-password');
let busy = false;

wireShowPassword(document.getElementById('login-show-password'), [passwordInput]);
clearErrorsOnInput(form);
submit.disabled = false;

// Someone who is still logged in goes straight to the console.
api
  .get('/api/auth/me')
  .then((me) => {
    if (me && me.kind === 'staff' && !busy) window.location.replace('/console');
  })
  .catch(() => {
    // Not logged in (401) or the server is unreachable: stay on the form.
  });

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (busy) return;
  clearFieldErrors(form);
  clearMessage(status);

  const username = fieldValue(form, 'username');
  const password = fieldValue(form, 'password', { trim: false });
  if (username === '') setFieldError(form, 'username', 'form.required');
  if (password === '') setFieldError(form, 'password', 'form.required');
  if (focusFirstInvalid(form)) return;

  busy = true;
  setBusy(submit, true, 'login.submitting');
  try {
    const body = await api.post('/api/auth/login', { username, password });
    if (body && body.csrf_token) setCsrfToken(body.csrf_token);
    showMessage(status, 'login.success', 'success');
    window.location.assign('/console');
  } catch (err) {
    busy = false;
    setBusy(submit, false);
    const matched = err.status !== 429 && showServerFieldErrors(form, err.details);
    showMessage(status, matched ? 'form.fix_errors' : describeError(err), 'error');
    if (err.status === 429) holdButton(submit, err.retryAfter);
    if (!focusFirstInvalid(form) && err.code === 'invalid_credentials') {
      passwordInput.focus();
      passwordInput.select();
    }
  }
});

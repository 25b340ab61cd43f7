// The committee's staff accounts, for its admins: the list (GET /api/users),
// a new mediator or admin (POST /api/users), and disabling an account
// (POST /api/users/{id}/disable), which signs it out everywhere.

import { initI18n, plural, setI18n } from './i18n.js';
import { api } from './api.js';
import {
  clearErrorsOnInput,
  clearFieldError,
  clearFieldErrors,
  clearMessage,
  fieldValue,
  focusFirstInvalid,
  setBusy,
  setFieldError,
  showMessage,
  showServerFieldErrors,
  wireShowPassword,
} from './forms.js';
import { confirmAction } from './console-dialog.js';
import { labelParam, showError, signedInStaff } from './staff.js';
import './staff-bar.js';

initI18n();

const $ = (id) => document.getElementById(id);
const status = $('users-status');
const view = $('users-view');
const list = $('users-list');
const listStatus = $('users-list-status');
const form = $('users-form');
const formStatus = $('users-form-status');
const submit = $('users-submit');

const MIN_PASSWORD_LENGTH = 12;
const LANGUAGE_KEYS = { 'zh-CN': 'users.language_zh', en: 'users.language_en' };
// Our own text for the server's rejection of a field.
const FIELD_KEYS = {
  username: 'users.username_invalid',
  display_name: 'users.display_name_invalid',
  password: 'setup.password_rejected',
  languages: 'users.languages_required',
};

let me = null;
let users = [];

function fact(key, value) {
  const row = document.createElement('div');
  const dt = document.createElement('dt');
  setI18n(dt, key);
  const dd = document.createElement('dd');
  dd.append(value);
  row.append(dt, dd);
  return row;
}

function span(build) {
  const el = document.createElement('span');
  build(el);
  return el;
}

function userCard(user) {
  const li = document.createElement('li');
  li.className = `card user-item${user.disabled ? ' is-disabled' : ''}`;
  li.dataset.user = user.id;
  li.dataset.username = user.username;
  const head = document.createElement('div');
  head.className = 'user-head';
  const name = document.createElement('h3');
  name.id = `user-name-${user.id}`;
  name.className = 'user-name';
  if (user.id === me.id) setI18n(name, 'users.you', { name: user.display_name });
  else name.textContent = user.display_name;
  const badge = document.createElement('span');
  badge.className = `badge ${user.disabled ? 'user-disabled' : 'user-active'}`;
  setI18n(badge, user.disabled ? 'users.state_disabled' : 'users.state_active');
  head.append(name, badge);

  const facts = document.createElement('dl');
  facts.className = 'console-meta';
  const role = span((el) => setI18n(el, user.is_lawyer ? 'users.role_lawyer' : 'users.role_plain', { role: labelParam('staff_role.', user.role) }));
  const languages = span((el) => {
    (user.languages || []).forEach((code, index) => {
      if (index > 0) el.append(span((sep) => setI18n(sep, 'common.list_separator')));
      el.append(span((label) => (LANGUAGE_KEYS[code] ? setI18n(label, LANGUAGE_KEYS[code]) : (label.textContent = code))));
    });
  });
  const username = span((el) => {
    el.className = 'mono';
    el.textContent = user.username;
  });
  facts.append(fact('users.username', username), fact('users.role', role), fact('users.languages_short', languages));
  li.append(head, facts);

  if (!user.disabled && user.id !== me.id) {
    const actions = document.createElement('p');
    actions.className = 'case-actions';
    const disable = document.createElement('button');
    disable.type = 'button';
    disable.className = 'button compact danger-outline';
    disable.dataset.action = 'disable';
    disable.dataset.user = user.id;
    disable.setAttribute('aria-describedby', name.id);
    setI18n(disable, 'users.disable');
    disable.addEventListener('click', () => disableUser(user, disable));
    actions.append(disable);
    li.append(actions);
  }
  return li;
}

function renderUsers() {
  // Active accounts first, each group by name.
  const sorted = [...users].sort(
    (a, b) => Number(a.disabled) - Number(b.disabled) || a.display_name.localeCompare(b.display_name),
  );
  list.replaceChildren(...sorted.map(userCard));
  const count = plural('users.count', users.filter((u) => !u.disabled).length);
  setI18n($('users-count'), count.key, count.params);
}

async function loadUsers() {
  const answer = await api.get('/api/users');
  users = Array.isArray(answer) ? answer : [];
  renderUsers();
}

async function disableUser(user, button) {
  clearMessage(listStatus);
  const ok = await confirmAction({
    heading: { key: 'users.disable_heading', params: { name: user.display_name } },
    text: { key: 'users.disable_text', params: { name: user.display_name } },
    confirmKey: 'users.disable',
    danger: true,
  });
  if (!ok) return;
  setBusy(button, true, 'console.working');
  try {
    await api.post(`/api/users/${encodeURIComponent(user.id)}/disable`, {});
    await loadUsers();
    showMessage(listStatus, { key: 'users.disabled_done', params: { name: user.display_name } }, 'success');
    $('users-list-heading').focus();
  } catch (err) {
    if (button.isConnected) setBusy(button, false);
    showError(listStatus, err, { invalid_input: 'users.cannot_disable_self' });
  }
}

function readForm() {
  clearFieldErrors(form);
  const body = {
    username: fieldValue(form, 'username').toLowerCase(),
    display_name: fieldValue(form, 'display_name'),
    role: form.querySelector('input[name="role"]:checked')?.value || 'mediator',
    is_lawyer: $('users-lawyer').checked,
    languages: [...form.querySelectorAll('input[name="languages"]:checked')].map((input) => input.value),
    password: fieldValue(form, 'password', { trim: false }),
  };
  const confirmation = fieldValue(form, 'password_confirm', { trim: false });
  if (body.display_name === '') setFieldError(form, 'display_name', 'form.required');
  if (body.username === '') setFieldError(form, 'username', 'form.required');
  else if (!/^[a-z0-9._-]{3,32}$/.test(body.username)) setFieldError(form, 'username', 'users.username_invalid');
  if (body.languages.length === 0) setFieldError(form, 'languages', 'users.languages_required');
  if (body.password === '') setFieldError(form, 'password', 'form.required');
  else if ([...body.password].length < MIN_PASSWORD_LENGTH) setFieldError(form, 'password', 'setup.password_too_short');
  if (confirmation === '') setFieldError(form, 'password_confirm', 'form.required');
  else if (body.password !== '' && confirmation !== body.password) setFieldError(form, 'password_confirm', 'setup.password_mismatch');
  return focusFirstInvalid(form) ? null : body;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (submit.disabled) return;
  clearMessage(formStatus);
  const body = readForm();
  if (!body) {
    showMessage(formStatus, 'form.fix_errors', 'error');
    return;
  }
  setBusy(submit, true, 'users.submitting');
  try {
    const created = await api.post('/api/users', body);
    form.reset();
    for (const input of [$('users-password'), $('users-password-confirm')]) input.type = 'password';
    await loadUsers().catch(() => {});
    showMessage(formStatus, {
      key: 'users.created',
      params: { name: created.display_name, username: created.username },
    }, 'success');
    $('users-display-name').focus();
  } catch (err) {
    const keys = err.code === 'already_exists' ? { ...FIELD_KEYS, username: 'users.username_taken' } : FIELD_KEYS;
    if (err.status !== 401 && showServerFieldErrors(form, err.details, keys)) {
      showMessage(formStatus, 'form.fix_errors', 'error');
      focusFirstInvalid(form);
    } else {
      showError(formStatus, err);
    }
  } finally {
    setBusy(submit, false);
  }
});

async function load() {
  $('users-retry-wrap').hidden = true;
  showMessage(status, 'common.loading', 'info');
  try {
    me = await signedInStaff();
    if (!me) return;
    if (me.role !== 'admin') {
      showMessage(status, 'users.admins_only', 'info');
      return;
    }
    setI18n($('users-committee'), 'users.committee', { committee: me.committee_name || '' });
    await loadUsers();
  } catch (err) {
    showError(status, err, { forbidden: 'users.admins_only' });
    if (err.status !== 401 && err.status !== 403) $('users-retry-wrap').hidden = false;
    return;
  }
  clearMessage(status);
  view.hidden = false;
}

wireShowPassword($('users-show-password'), [$('users-password'), $('users-password-confirm')]);
clearErrorsOnInput(form);
// Ticking any language, or choosing a role, clears that group's error (only the first box
// carries data-field).
form.addEventListener('change', (event) => {
  if (event.target.name === 'languages' || event.target.name === 'role') clearFieldError(form, event.target.name);
});
$('users-retry').addEventListener('click', load);
load();

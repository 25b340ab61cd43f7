// Form plumbing shared by the pages: status messages, per-field errors
// (matched by field path, e.g. "admin.password"), busy buttons and the
// show-password switch. All text goes through i18n.

import { setI18n, clearI18n } from './i18n.js';

/**
 * Shows a message in a live region (an always-present element with
 * aria-live="polite"): its content is replaced by one paragraph.
 * `kind` is "info", "success" or "error"; `message` is `{ key, params }` or a key.
 */
export function showMessage(region, message, kind = 'info') {
  const { key, params } = typeof message === 'string' ? { key: message } : message;
  const p = document.createElement('p');
  p.className = `message is-${kind}`;
  setI18n(p, key, params);
  region.replaceChildren(p);
}

export function clearMessage(region) {
  region.replaceChildren();
}

/** The input, select or textarea of `form` for a field path. */
export function fieldControl(form, path) {
  return [...form.querySelectorAll('[data-field]')].find((el) => el.dataset.field === path) || null;
}

function errorElementFor(form, path) {
  return [...form.querySelectorAll('[data-error-for]')].find((el) => el.dataset.errorFor === path) || null;
}

/** Marks a field invalid and shows `message` (`{ key, params }` or a key) next to it. Returns false if the field is unknown. */
export function setFieldError(form, path, message) {
  const control = fieldControl(form, path);
  const slot = errorElementFor(form, path);
  if (!control || !slot) return false;
  const { key, params } = typeof message === 'string' ? { key: message } : message;
  control.setAttribute('aria-invalid', 'true');
  setI18n(slot, key, params);
  slot.hidden = false;
  return true;
}

export function clearFieldError(form, path) {
  const control = fieldControl(form, path);
  const slot = errorElementFor(form, path);
  if (control) control.removeAttribute('aria-invalid');
  if (slot) {
    clearI18n(slot);
    slot.hidden = true;
  }
}

export function clearFieldErrors(form) {
  for (const control of form.querySelectorAll('[data-field]')) {
    clearFieldError(form, control.dataset.field);
  }
}

/**
 * Shows server `details` next to the named fields. Our own text is used:
 * `keyForField[path]` if given, else a generic "please check this field".
 * Returns true if at least one detail matched a field on the form.
 */
export function showServerFieldErrors(form, details, keyForField = {}) {
  let matched = false;
  for (const { field } of details || []) {
    const key = Object.prototype.hasOwnProperty.call(keyForField, field) ? keyForField[field] : 'form.invalid';
    if (setFieldError(form, field, key)) matched = true;
  }
  return matched;
}

/** Moves focus to the first field marked invalid; returns whether there was one. */
export function focusFirstInvalid(form) {
  const first = form.querySelector('[aria-invalid="true"]');
  if (first) first.focus();
  return Boolean(first);
}

/** Clears a field's error as soon as the user edits it. */
export function clearErrorsOnInput(form) {
  form.addEventListener('input', (event) => {
    const path = event.target && event.target.dataset ? event.target.dataset.field : undefined;
    if (path && event.target.getAttribute('aria-invalid') === 'true') clearFieldError(form, path);
  });
}

/**
 * Puts a submit button into a busy state with `busyKey` as its label, or back.
 * The idle label key is read from the button's data-i18n.
 */
export function setBusy(button, busy, busyKey) {
  if (busy) {
    if (!button.dataset.idleKey) button.dataset.idleKey = button.dataset.i18n;
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    if (busyKey) setI18n(button, busyKey);
  } else {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    if (button.dataset.idleKey) setI18n(button, button.dataset.idleKey);
  }
}

/** Keeps `button` disabled for `seconds` (after "too many attempts"). */
export function holdButton(button, seconds) {
  if (!(seconds > 0)) return;
  button.disabled = true;
  window.setTimeout(() => {
    button.disabled = false;
  }, Math.min(seconds, 24 * 3600) * 1000);
}

/** Wires a "show password" checkbox to the given password inputs. */
export function wireShowPassword(checkbox, inputs) {
  checkbox.addEventListener('change', () => {
    for (const input of inputs) input.type = checkbox.checked ? 'text' : 'password';
  });
}

/** Trimmed value of a field, by path. */
export function fieldValue(form, path, { trim = true } = {}) {
  const control = fieldControl(form, path);
  if (!control) return '';
  return trim ? control.value.trim() : control.value;
}

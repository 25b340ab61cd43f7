// Building labelled form fields in script, the same shape as the static
// forms' markup: label, optional hint, control, error slot, each tied to the
// control by id (aria-describedby), and `data-field` / `data-error-for` for
// forms.js.

import { setI18n } from './i18n.js';

/** A `<label>` for `forId`: its text, and "(optional)" when the field may stay empty. */
export function labelFor(forId, key, { optional = false } = {}) {
  const label = document.createElement('label');
  label.htmlFor = forId;
  const text = document.createElement('span');
  setI18n(text, key);
  label.append(text);
  if (optional) {
    const note = document.createElement('span');
    note.className = 'optional';
    setI18n(note, 'console.optional');
    label.append(' ', note);
  }
  return label;
}

/**
 * A `.field` around `control`: `id` becomes the control's id, `path` its
 * data-field (the API's field name, so that server errors land next to it).
 */
export function buildField({ control, id, path, labelKey, hintKey, optional = false }) {
  const wrap = document.createElement('div');
  wrap.className = 'field';
  control.id = id;
  control.name = path;
  control.dataset.field = path;
  const described = [];
  wrap.append(labelFor(id, labelKey, { optional }));
  if (hintKey) {
    const hint = document.createElement('p');
    hint.className = 'hint';
    hint.id = `${id}-hint`;
    setI18n(hint, hintKey);
    wrap.append(hint);
    described.push(hint.id);
  }
  const error = document.createElement('p');
  error.className = 'field-error';
  error.id = `${id}-error`;
  error.dataset.errorFor = path;
  error.hidden = true;
  described.push(error.id);
  control.setAttribute('aria-describedby', described.join(' '));
  wrap.append(control, error);
  return wrap;
}

export function textInput({ maxLength, autocomplete = 'off', inputMode } = {}) {
  const input = document.createElement('input');
  input.type = 'text';
  if (maxLength) input.maxLength = maxLength;
  input.autocomplete = autocomplete;
  if (inputMode) input.inputMode = inputMode;
  return input;
}

/** A `<select>` starting with a "Choose…" option of value "". */
export function selectWithChoose(chooseKey = 'console.choose') {
  const select = document.createElement('select');
  const choose = document.createElement('option');
  choose.value = '';
  setI18n(choose, chooseKey);
  select.append(choose);
  return select;
}

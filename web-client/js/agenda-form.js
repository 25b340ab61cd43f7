// The form of one agenda item, to add one or to edit it: its title and an optional description,
// checked here as the server checks them (1-200 and at most 2000 characters), with the server's
// field errors shown next to the fields.

import { setI18n } from './i18n.js';
import { clearErrorsOnInput, clearFieldErrors, focusFirstInvalid, setBusy, setFieldError, showServerFieldErrors } from './forms.js';

const TITLE_MAX = 200;
const DESCRIPTION_MAX = 2000;
const FIELD_KEYS = { title: 'agenda.title_invalid', description: 'agenda.description_invalid' };

function node(tag, attrs = {}, key = null) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  if (key) setI18n(el, key);
  return el;
}

function field(prefix, name, labelKey, control) {
  const wrap = node('div', { class: 'field' });
  control.id = `${prefix}-${name}`;
  control.dataset.field = name;
  control.setAttribute('aria-describedby', `${prefix}-${name}-error`);
  const error = node('p', { class: 'field-error', id: `${prefix}-${name}-error`, 'data-error-for': name });
  error.hidden = true;
  wrap.append(node('label', { for: control.id }, labelKey), control, error);
  return wrap;
}

/**
 * `{ form, fill(item), reset(), focus(), showErrors(err), onSubmit, onCancel }`: set `onSubmit`
 * to a function of `{ title, description }` resolving to whether it was saved.
 */
export function agendaForm({ prefix, legendKey, submitKey, cancel = false }) {
  const form = node('form', { class: 'agenda-form', novalidate: '' });
  const fieldset = node('fieldset');
  const title = node('input', { type: 'text', maxlength: String(TITLE_MAX), autocomplete: 'off' });
  const description = node('textarea', { rows: '2', maxlength: String(DESCRIPTION_MAX) });
  fieldset.append(
    node('legend', {}, legendKey),
    field(prefix, 'title', 'agenda.title_label', title),
    field(prefix, 'description', 'agenda.description_label', description),
  );
  const actions = node('div', { class: 'actions' });
  const submit = node('button', { type: 'submit', class: 'button primary small-button' }, submitKey);
  actions.append(submit);
  const handle = {
    form,
    onSubmit: async () => false,
    onCancel: () => {},
    fill(item) {
      title.value = item.title || '';
      description.value = item.description || '';
    },
    reset() {
      form.reset();
      clearFieldErrors(form);
    },
    focus() {
      title.focus();
    },
    /** Shows the server's field errors; true if one matched a field here. */
    showErrors(err) {
      if (err.status !== 422 || !showServerFieldErrors(form, err.details, FIELD_KEYS)) return false;
      focusFirstInvalid(form);
      return true;
    },
  };
  if (cancel) {
    const back = node('button', { type: 'button', class: 'button small-button' }, 'agenda.cancel');
    back.addEventListener('click', () => handle.onCancel());
    actions.append(back);
  }
  form.append(fieldset, actions);
  clearErrorsOnInput(form);

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    clearFieldErrors(form);
    const body = { title: title.value.trim(), description: description.value.trim() || null };
    const titleLength = [...body.title].length;
    if (titleLength === 0 || titleLength > TITLE_MAX) setFieldError(form, 'title', FIELD_KEYS.title);
    if (body.description && [...body.description].length > DESCRIPTION_MAX) setFieldError(form, 'description', FIELD_KEYS.description);
    if (focusFirstInvalid(form)) return;
    setBusy(submit, true, 'agenda.working');
    try {
      await handle.onSubmit(body);
    } finally {
      if (submit.isConnected) setBusy(submit, false);
    }
  });
  return handle;
}

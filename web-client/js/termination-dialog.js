// Ending a failed mediation (PML 26): a modal <dialog> where the mediator picks the reasons and
// may add words of their own, which the parties read, before the case is terminated
// (POST /api/cases/{id}/termination). The parties are then shown the notice of their other
// routes in their language, and a live session of the case ends. Escape cancels.
//
//   const termination = await askTermination({ caseId, number })   // the TerminationView, or null

import { setI18n } from './i18n.js';
import { api } from './api.js';
import { describeError } from './errors.js';
import { clearFieldErrors, clearMessage, focusFirstInvalid, setBusy, setFieldError, showMessage } from './forms.js';

const REASONS = ['party_refused', 'party_withdrew', 'no_agreement', 'other_proceedings', 'other'];
const DETAILS_MAX = 2000;
const CODES = {
  transition_not_allowed: 'termination.error_not_allowed',
  case_archived: 'console.error_case_archived',
  forbidden: 'console.error_forbidden',
};

let parts = null;
let pending = null; // { caseId, resolve, opener }

function node(tag, attrs = {}, key = null, params = undefined) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  if (key) setI18n(el, key, params);
  return el;
}

function build() {
  const dialog = node('dialog', { id: 'termination-dialog', class: 'dialog termination-dialog', 'aria-labelledby': 'termination-heading' });
  const form = node('form', { method: 'dialog', novalidate: '' });
  const heading = node('h2', { id: 'termination-heading' });
  const intro = node('p', {}, 'termination.dialog_intro');

  const reasons = node('fieldset', { class: 'choices', 'aria-describedby': 'termination-reasons-error' });
  reasons.append(node('legend', {}, 'termination.reasons_legend'));
  for (const [at, code] of REASONS.entries()) {
    const wrap = node('div', { class: 'check' });
    const input = node('input', { type: 'checkbox', id: `termination-reason-${code}`, value: code });
    if (at === 0) input.dataset.field = 'reasons';
    wrap.append(input, node('label', { for: input.id }, `termination_reason.${code}`));
    reasons.append(wrap);
  }
  const reasonsError = node('p', { class: 'field-error', id: 'termination-reasons-error', 'data-error-for': 'reasons' });
  reasonsError.hidden = true;
  reasons.append(reasonsError);

  const details = node('div', { class: 'field' });
  const text = node('textarea', {
    id: 'termination-details',
    rows: '4',
    maxlength: String(DETAILS_MAX),
    'data-field': 'details',
    'aria-describedby': 'termination-details-hint termination-details-error',
  });
  const detailsError = node('p', { class: 'field-error', id: 'termination-details-error', 'data-error-for': 'details' });
  detailsError.hidden = true;
  details.append(
    node('label', { for: 'termination-details' }, 'termination.details_label'),
    node('p', { class: 'hint', id: 'termination-details-hint' }, 'termination.details_hint'),
    text,
    detailsError,
  );

  const status = node('div', { class: 'live', 'aria-live': 'polite' });
  const actions = node('div', { class: 'actions' });
  const confirm = node('button', { type: 'submit', id: 'termination-confirm', class: 'button danger' }, 'termination.confirm');
  const cancel = node('button', { type: 'button', id: 'termination-cancel', class: 'button' }, 'termination.cancel');
  actions.append(confirm, cancel);
  form.append(heading, intro, reasons, details, node('p', { class: 'muted small' }, 'termination.session_note'), status, actions);
  dialog.append(form);
  document.body.append(dialog);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  form.addEventListener('change', () => clearFieldErrors(form));
  cancel.addEventListener('click', () => done(null));
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault(); // Escape: handled as "cancel", with focus restored
    if (!confirm.disabled) done(null);
  });
  parts = { dialog, form, heading, text, status, confirm };
}

function done(value) {
  if (!pending) return;
  const { resolve, opener } = pending;
  pending = null;
  if (parts.dialog.open) parts.dialog.close();
  if (opener && typeof opener.focus === 'function' && opener.isConnected) opener.focus();
  resolve(value);
}

/** The reasons and details as chosen, or null after marking what is missing. */
function read() {
  const { form, text } = parts;
  clearFieldErrors(form);
  const reasons = [...form.querySelectorAll('input[type="checkbox"]:checked')].map((input) => input.value);
  const details = text.value.trim();
  if (reasons.length === 0) setFieldError(form, 'reasons', 'termination.reasons_required');
  if (reasons.includes('other') && details === '') setFieldError(form, 'details', 'termination.details_required');
  if ([...details].length > DETAILS_MAX) setFieldError(form, 'details', 'termination.details_invalid');
  if (focusFirstInvalid(form)) return null;
  return { reasons, details: details || null };
}

async function submit() {
  const { confirm, status, form } = parts;
  if (!pending || confirm.disabled) return;
  clearMessage(status);
  const body = read();
  if (!body) return;
  setBusy(confirm, true, 'termination.working');
  try {
    const termination = await api.post(`/api/cases/${encodeURIComponent(pending.caseId)}/termination`, body);
    done(termination);
  } catch (err) {
    // The same checks as read(), in case the server saw more: field errors by their field.
    const fields = err.status === 422 ? (err.details || []).map((d) => d.field.split('[')[0]) : [];
    const detailsKey = body.details ? 'termination.details_invalid' : 'termination.details_required';
    for (const field of fields) setFieldError(form, field, field === 'details' ? detailsKey : 'termination.reasons_required');
    if (!focusFirstInvalid(form)) showMessage(status, describeError(err, CODES), 'error');
  } finally {
    setBusy(confirm, false);
  }
}

/** Opens the dialog for the case numbered `number`; resolves as the module's header says. */
export function askTermination({ caseId, number }) {
  if (!parts) build();
  if (pending) done(null);
  const { dialog, form, heading, status, confirm } = parts;
  form.reset();
  clearFieldErrors(form);
  clearMessage(status);
  setI18n(heading, 'termination.dialog_heading', { number: number || '' });
  return new Promise((resolve) => {
    pending = { caseId, resolve, opener: document.activeElement };
    dialog.showModal();
    setBusy(confirm, false);
    form.querySelector('input').focus();
  });
}

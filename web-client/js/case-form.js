// The registration details of a case, as a form: dispute type, source,
// summary, amount in yuan (sent as whole fen) and, when registering, an
// optional case number carried over from a paper register. Used to register a
// case (case-new.js) and to edit one (case.js).

import { clearFieldErrors, fieldControl, fieldValue, setFieldError, showServerFieldErrors } from './forms.js';
import { buildField, selectWithChoose, textInput } from './field.js';
import { fenToYuan, parseYuan } from './money.js';
import { CASE_SOURCES, DISPUTE_TYPES, addOptions } from './staff.js';

const SUMMARY_MAX = 4000;
const SEQ_MAX = 999_999;

const AMOUNT_ERRORS = {
  negative: 'caseform.amount_negative',
  decimals: 'caseform.amount_decimals',
  too_large: 'caseform.amount_too_large',
  format: 'caseform.amount_format',
};

// Our own text for the server's rejection of a field.
const SERVER_FIELD_KEYS = {
  summary: 'caseform.summary_invalid',
  amount_fen: 'caseform.amount_format',
  number_seq: 'caseform.number_invalid',
  dispute_type: 'form.required',
  source: 'form.required',
};

/**
 * Adds the fields to `container` (ids start with `prefix`). With
 * `withNumber`, also the optional case number of a paper register.
 */
export function buildCaseFields(container, prefix, { withNumber = false } = {}) {
  const type = selectWithChoose();
  addOptions(type, 'dispute_type.', DISPUTE_TYPES);
  type.required = true;
  const source = selectWithChoose();
  addOptions(source, 'case_source.', CASE_SOURCES);
  source.required = true;
  const summary = document.createElement('textarea');
  summary.rows = 5;
  summary.maxLength = SUMMARY_MAX;
  summary.required = true;
  const amount = textInput({ maxLength: 24, inputMode: 'decimal' });

  const grid = document.createElement('div');
  grid.className = 'field-pair';
  grid.append(
    buildField({ control: type, id: `${prefix}-type`, path: 'dispute_type', labelKey: 'caseform.dispute_type' }),
    buildField({ control: source, id: `${prefix}-source`, path: 'source', labelKey: 'caseform.source' }),
  );
  container.append(
    grid,
    buildField({
      control: summary,
      id: `${prefix}-summary`,
      path: 'summary',
      labelKey: 'caseform.summary',
      hintKey: 'caseform.summary_hint',
    }),
    buildField({
      control: amount,
      id: `${prefix}-amount`,
      path: 'amount_fen',
      labelKey: 'caseform.amount',
      hintKey: 'caseform.amount_hint',
      optional: true,
    }),
  );
  amount.classList.add('input-short');
  if (withNumber) {
    const seq = textInput({ maxLength: 6, inputMode: 'numeric' });
    seq.classList.add('input-short');
    container.append(
      buildField({
        control: seq,
        id: `${prefix}-seq`,
        path: 'number_seq',
        labelKey: 'caseform.number_seq',
        hintKey: 'caseform.number_seq_hint',
        optional: true,
      }),
    );
  }
}

/** Puts a case's details into the fields. */
export function fillCaseFields(form, theCase) {
  fieldControl(form, 'dispute_type').value = theCase.dispute_type || '';
  fieldControl(form, 'source').value = theCase.source || '';
  fieldControl(form, 'summary').value = theCase.summary || '';
  fieldControl(form, 'amount_fen').value = theCase.amount_fen == null ? '' : fenToYuan(theCase.amount_fen);
}

/**
 * Checks the fields and returns the request body, or null after marking the
 * fields that are wrong. Never sends a float: the amount goes as whole fen.
 */
export function readCaseFields(form, { withNumber = false } = {}) {
  clearFieldErrors(form);
  const body = {
    dispute_type: fieldValue(form, 'dispute_type'),
    source: fieldValue(form, 'source'),
    summary: fieldValue(form, 'summary'),
    amount_fen: null,
  };
  let ok = true;
  const fail = (path, key) => {
    setFieldError(form, path, key);
    ok = false;
  };
  if (!DISPUTE_TYPES.includes(body.dispute_type)) fail('dispute_type', 'form.required');
  if (!CASE_SOURCES.includes(body.source)) fail('source', 'form.required');
  if (body.summary === '') fail('summary', 'form.required');
  else if ([...body.summary].length > SUMMARY_MAX) fail('summary', 'caseform.summary_invalid');
  const amount = parseYuan(fieldValue(form, 'amount_fen'));
  if (amount.error) fail('amount_fen', AMOUNT_ERRORS[amount.error]);
  else body.amount_fen = amount.fen;
  if (withNumber) {
    const raw = fieldValue(form, 'number_seq').normalize('NFKC');
    if (raw === '') {
      body.number_seq = null;
    } else if (/^\d{1,6}$/.test(raw) && Number(raw) >= 1 && Number(raw) <= SEQ_MAX) {
      body.number_seq = Number(raw);
    } else {
      fail('number_seq', 'caseform.number_invalid');
    }
  }
  return ok ? body : null;
}

/**
 * Shows the server's per-field errors next to the fields; true if one matched.
 * A taken case number (409 already_exists on number_seq) gets its own text.
 */
export function showCaseServerErrors(form, err) {
  const keys = { ...SERVER_FIELD_KEYS };
  if (err.code === 'already_exists') keys.number_seq = 'caseform.number_taken';
  return showServerFieldErrors(form, err.details, keys);
}

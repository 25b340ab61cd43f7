// The mediator's editor of the agreement (PML 29): each party's details, the facts, issues and
// responsibilities, and the terms with how and by when each is performed. Saving makes a new
// version; the server checks every field and its errors land next to the field they name.

import { setI18n } from './i18n.js';
import { api } from './api.js';
import { describeError } from './errors.js';
import { buildField, textInput } from './field.js';
import {
  clearErrorsOnInput,
  clearFieldErrors,
  focusFirstInvalid,
  setBusy,
  showMessage,
  showServerFieldErrors,
} from './forms.js';
import { fenToYuan, parseYuan } from './money.js';

function el(tag, className) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  return node;
}

function translated(tag, key, params) {
  const node = el(tag);
  setI18n(node, key, params);
  return node;
}

function textArea(rows = 3) {
  const area = document.createElement('textarea');
  area.rows = rows;
  area.maxLength = 10000;
  return area;
}

function select(options, value) {
  const control = document.createElement('select');
  for (const [optionValue, key] of options) {
    const option = document.createElement('option');
    option.value = optionValue;
    setI18n(option, key);
    control.append(option);
  }
  control.value = value ?? '';
  return control;
}

function field(form, id, path, labelKey, control, value) {
  if (value != null && control.tagName !== 'SELECT') control.value = value;
  return buildField({ control, id: `${form.id}-${id}`, path, labelKey });
}

/** The dialog of session.html, for case `caseId`. `onSaved(version)` runs after each save. */
export class AgreementEditor {
  constructor(dialog, caseId, onSaved) {
    this.dialog = dialog;
    this.caseId = caseId;
    this.onSaved = onSaved;
    this.form = dialog.querySelector('form');
    this.fields = dialog.querySelector('#agreement-editor-fields');
    this.status = dialog.querySelector('#agreement-editor-status');
    this.save = dialog.querySelector('#agreement-editor-save');
    this.terms = [];
    this.termSeq = 0;
    clearErrorsOnInput(this.form);
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    dialog.querySelector('#agreement-editor-cancel').addEventListener('click', () => dialog.close());
  }

  /** Opens the editor on `body` (the latest version's agreement) or, for a first draft, blank. */
  async open(body) {
    const participants = await api.get(`/api/cases/${this.caseId}/participants`);
    this.parties = participants.filter((p) => p.role === 'party');
    const content = body ? body.content : null;
    const known = new Map((content ? content.parties : []).map((p) => [p.participant, p]));
    this.fields.replaceChildren();
    this.status.replaceChildren();
    const f = this.form;
    const top = el('div', 'editor-row');
    top.append(
      field(f, 'form', 'form', 'editor.form', select([['written', 'editor.form_written'], ['oral', 'editor.form_oral']], body ? body.form : 'written')),
    );
    const personal = document.createElement('input');
    personal.type = 'checkbox';
    personal.id = 'agreement-editor-personal';
    personal.dataset.field = 'content.personal_relationship';
    personal.checked = Boolean(content && content.personal_relationship);
    const personalLabel = translated('label', 'editor.personal');
    personalLabel.htmlFor = personal.id;
    const check = el('div', 'choice');
    check.append(personal, personalLabel);
    top.append(check);
    this.fields.append(top);
    this.parties.forEach((party, i) => this.fields.append(this.partyFields(i, party, known.get(party.id))));
    for (const [name, key] of [['facts', 'agreement.facts'], ['issues', 'agreement.issues'], ['responsibilities', 'agreement.responsibilities']]) {
      this.fields.append(field(f, name, `content.${name}`, key, textArea(), content ? content[name] : ''));
    }
    this.termList = el('div', 'editor-terms');
    this.fields.append(this.termList);
    const add = translated('button', 'editor.add_term');
    add.type = 'button';
    add.className = 'button';
    add.addEventListener('click', () => this.addTerm({}));
    this.fields.append(add);
    this.terms = [];
    for (const term of content ? content.terms : [{}]) this.addTerm(term);
    this.dialog.showModal();
  }

  partyFields(i, party, saved) {
    const f = this.form;
    const group = el('fieldset', 'editor-party');
    group.append(translated('legend', 'editor.party_heading', { name: party.name }));
    group.dataset.participant = party.id;
    const at = `content.parties.${i}`;
    const sex = select([['', 'editor.sex_unknown'], ['female', 'agreement.sex_female'], ['male', 'agreement.sex_male']], saved && saved.sex);
    const age = textInput({ maxLength: 3, inputMode: 'numeric' });
    group.append(
      field(f, `p${i}-name`, `${at}.name`, 'editor.name', textInput({ maxLength: 100 }), saved ? saved.name : party.name),
      field(f, `p${i}-sex`, `${at}.sex`, 'editor.sex', sex),
      field(f, `p${i}-age`, `${at}.age`, 'editor.age', age, saved && saved.age != null ? String(saved.age) : ''),
    );
    for (const [name, key, max] of [['ethnicity', 'editor.ethnicity', 20], ['occupation', 'editor.occupation', 100], ['address', 'editor.address', 300], ['contact', 'editor.contact', 100]]) {
      const fallback = name === 'contact' ? party.contact : name === 'address' ? party.service_address : '';
      group.append(field(f, `p${i}-${name}`, `${at}.${name}`, key, textInput({ maxLength: max }), saved ? saved[name] : fallback));
    }
    return group;
  }

  addTerm(term) {
    const f = this.form;
    // Ids stay unique however terms are removed and added; paths are renumbered on saving.
    const n = this.termSeq++;
    const group = el('fieldset', 'editor-term');
    group.append(translated('legend', 'editor.term_heading', { n: this.terms.length + 1 }));
    const at = `content.terms.${this.terms.length}`;
    const obligor = select([['', 'editor.term_obligor_none']]);
    for (const party of this.parties) {
      const option = document.createElement('option');
      option.value = party.id;
      option.textContent = party.name;
      obligor.append(option);
    }
    obligor.value = term.obligor || '';
    const deadline = document.createElement('input');
    deadline.type = 'date';
    group.append(
      field(f, `t${n}-text`, `${at}.text`, 'editor.term_text', textArea(2), term.text || ''),
      field(f, `t${n}-obligor`, `${at}.obligor`, 'editor.term_obligor', obligor),
      field(f, `t${n}-manner`, `${at}.manner`, 'editor.term_manner', textInput({ maxLength: 1000 }), term.manner || ''),
      field(f, `t${n}-deadline`, `${at}.deadline`, 'editor.term_deadline', deadline, term.deadline || ''),
      field(f, `t${n}-amount`, `${at}.amount_fen`, 'editor.term_amount', textInput({ maxLength: 20, inputMode: 'decimal' }), term.amount_fen != null ? fenToYuan(term.amount_fen) : ''),
    );
    const remove = translated('button', 'editor.remove_term');
    remove.type = 'button';
    remove.className = 'button danger small';
    remove.addEventListener('click', () => {
      this.terms = this.terms.filter((g) => g !== group);
      group.remove();
      this.renumberTerms();
    });
    group.append(remove);
    this.terms.push(group);
    this.termList.append(group);
  }

  value(path) {
    const control = [...this.form.querySelectorAll('[data-field]')].find((c) => c.dataset.field === path);
    return control ? control.value.trim() : '';
  }

  /** Numbers the terms' fields as the server will name them: in the order they are sent. */
  renumberTerms() {
    this.terms.forEach((group, i) => {
      for (const node of group.querySelectorAll('[data-field], [data-error-for]')) {
        const rename = (path) => path.replace(/^content\.terms\.\d+/, `content.terms.${i}`);
        if (node.dataset.field) node.dataset.field = rename(node.dataset.field);
        if (node.dataset.errorFor) node.dataset.errorFor = rename(node.dataset.errorFor);
      }
      setI18n(group.querySelector('legend'), 'editor.term_heading', { n: i + 1 });
    });
  }

  /** The request body, or null after marking a field that cannot be sent as typed. */
  collect() {
    this.renumberTerms();
    const orNull = (text) => (text === '' ? null : text);
    const parties = this.parties.map((party, i) => {
      const at = `content.parties.${i}`;
      const age = this.value(`${at}.age`);
      return {
        participant: party.id,
        name: this.value(`${at}.name`),
        sex: orNull(this.value(`${at}.sex`)),
        age: age === '' ? null : Number.parseInt(age, 10),
        ethnicity: orNull(this.value(`${at}.ethnicity`)),
        occupation: orNull(this.value(`${at}.occupation`)),
        address: orNull(this.value(`${at}.address`)),
        contact: orNull(this.value(`${at}.contact`)),
      };
    });
    const terms = [];
    let typo = null;
    for (const group of this.terms) {
      const prefix = group.querySelector('[data-field$=".text"]').dataset.field.replace(/\.text$/, '');
      const amount = parseYuan(this.value(`${prefix}.amount_fen`));
      if (amount.error) typo = `${prefix}.amount_fen`;
      terms.push({
        text: this.value(`${prefix}.text`),
        obligor: orNull(this.value(`${prefix}.obligor`)),
        manner: this.value(`${prefix}.manner`),
        deadline: orNull(this.value(`${prefix}.deadline`)),
        amount_fen: amount.fen ?? null,
      });
    }
    if (typo) {
      showServerFieldErrors(this.form, [{ field: typo }]);
      return null;
    }
    return {
      form: this.value('form'),
      content: {
        parties,
        facts: this.value('content.facts'),
        issues: this.value('content.issues'),
        responsibilities: this.value('content.responsibilities'),
        terms,
        personal_relationship: this.form.querySelector('#agreement-editor-personal').checked,
      },
    };
  }

  async submit() {
    clearFieldErrors(this.form);
    const request = this.collect();
    if (!request) {
      focusFirstInvalid(this.form);
      return;
    }
    setBusy(this.save, true);
    try {
      const saved = await api.post(`/api/cases/${this.caseId}/agreement/versions`, request);
      this.dialog.close();
      this.onSaved(saved.version);
    } catch (err) {
      if (err.status === 422 && showServerFieldErrors(this.form, err.details)) {
        showMessage(this.status, 'form.fix_errors', 'error');
        focusFirstInvalid(this.form);
      } else {
        showMessage(this.status, describeError(err, { agreement_effective: 'agreement.error_effective' }), 'error');
      }
    } finally {
      setBusy(this.save, false);
    }
  }
}

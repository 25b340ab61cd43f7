// Return visits (回访) on the case page: once the agreement is in effect, one visit per term on
// its deadline; the committee's staff record how each term was performed and how satisfied the
// parties are (PML 31). A recorded visit stays as recorded.

import { formatDate, setI18n } from './i18n.js';
import { api } from './api.js';
import { describeError } from './errors.js';
import { setBusy, showMessage } from './forms.js';

function el(tag, className, key, params) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (key) setI18n(node, key, params);
  return node;
}

const PERFORMANCE = {
  performed: 'followup.performance.performed',
  partly: 'followup.performance.partly',
  not_performed: 'followup.performance.not_performed',
};
const SATISFACTION = {
  satisfied: 'followup.satisfaction.satisfied',
  basically_satisfied: 'followup.satisfaction.basically_satisfied',
  dissatisfied: 'followup.satisfaction.dissatisfied',
};

function choice(name, keys) {
  const select = document.createElement('select');
  select.name = name;
  for (const [value, key] of Object.entries(keys)) {
    const option = el('option', null, key);
    option.value = value;
    select.append(option);
  }
  return select;
}

export function initFollowUp(page) {
  const section = document.getElementById('case-follow-up');
  const list = document.getElementById('case-follow-up-list');
  const status = document.getElementById('case-follow-up-status');

  function visitItem(visit, terms, editable) {
    const item = el('li', 'follow-up-visit');
    item.dataset.visit = visit.id;
    const term = terms[visit.term];
    const head = el('p', null, 'followup.visit_line', { n: visit.term + 1, date: visit.due_on });
    item.append(head);
    if (term) {
      const text = el('p', 'muted small');
      text.textContent = term.text;
      item.append(text);
    }
    if (visit.visited_at) {
      item.append(el('p', 'record-note', 'followup.found', {
        date: formatDate(visit.visited_at),
        performance: { key: PERFORMANCE[visit.performance] },
        satisfaction: { key: SATISFACTION[visit.satisfaction] },
      }));
      if (visit.note) {
        const note = el('p');
        note.textContent = visit.note;
        item.append(note);
      }
      return item;
    }
    if (!editable) return item;
    const form = el('form', 'inline-form');
    form.noValidate = true;
    const performance = choice('performance', PERFORMANCE);
    const satisfaction = choice('satisfaction', SATISFACTION);
    const note = document.createElement('input');
    note.type = 'text';
    note.name = 'note';
    note.maxLength = 2000;
    for (const [control, key] of [[performance, 'followup.performance_label'], [satisfaction, 'followup.satisfaction_label'], [note, 'followup.note_label']]) {
      const label = el('label', null, key);
      control.id = `visit-${visit.id}-${control.name}`;
      label.htmlFor = control.id;
      const field = el('div', 'field');
      field.append(label, control);
      form.append(field);
    }
    const save = el('button', 'button primary', 'followup.record');
    save.type = 'submit';
    form.append(save);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      setBusy(save, true);
      try {
        const body = { performance: performance.value, satisfaction: satisfaction.value };
        if (note.value.trim()) body.note = note.value.trim();
        await api.post(page.caseUrl(`/follow-ups/${visit.id}`), body);
        showMessage(status, 'followup.saved', 'success');
        await reload();
      } catch (err) {
        setBusy(save, false);
        showMessage(status, describeError(err), 'error');
      }
    });
    item.append(form);
    return item;
  }

  async function reload() {
    const visits = await api.get(page.caseUrl('/follow-ups'));
    section.hidden = visits.length === 0;
    if (visits.length === 0) return;
    const agreement = await api.get(page.caseUrl('/agreement'));
    const terms = agreement.latest ? agreement.latest.agreement.content.terms : [];
    const editable = !page.frozen();
    list.replaceChildren(...visits.map((visit) => visitItem(visit, terms, editable)));
  }

  return { reload };
}

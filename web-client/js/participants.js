// The participants of a case (GET/POST/PUT/DELETE …/participants): parties
// with their side and kind of person, agents with the party they represent,
// invited participants, observers and interpreters. Each card also holds the
// participant's invitation links (invitations.js) for the case's mediators.

import { setI18n } from './i18n.js';
import { api, request } from './api.js';
import {
  clearErrorsOnInput,
  clearFieldError,
  clearFieldErrors,
  clearMessage,
  fieldControl,
  fieldValue,
  focusFirstInvalid,
  setBusy,
  setFieldError,
  showMessage,
  showServerFieldErrors,
} from './forms.js';
import { buildField, textInput } from './field.js';
import { confirmAction } from './console-dialog.js';
import { invitationBlock } from './invitations.js';
import { labelParam, setLabel, showError } from './staff.js';

const SIDE_ORDER = { applicant: 0, respondent: 1 };
const ROLE_NOTES = {
  invited: 'participants.note_invited',
  observer: 'participants.note_observer',
};
// Our own text for the server's rejection of a field.
const FIELD_KEYS = {
  name: 'participants.name_invalid',
  contact: 'participants.contact_invalid',
  service_address: 'participants.address_invalid',
  represents: 'participants.represents_invalid',
  side: 'form.required',
  person_kind: 'form.required',
};

/** Name, contact and service address: the fields of both adding and editing. */
function detailFields(container, prefix) {
  container.append(
    buildField({
      control: textInput({ maxLength: 100, autocomplete: 'off' }),
      id: `${prefix}-name`,
      path: 'name',
      labelKey: 'participants.name',
    }),
    buildField({
      control: textInput({ maxLength: 100, autocomplete: 'off' }),
      id: `${prefix}-contact`,
      path: 'contact',
      labelKey: 'participants.contact',
      hintKey: 'participants.contact_hint',
      optional: true,
    }),
    buildField({
      control: textInput({ maxLength: 300, autocomplete: 'off' }),
      id: `${prefix}-address`,
      path: 'service_address',
      labelKey: 'participants.address',
      hintKey: 'participants.address_hint',
      optional: true,
    }),
  );
}

function readDetails(form) {
  const optional = (path) => (fieldValue(form, path) === '' ? null : fieldValue(form, path));
  const body = { name: fieldValue(form, 'name'), contact: optional('contact'), service_address: optional('service_address') };
  if (body.name === '') setFieldError(form, 'name', 'form.required');
  return body;
}

/** Parties first (applicants, then respondents), each followed by their agents; then everyone else. */
export function orderParticipants(participants) {
  const parties = participants
    .filter((p) => p.role === 'party')
    .sort((a, b) => (SIDE_ORDER[a.side] ?? 2) - (SIDE_ORDER[b.side] ?? 2));
  const out = [];
  for (const party of parties) {
    out.push(party, ...participants.filter((p) => p.role === 'agent' && p.represents === party.id));
  }
  return [...out, ...participants.filter((p) => !out.includes(p))];
}

/** "Party (applicant) · natural person", "Agent for 李甲", "Interpreter". */
function roleLine(p, nameOf) {
  const el = document.createElement('p');
  el.className = 'participant-role';
  const role = labelParam('participant_role.', p.role);
  if (p.role === 'party') {
    setI18n(el, 'participants.role_party', {
      role,
      side: labelParam('side.', p.side),
      kind: labelParam('person_kind.', p.person_kind),
    });
  } else if (p.role === 'agent') {
    setI18n(el, 'participants.role_agent', { role, name: nameOf(p.represents) });
  } else {
    setLabel(el, 'participant_role.', p.role);
  }
  return el;
}

export function initParticipants(page) {
  const { state } = page;
  const list = document.getElementById('participant-list');
  const status = document.getElementById('participants-status');
  const addOpen = document.getElementById('participant-add-open');
  const form = document.getElementById('participant-form');
  const formStatus = document.getElementById('participant-form-status');
  const submit = document.getElementById('participant-submit');
  const roleSelect = document.getElementById('participant-role');
  const representsSelect = document.getElementById('participant-represents');
  /** The participant whose details are being edited in their card, if any. */
  let editing = null;
  let working = false;

  detailFields(document.getElementById('participant-detail-fields'), 'participant');
  clearErrorsOnInput(form);
  // A choice among radios clears its group's error (only the first radio carries data-field).
  form.addEventListener('change', (event) => {
    if (event.target.type === 'radio') clearFieldError(form, event.target.name);
  });

  /** Names of everyone the case has had, removed participants included (from the record). */
  function nameOf(id) {
    const current = state.participants.find((p) => p.id === id);
    if (current) return current.name;
    const added = (state.events?.events || []).filter(
      (e) => (e.kind === 'participant_added' || e.kind === 'participant_edited') && e.payload?.participant === id,
    );
    return added.length > 0 ? added[added.length - 1].payload.name : '';
  }

  // ---- Adding ----

  function showRoleFields() {
    const role = roleSelect.value;
    for (const el of form.querySelectorAll('[data-party-only]')) el.hidden = role !== 'party';
    for (const el of form.querySelectorAll('[data-agent-only]')) el.hidden = role !== 'agent';
    const note = document.getElementById('participant-role-note');
    if (ROLE_NOTES[role]) setI18n(note, ROLE_NOTES[role]);
    note.hidden = !ROLE_NOTES[role];
    clearFieldErrors(form);
  }

  function fillRepresents() {
    const chosen = representsSelect.value;
    for (const option of [...representsSelect.options].slice(1)) option.remove();
    for (const party of orderParticipants(state.participants).filter((p) => p.role === 'party')) {
      const option = document.createElement('option');
      option.value = party.id;
      setI18n(option, 'participants.party_option', { name: party.name, side: labelParam('side.', party.side) });
      representsSelect.append(option);
    }
    representsSelect.value = [...representsSelect.options].some((o) => o.value === chosen) ? chosen : '';
  }

  function openAdd() {
    clearMessage(formStatus);
    fillRepresents();
    showRoleFields();
    form.hidden = false;
    addOpen.setAttribute('aria-expanded', 'true');
    roleSelect.focus();
  }

  function closeAdd() {
    form.hidden = true;
    addOpen.setAttribute('aria-expanded', 'false');
    addOpen.focus();
  }

  function readAdd() {
    clearFieldErrors(form);
    const role = roleSelect.value;
    const body = { role, ...readDetails(form) };
    if (role === 'party') {
      body.side = form.querySelector('input[name="side"]:checked')?.value || null;
      body.person_kind = form.querySelector('input[name="person_kind"]:checked')?.value || null;
      if (!body.side) setFieldError(form, 'side', 'participants.side_required');
      if (!body.person_kind) setFieldError(form, 'person_kind', 'participants.kind_required');
    } else if (role === 'agent') {
      body.represents = representsSelect.value || null;
      if (!body.represents) {
        const noParties = representsSelect.options.length <= 1;
        setFieldError(form, 'represents', noParties ? 'participants.no_party_yet' : 'form.required');
      }
    }
    return focusFirstInvalid(form) ? null : body;
  }

  addOpen.addEventListener('click', () => (form.hidden ? openAdd() : closeAdd()));
  document.getElementById('participant-cancel').addEventListener('click', closeAdd);
  roleSelect.addEventListener('change', showRoleFields);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    clearMessage(formStatus);
    const body = readAdd();
    if (!body) {
      showMessage(formStatus, 'form.fix_errors', 'error');
      return;
    }
    setBusy(submit, true, 'console.saving');
    working = true;
    try {
      const added = await api.post(page.caseUrl('/participants'), body);
      for (const path of ['name', 'contact', 'service_address']) fieldControl(form, path).value = '';
      for (const radio of form.querySelectorAll('input[type="radio"]')) radio.checked = false;
      await page.refresh({ participants: true });
      fillRepresents();
      showMessage(formStatus, { key: 'participants.added', params: { name: added.name } }, 'success');
      roleSelect.focus();
    } catch (err) {
      if (err.status !== 401 && showServerFieldErrors(form, err.details, FIELD_KEYS)) {
        showMessage(formStatus, 'form.fix_errors', 'error');
        focusFirstInvalid(form);
      } else {
        showError(formStatus, err);
      }
    } finally {
      working = false;
      setBusy(submit, false);
    }
  });

  // ---- Editing and removing, in each card ----

  function editForm(p) {
    const edit = document.createElement('form');
    edit.className = 'participant-edit';
    edit.noValidate = true;
    const fieldset = document.createElement('fieldset');
    const legend = document.createElement('legend');
    setI18n(legend, 'participants.edit_legend', { name: p.name });
    fieldset.append(legend);
    detailFields(fieldset, `participant-edit-${p.id}`);
    const editStatus = document.createElement('div');
    editStatus.className = 'live';
    editStatus.setAttribute('aria-live', 'polite');
    const actions = document.createElement('div');
    actions.className = 'actions';
    const save = document.createElement('button');
    save.type = 'submit';
    save.className = 'button primary';
    setI18n(save, 'console.save');
    const cancel = document.createElement('button');
    cancel.type = 'button';
    cancel.className = 'button';
    setI18n(cancel, 'console.cancel');
    actions.append(save, cancel);
    edit.append(fieldset, editStatus, actions);
    fieldControl(edit, 'name').value = p.name;
    fieldControl(edit, 'contact').value = p.contact || '';
    fieldControl(edit, 'service_address').value = p.service_address || '';
    clearErrorsOnInput(edit);

    cancel.addEventListener('click', () => {
      editing = null;
      render();
      list.querySelector(`button[data-action="edit"][data-participant="${p.id}"]`)?.focus();
    });
    edit.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (save.disabled) return;
      clearFieldErrors(edit);
      clearMessage(editStatus);
      const body = readDetails(edit);
      if (focusFirstInvalid(edit)) return;
      setBusy(save, true, 'console.saving');
      try {
        await request('PUT', page.caseUrl(`/participants/${encodeURIComponent(p.id)}`), { body });
        editing = null;
        await page.refresh({ participants: true });
        showMessage(status, { key: 'participants.saved', params: { name: body.name } }, 'success');
        list.querySelector(`button[data-action="edit"][data-participant="${p.id}"]`)?.focus();
      } catch (err) {
        setBusy(save, false);
        if (err.status !== 401 && showServerFieldErrors(edit, err.details, FIELD_KEYS)) {
          showMessage(editStatus, 'form.fix_errors', 'error');
          focusFirstInvalid(edit);
        } else {
          showError(editStatus, err);
        }
      }
    });
    return edit;
  }

  async function remove(p, button) {
    clearMessage(status);
    const ok = await confirmAction({
      heading: { key: 'participants.remove_heading', params: { name: p.name } },
      text: { key: 'participants.remove_text' },
      confirmKey: 'participants.remove',
      danger: true,
    });
    if (!ok) return;
    setBusy(button, true, 'console.working');
    working = true;
    try {
      await request('DELETE', page.caseUrl(`/participants/${encodeURIComponent(p.id)}`));
      await page.refresh({ participants: true, invitations: true });
      showMessage(status, { key: 'participants.removed', params: { name: p.name } }, 'success');
      document.getElementById('case-participants-heading').focus();
    } catch (err) {
      if (button.isConnected) setBusy(button, false);
      showError(status, err);
    } finally {
      working = false;
    }
  }

  function contactFacts(p) {
    const dl = document.createElement('dl');
    dl.className = 'participant-facts';
    for (const [key, value] of [
      ['participants.contact', p.contact],
      ['participants.address', p.service_address],
    ]) {
      if (!value) continue;
      const row = document.createElement('div');
      const dt = document.createElement('dt');
      setI18n(dt, key);
      const dd = document.createElement('dd');
      dd.textContent = value;
      row.append(dt, dd);
      dl.append(row);
    }
    return dl;
  }

  function actionButton(action, key, p) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = `button compact${action === 'remove' ? ' danger-outline' : ''}`;
    button.dataset.action = action;
    button.dataset.participant = p.id;
    button.setAttribute('aria-describedby', `participant-name-${p.id}`);
    setI18n(button, key);
    button.addEventListener('click', () => {
      if (action === 'edit') {
        editing = p.id;
        render();
        fieldControl(list.querySelector(`li[data-participant="${p.id}"] form`), 'name')?.focus();
      } else {
        remove(p, button);
      }
    });
    return button;
  }

  function card(p) {
    const li = document.createElement('li');
    li.className = `card participant role-${p.role}`;
    li.dataset.participant = p.id;
    li.dataset.role = p.role;
    const head = document.createElement('div');
    head.className = 'participant-head';
    const titles = document.createElement('div');
    const name = document.createElement('h3');
    name.id = `participant-name-${p.id}`;
    name.className = 'participant-name';
    name.textContent = p.name;
    titles.append(name, roleLine(p, nameOf));
    head.append(titles);
    if (!page.frozen() && editing !== p.id) {
      const actions = document.createElement('div');
      actions.className = 'participant-actions';
      actions.append(actionButton('edit', 'participants.edit', p), actionButton('remove', 'participants.remove', p));
      head.append(actions);
    }
    li.append(head);
    if (editing === p.id && !page.frozen()) li.append(editForm(p));
    else li.append(contactFacts(p));
    if (page.isAssigned()) li.append(invitationBlock(page, p));
    return li;
  }

  function render() {
    const frozen = page.frozen();
    addOpen.hidden = frozen;
    if (frozen) form.hidden = true;
    document.getElementById('case-invitations-note').hidden = page.isAssigned() || frozen;
    if (editing && !state.participants.some((p) => p.id === editing)) editing = null;
    const ordered = orderParticipants(state.participants);
    list.replaceChildren(...ordered.map(card));
    if (ordered.length === 0) showMessage(status, 'participants.none', 'info');
    else if (status.querySelector('[data-i18n="participants.none"]')) clearMessage(status);
    if (!form.hidden) fillRepresents();
  }

  return {
    render,
    /** Whether a form is open or a change is on its way (then the page does not refresh by itself). */
    busy: () => working || editing !== null || !form.hidden || state.issuing === true,
  };
}

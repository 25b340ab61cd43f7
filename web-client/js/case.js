// The case page (/case?id=…): its registration (editable), where it stands in
// its life with the steps allowed from there, its mediators, its participants
// with their invitation links, and its record. An archived case is shown read
// only. The sections live in their own modules; this one loads the case, keeps
// the page's state and renders the head, the lifecycle and the registration.

import { initI18n, setI18n } from './i18n.js';
import { api, request } from './api.js';
import { clearErrorsOnInput, clearMessage, focusFirstInvalid, setBusy, showMessage } from './forms.js';
import { buildCaseFields, fillCaseFields, readCaseFields, showCaseServerErrors } from './case-form.js';
import { confirmAction } from './console-dialog.js';
import { initMediators } from './case-mediators.js';
import { initParticipants } from './participants.js';
import { initTimeline } from './timeline.js';
import { initRecord } from './case-record.js';
import { initFollowUp } from './case-follow-up.js';
import { initDossier } from './case-dossier.js';
import { initConfirmation } from './case-confirmation.js';
import {
  LIVE_STATUSES,
  labelParam,
  moneyElement,
  setLabel,
  showError,
  signedInStaff,
  timeElement,
} from './staff.js';
import './staff-bar.js';

initI18n();

const $ = (id) => document.getElementById(id);
const caseId = new URLSearchParams(window.location.search).get('id') || '';
const loadStatus = $('case-load-status');
const notice = $('case-notice');

/** The steps staff take by hand, from each status (server/src/domain/case.rs). */
const TRANSITIONS = {
  registered: ['accept', 'refuse'],
  accepted: ['start_mediation', 'terminate'],
  in_mediation: ['terminate'],
  agreed: ['terminate'],
  refused: ['archive'],
  effective: ['archive'],
  terminated: ['archive'],
  archived: [],
};
/** Steps that cannot be undone: asked about first (terminating, in its own dialog). */
const CONFIRM = {
  refuse: { heading: 'case.confirm_refuse_heading', text: 'case.confirm_refuse_text' },
  archive: { heading: 'case.confirm_archive_heading', text: 'case.confirm_archive_text' },
};
const TRANSITION_KEYS = {
  accept: 'case.transition_accept',
  refuse: 'case.transition_refuse',
  start_mediation: 'case.transition_start_mediation',
  terminate: 'case.transition_terminate',
  archive: 'case.transition_archive',
};
const TRANSITION_CODES = {
  transition_not_allowed: 'case.error_transition_not_allowed',
  no_mediator: 'case.error_no_mediator',
};

/** What the page knows; the section modules read it and ask for reloads through `page`. */
const state = {
  me: null,
  theCase: null,
  participants: [],
  invitations: [],
  /** The committee's staff: admins only (GET /api/users); null for mediators. */
  users: null,
  events: null,
};

const page = {
  caseId,
  state,
  notice,
  /** Whether the case takes no more changes. */
  frozen: () => state.theCase.status === 'archived',
  isAdmin: () => state.me.role === 'admin',
  /** Issuing and revoking links is the work of the case's own mediators. */
  isAssigned: () => (state.theCase.mediators || []).some((m) => m.id === state.me.id),
  caseUrl: (suffix = '') => `/api/cases/${encodeURIComponent(caseId)}${suffix}`,
  async reloadCase() {
    state.theCase = await api.get(page.caseUrl());
    renderCase();
  },
  async reloadParticipants() {
    const list = await api.get(page.caseUrl('/participants'));
    state.participants = Array.isArray(list) ? list : [];
  },
  async reloadInvitations() {
    if (!page.isAssigned()) {
      state.invitations = [];
      return;
    }
    const list = await api.get(page.caseUrl('/invitations'));
    state.invitations = Array.isArray(list) ? list : [];
  },
  async reloadEvents() {
    state.events = await api.get(page.caseUrl('/events'));
    timeline.render();
  },
  /** After a change: everything that it may have touched, then one render. */
  async refresh({ theCase = false, participants = false, invitations = false } = {}) {
    const steps = [page.reloadEvents()];
    if (theCase) steps.push(page.reloadCase());
    if (participants) steps.push(page.reloadParticipants());
    if (invitations) steps.push(page.reloadInvitations());
    await Promise.all(steps);
    participantsSection.render();
  },
};

const mediators = initMediators(page);
const participantsSection = initParticipants(page);
const timeline = initTimeline(page);
const record = initRecord(page);
const followUp = initFollowUp(page);
const dossier = initDossier(page);
const confirmation = initConfirmation(page);

// ---- Head, lifecycle, registration ----

function renderHead() {
  const c = state.theCase;
  $('case-number').textContent = c.number || '';
  setI18n(document.querySelector('title'), 'case.title_number', { number: c.number || '' });
  const badge = $('case-status-badge');
  setLabel(badge, 'case_status.', c.status);
  badge.className = `badge status-${c.status}`;
  badge.dataset.status = c.status;
  setLabel($('case-type-label'), 'dispute_type.', c.dispute_type);
  const session = $('case-session-link');
  session.hidden = !LIVE_STATUSES.has(c.status);
  session.href = `/session?case=${encodeURIComponent(c.id)}`;
  $('case-archived-note').hidden = !page.frozen();
}

function renderLifecycle() {
  const c = state.theCase;
  setLabel($('case-status-explain'), 'case_explain.', c.status);
  const box = $('case-transitions');
  const allowed = TRANSITIONS[c.status] || [];
  // Archiving is the admin's; terminating is the case's own mediators' (PML 26).
  const mine = allowed.filter((step) => (step !== 'archive' || page.isAdmin()) && (step !== 'terminate' || page.isAssigned()));
  box.replaceChildren(
    ...mine.map((step, index) => {
      const button = document.createElement('button');
      button.type = 'button';
      const serious = CONFIRM[step] || step === 'terminate';
      button.className = `button${index === 0 && !serious ? ' primary' : ''}${serious ? ' danger-outline' : ''}`;
      button.dataset.transition = step;
      setI18n(button, TRANSITION_KEYS[step]);
      return button;
    }),
  );
  box.hidden = mine.length === 0;
  $('case-archive-admin-note').hidden = !(allowed.includes('archive') && !page.isAdmin());
}

function fact(labelKey, ...value) {
  const row = document.createElement('div');
  const dt = document.createElement('dt');
  setI18n(dt, labelKey);
  const dd = document.createElement('dd');
  dd.append(...value);
  row.append(dt, dd);
  return row;
}

function labelled(prefix, code) {
  const span = document.createElement('span');
  setLabel(span, prefix, code);
  return span;
}

function renderDetails() {
  const c = state.theCase;
  const summary = document.createElement('span');
  summary.className = 'prewrap';
  summary.textContent = c.summary || '';
  let amount;
  if (c.amount_fen == null) {
    amount = document.createElement('span');
    amount.className = 'muted';
    setI18n(amount, 'case.amount_none');
  } else {
    amount = moneyElement(c.amount_fen);
    amount.id = 'case-amount';
  }
  $('case-facts').replaceChildren(
    fact('case.fact_number', c.number || ''),
    fact('case.fact_type', labelled('dispute_type.', c.dispute_type)),
    fact('case.fact_source', labelled('case_source.', c.source)),
    fact('case.fact_summary', summary),
    fact('case.fact_amount', amount),
    fact('case.fact_registered', timeElement(c.created_at)),
    fact('case.fact_updated', timeElement(c.updated_at)),
  );
  $('case-edit').hidden = page.frozen() || !editForm.hidden;
  if (page.frozen() && !editForm.hidden) closeEdit();
  $('case-difficult').checked = Boolean(c.difficult);
  $('case-difficult').disabled = page.frozen();
  for (const box of document.querySelectorAll('[data-prevented]')) {
    box.checked = Boolean(c.prevented && c.prevented[box.dataset.prevented]);
    box.disabled = page.frozen();
  }
}

// Escalations prevented (防止民转刑, 防止群体性上访): figures of the committee's statistics.
for (const box of document.querySelectorAll('[data-prevented]')) {
  box.addEventListener('change', async () => {
    const boxes = [...document.querySelectorAll('[data-prevented]')];
    const prevented = Object.fromEntries(boxes.map((b) => [b.dataset.prevented, b.checked]));
    boxes.forEach((b) => { b.disabled = true; });
    try {
      state.theCase = await api.put(page.caseUrl('/prevention'), prevented);
      showMessage($('case-details-status'), 'case.difficult_saved', 'success');
    } catch (err) {
      box.checked = !box.checked;
      showError($('case-details-status'), err);
    } finally {
      boxes.forEach((b) => { b.disabled = page.frozen(); });
    }
  });
}

$('case-difficult').addEventListener('change', async (event) => {
  const box = event.target;
  box.disabled = true;
  try {
    state.theCase = await api.put(page.caseUrl('/difficulty'), { difficult: box.checked });
    showMessage($('case-details-status'), 'case.difficult_saved', 'success');
  } catch (err) {
    box.checked = !box.checked;
    showError($('case-details-status'), err);
  } finally {
    box.disabled = page.frozen();
  }
});

function renderCase() {
  renderHead();
  renderLifecycle();
  renderDetails();
  mediators.render();
  record.render().catch(() => {});
  followUp.reload().catch(() => {});
  dossier.reload().catch(() => {});
  confirmation.render().catch(() => {});
}

// ---- Lifecycle steps ----

async function takeStep(step, button) {
  const region = $('case-transition-status');
  clearMessage(region);
  if (step === 'terminate') {
    // The dialog records the reasons and shows its own progress and errors.
    if (await record.terminate()) {
      showMessage(region, 'termination.done', 'success');
      await page.refresh({ invitations: true }).catch(() => {});
      $('case-lifecycle-heading').focus();
    }
    return;
  }
  if (CONFIRM[step]) {
    const ok = await confirmAction({
      heading: { key: CONFIRM[step].heading, params: { number: state.theCase.number } },
      text: { key: CONFIRM[step].text },
      confirmKey: TRANSITION_KEYS[step],
      danger: true,
    });
    if (!ok) return;
  }
  setBusy(button, true, 'console.working');
  try {
    state.theCase = await api.post(page.caseUrl('/transitions'), { transition: step });
    renderCase();
    showMessage(region, { key: 'case.transition_done', params: { status: labelParam('case_status.', state.theCase.status) } }, 'success');
    await page.refresh({ invitations: true });
  } catch (err) {
    showError(region, err, TRANSITION_CODES);
    if (err.code === 'transition_not_allowed' || err.code === 'case_archived') {
      // Someone else moved the case on: show where it stands now.
      await page.reloadCase().catch(() => {});
    }
  } finally {
    if (button.isConnected) setBusy(button, false);
  }
  const next = $('case-transitions').querySelector('button');
  (next || $('case-lifecycle-heading')).focus();
}

$('case-lifecycle-heading').tabIndex = -1;
$('case-transitions').addEventListener('click', (event) => {
  const button = event.target.closest('button[data-transition]');
  if (button && !button.disabled) takeStep(button.dataset.transition, button);
});

// ---- Editing the registration ----

const editForm = $('case-edit-form');
const editButton = $('case-edit');
const detailsStatus = $('case-details-status');
buildCaseFields($('case-edit-fields'), 'case-edit');
clearErrorsOnInput(editForm);

function openEdit() {
  clearMessage(detailsStatus);
  fillCaseFields(editForm, state.theCase);
  editForm.hidden = false;
  $('case-facts').hidden = true;
  editButton.hidden = true;
  editForm.querySelector('select, textarea, input').focus();
}

function closeEdit() {
  editForm.hidden = true;
  $('case-facts').hidden = false;
  editButton.hidden = page.frozen();
  if (!editButton.hidden) editButton.focus();
}

editButton.addEventListener('click', openEdit);
$('case-edit-cancel').addEventListener('click', () => {
  clearMessage(detailsStatus);
  closeEdit();
});
editForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const save = $('case-edit-save');
  if (save.disabled) return;
  clearMessage(detailsStatus);
  const body = readCaseFields(editForm);
  if (!body) {
    showMessage(detailsStatus, 'form.fix_errors', 'error');
    focusFirstInvalid(editForm);
    return;
  }
  setBusy(save, true, 'console.saving');
  try {
    state.theCase = await request('PUT', page.caseUrl(), { body });
    closeEdit();
    renderCase();
    showMessage(detailsStatus, 'case.details_saved', 'success');
    await page.refresh();
  } catch (err) {
    if (err.status !== 401 && showCaseServerErrors(editForm, err)) {
      showMessage(detailsStatus, 'form.fix_errors', 'error');
      focusFirstInvalid(editForm);
    } else {
      showError(detailsStatus, err);
    }
  } finally {
    setBusy(save, false);
  }
});

// ---- Loading ----

async function load() {
  $('case-retry-wrap').hidden = true;
  showMessage(loadStatus, 'common.loading', 'info');
  if (!/^[0-9a-f-]{36}$/i.test(caseId)) {
    showMessage(loadStatus, 'case.no_case', 'error');
    return;
  }
  try {
    state.me = await signedInStaff();
    if (!state.me) return;
    const [theCase, users] = await Promise.all([
      api.get(page.caseUrl()),
      state.me.role === 'admin' ? api.get('/api/users').catch(() => null) : null,
    ]);
    state.theCase = theCase;
    state.users = Array.isArray(users) ? users : null;
    await Promise.all([page.reloadParticipants(), page.reloadInvitations(), page.reloadEvents()]);
  } catch (err) {
    showError(loadStatus, err, { not_found: 'case.not_found' });
    if (err.status !== 404 && err.status !== 401) $('case-retry-wrap').hidden = false;
    return;
  }
  clearMessage(loadStatus);
  renderCase();
  participantsSection.render();
  $('case-view').hidden = false;
  const query = new URLSearchParams(window.location.search);
  if (query.has('registered')) {
    showMessage(notice, 'case.registered', 'success');
    query.delete('registered');
    window.history.replaceState(window.history.state, '', `${window.location.pathname}?${query}`);
  }
  $('case-number').focus();
}

// Coming back to the tab (after sending a link, say): show what changed meanwhile.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState !== 'visible' || !state.theCase || participantsSection.busy()) return;
  if (document.getElementById('case-participants').contains(document.activeElement)) return; // keep focus
  page.refresh({ theCase: true, participants: true, invitations: true }).catch(() => {});
});

$('case-retry').addEventListener('click', load);
load();

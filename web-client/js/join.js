// A party opens their invitation link (`/join#t=TOKEN`). The token is taken
// out of the address bar at once, so the link is not shared by accident
// (copying the URL, screenshots, history sync), then redeemed. The page
// then says who invites them to what (committee, case, dispute, mediators,
// their own name and role), in the language they pick, and leads on to the
// first step of the party's flow: their rights and consent (/consents). When the
// mediation was terminated, the termination and the notice of other routes
// (PML 26) come first.

import { formatList, getLanguage, hasKey, initI18n, onLanguageChange, setI18n, setLanguage } from './i18n.js';
import { api, setCsrfToken } from './api.js';
import { describeError } from './errors.js';
import { holdButton } from './forms.js';
import { removeFragmentFromAddressBar, tokenFromFragment } from './token.js';
import { CLOSED_STATUSES, LIVE_STATUSES, mediatorNames } from './party-me.js';
import './termination-view.js';

let token = tokenFromFragment(window.location.hash);
if (window.location.hash) removeFragmentFromAddressBar();

initI18n();

const INVITATION_CODES = {
  invitation_invalid: 'join.invitation_invalid',
  invitation_expired: 'join.invitation_expired',
  invitation_used: 'join.invitation_used',
  invitation_revoked: 'join.invitation_revoked',
};

const statusEl = document.getElementById('join-status');
const errorBox = document.getElementById('join-error');
const errorText = document.getElementById('join-error-text');
const invitedEl = document.getElementById('join-invited');
const retryWrap = document.getElementById('join-retry-wrap');
const retryButton = document.getElementById('join-retry');
const consoleWrap = document.getElementById('join-console-wrap');
const view = document.getElementById('join-view');
const mediatorsRow = document.getElementById('join-mediators-row');
const mediatorsLabel = document.getElementById('join-mediators-label');
const mediatorsEl = document.getElementById('join-mediators');

let mediators = [];

/** `{ key }` for a known code under `prefix`, else the code itself. */
function labelParam(prefix, code) {
  return hasKey(prefix + code) ? { key: prefix + code } : String(code ?? '');
}

function resetView() {
  statusEl.hidden = true;
  errorBox.hidden = true;
  retryWrap.hidden = true;
  consoleWrap.hidden = true;
  invitedEl.hidden = true;
  view.hidden = true;
}

function showChecking() {
  resetView();
  statusEl.hidden = false;
}

/** Shows an error; `message` is `{ key, params }`. */
function showError(message, { retry = false, retryAfter = null } = {}) {
  resetView();
  setI18n(errorText, message.key, message.params);
  errorBox.hidden = false;
  if (retry) {
    retryWrap.hidden = false;
    holdButton(retryButton, retryAfter);
  }
}

function renderMediators() {
  setI18n(mediatorsLabel, mediators.length === 1 ? 'join.mediators_one' : 'join.mediators_other');
  mediatorsEl.textContent = formatList(mediators);
  mediatorsRow.hidden = mediators.length === 0;
}

/** Renders the redeem answer (or the same shape from /api/auth/me); false if it is not usable. */
function showInvitation(body) {
  const participant = body && body.participant;
  const theCase = body && body.case;
  if (!participant || !theCase) return false;
  setCsrfToken(body.csrf_token);
  resetView();

  setI18n(invitedEl, 'join.invited', {
    committee: theCase.committee_name || '',
    number: theCase.number || '',
    dispute_type: labelParam('dispute_type.', theCase.dispute_type),
  });
  document.getElementById('join-name').textContent = participant.name || '';

  const roleEl = document.getElementById('join-role');
  const role = labelParam('participant_role.', participant.role);
  if (participant.side) {
    setI18n(roleEl, 'join.role_side', { role, side: labelParam('side.', participant.side) });
  } else if (typeof role === 'object') {
    setI18n(roleEl, role.key);
  } else {
    roleEl.textContent = role;
  }

  document.getElementById('join-committee').textContent = theCase.committee_name || '';
  document.getElementById('join-number').textContent = theCase.number || '';
  const dispute = labelParam('dispute_type.', theCase.dispute_type);
  const disputeEl = document.getElementById('join-dispute');
  if (typeof dispute === 'object') setI18n(disputeEl, dispute.key);
  else disputeEl.textContent = dispute;

  // Consents can be given as soon as the case is registered; a closed case has nothing to join.
  const note = document.getElementById('join-case-note');
  const closed = CLOSED_STATUSES.has(theCase.status);
  if (closed) setI18n(note, 'party.case_closed');
  else if (!LIVE_STATUSES.has(theCase.status)) setI18n(note, 'party.case_not_started');
  note.hidden = LIVE_STATUSES.has(theCase.status);
  document.getElementById('join-continue-wrap').hidden = closed;
  const termination = document.getElementById('join-termination');
  if (['terminated', 'archived'].includes(theCase.status)) termination.loadMine(); // hidden if none
  else termination.hidden = true;

  mediators = mediatorNames(theCase);
  renderMediators();

  invitedEl.hidden = false;
  view.hidden = false;
  return true;
}

/** Shows the invitation of an existing participant session. Resolves to what it found. */
async function showExistingSession() {
  let me;
  try {
    me = await api.get('/api/auth/me');
  } catch (err) {
    return err.status === 401 || err.status === 403 ? 'none' : err;
  }
  if (me && me.kind === 'participant' && showInvitation(me)) return 'participant';
  if (me && me.kind === 'staff') return 'staff';
  return 'none';
}

async function redeem() {
  showChecking();
  try {
    const body = await api.post('/api/invitations/redeem', { token });
    if (!showInvitation(body)) showError({ key: 'error.generic' }, { retry: true });
  } catch (err) {
    // Opening the same link again after redeeming it: the session still works.
    if (err.code === 'invitation_used' && (await showExistingSession()) === 'participant') return;

    if (Object.prototype.hasOwnProperty.call(INVITATION_CODES, err.code)) {
      showError({ key: INVITATION_CODES[err.code] });
    } else if (err.status === 404 || err.status === 410) {
      showError({ key: 'join.invitation_invalid' });
    } else {
      showError(describeError(err), { retry: true, retryAfter: err.retryAfter });
    }
  }
}

async function restore() {
  showChecking();
  const found = await showExistingSession();
  if (found === 'participant') return;
  if (found === 'staff') {
    showError({ key: 'join.staff_session' });
    consoleWrap.hidden = false;
  } else if (found === 'none') {
    showError({ key: 'join.no_token' });
  } else {
    showError(describeError(found), { retry: true, retryAfter: found.retryAfter });
  }
}

// The language, first of all: two buttons, each naming its language in that language.
const languageButtons = [...document.querySelectorAll('[data-language]')];
function renderLanguageButtons() {
  for (const button of languageButtons) button.setAttribute('aria-pressed', String(button.dataset.language === getLanguage()));
}
for (const button of languageButtons) {
  button.addEventListener('click', () => setLanguage(button.dataset.language, { remember: true }));
}
renderLanguageButtons();

onLanguageChange(() => {
  renderLanguageButtons();
  if (!view.hidden) renderMediators();
});
retryButton.addEventListener('click', () => (token ? redeem() : restore()));
// Another invitation link opened in this tab changes only the fragment.
window.addEventListener('hashchange', () => {
  const next = tokenFromFragment(window.location.hash);
  if (window.location.hash) removeFragmentFromAddressBar();
  if (next) {
    token = next;
    redeem();
  }
});

if (token) {
  redeem();
} else {
  restore();
}

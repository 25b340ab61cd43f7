// The notice of rights and duties and the consents (`/consents`): each text
// exactly as the server serves it, one card each, none ticked in advance.
// "Save and continue" records each newly ticked consent (kind, text version,
// language) and goes on to the camera and microphone check, once every
// consent needed to take part is in force. Given consents show when they
// were given and can be withdrawn; withdrawing voluntary participation or
// the online mode ends the mediation for the party (PML 23), after a
// confirmation, and the page then says what happens next.

import { getLanguage, initI18n, onLanguageChange, plural, setI18n } from './i18n.js';
import { describeError } from './errors.js';
import { clearMessage, setBusy, showMessage } from './forms.js';
import { loadParticipant, mediatorNames } from './party-me.js';
import { ENDS_PARTICIPATION, giveConsent, listConsents, withdrawConsent } from './consents-api.js';
import { withdrawDialog } from './withdraw-dialog.js';
import { AttendeeConsents } from './consents-attendees.js';
import { ConfirmationConsent } from './consents-confirmation.js';
import './consent-card.js';
import './next-steps.js';

initI18n();

const $ = (id) => document.getElementById(id);
const ui = {
  status: $('consents-status'),
  retryWrap: $('consents-retry-wrap'),
  fromSession: $('consents-from-session'),
  view: $('consents-view'),
  record: $('consents-record'),
  form: $('consents-form'),
  required: $('consents-required'),
  optional: $('consents-optional'),
  optionalGroup: $('consents-optional-heading').closest('section'),
  summary: $('consents-summary'),
  submit: $('consents-continue'),
  final: $('consents-final'),
  finalHeading: $('consents-final-heading'),
  nextSteps: $('consents-next-steps'),
};
const dialog = withdrawDialog($('consents-dialog'));
const attendees = new AttendeeConsents($('consents-attendees'));
const confirmation = new ConfirmationConsent($('consents-confirmation'));

let me = null;
/** The last answer of GET /api/me/consents: the texts on the page. */
let listed = null;
let saving = false;

/** The cards on the page, in order. */
function cards() {
  return [...ui.view.querySelectorAll('accord-consent-card')];
}

/** Kinds ticked but not yet given, to keep across a re-render of the same texts. */
function tickedKinds() {
  return new Set(cards().filter((c) => !c.given && c.checked).map((c) => c.kind));
}

function render(ticked = new Set()) {
  const card = (consent) => {
    const el = document.createElement('accord-consent-card');
    el.update({ consent, language: listed.language, checked: ticked.has(consent.kind) });
    return el;
  };
  const optional = listed.consents.filter((c) => !c.required);
  ui.required.replaceChildren(...listed.consents.filter((c) => c.required).map(card));
  ui.optional.replaceChildren(...optional.map(card));
  ui.optionalGroup.hidden = optional.length === 0;
  setI18n(ui.record, 'consents.record_note', {
    version: listed.version,
    language: { key: listed.language === 'zh-CN' ? 'party.language_zh' : 'party.language_en' },
  });
}

/** Fetches the texts in the page's language and shows them. */
async function loadTexts(ticked = new Set()) {
  try {
    listed = await listConsents(getLanguage());
  } catch (err) {
    if (err.status === 401) {
      showMessage(ui.status, 'party.signed_out', 'error');
      ui.view.hidden = true;
    } else {
      showMessage(ui.status, describeError(err), 'error');
      ui.retryWrap.hidden = false;
    }
    return false;
  }
  if (!listed || !Array.isArray(listed.consents)) {
    showMessage(ui.status, 'error.generic', 'error');
    ui.retryWrap.hidden = false;
    return false;
  }
  render(ticked);
  ui.view.hidden = false;
  return true;
}

async function start() {
  ui.retryWrap.hidden = true;
  showMessage(ui.status, 'common.loading', 'info');
  me = await loadParticipant({ status: ui.status, retry: ui.retryWrap });
  if (!me) return;
  if (!(await loadTexts())) return;
  clearMessage(ui.status);
  if (me.participant.role === 'party') await attendees.load();
  await confirmation.load();
  if (new URLSearchParams(window.location.search).get('from') === 'session') {
    ui.fromSession.hidden = false;
    ui.fromSession.focus();
  }
}

// ---------- Saving ----------

async function save() {
  if (saving || !listed) return;
  clearMessage(ui.summary);
  clearMessage(ui.status);
  const all = cards();
  for (const card of all) card.clearError();
  const missing = all.filter((c) => c.required && !c.given && !c.checked);
  if (missing.length > 0) {
    for (const card of missing) card.setError('consents.needed');
    showMessage(ui.summary, plural('consents.missing', missing.length), 'error');
    missing[0].focus();
    return;
  }
  saving = true;
  setBusy(ui.submit, true, 'consents.saving');
  const { version, language } = listed;
  try {
    for (const card of all.filter((c) => !c.given && c.checked)) {
      await giveConsent({ kind: card.kind, version, language });
    }
  } catch (err) {
    saving = false;
    setBusy(ui.submit, false);
    if (err.code === 'consent_text_outdated') {
      // New wording: what was ticked was ticked against the old one. Read and tick again.
      await loadTexts();
      showMessage(ui.summary, 'consents.outdated', 'error');
      ui.required.querySelector('accord-consent-card')?.focus();
    } else if (err.status === 401) {
      showMessage(ui.summary, 'party.signed_out', 'error');
    } else {
      const ticked = tickedKinds();
      await loadTexts(ticked); // what was saved before the failure now shows as given
      showMessage(ui.summary, describeError(err), 'error');
    }
    return;
  }
  showMessage(ui.summary, 'consents.saved', 'success');
  window.location.assign('/device-check');
}

// ---------- Withdrawing ----------

function showFinal() {
  ui.view.hidden = true;
  ui.fromSession.hidden = true;
  clearMessage(ui.status);
  ui.nextSteps.update({
    reason: 'withdrew',
    committee: me.case.committee_name || '',
    mediators: mediatorNames(me.case),
  });
  for (const step of document.querySelectorAll('.steps')) step.hidden = true;
  ui.final.hidden = false;
  ui.finalHeading.focus();
}

async function withdraw(card) {
  const { kind, title } = card;
  const ends = ENDS_PARTICIPATION.has(kind);
  if (!(await dialog.ask({ title, ends }))) return;
  try {
    await withdrawConsent(kind);
  } catch (err) {
    if (err.status !== 404) {
      showMessage(ui.status, err.status === 401 ? 'party.signed_out' : describeError(err), 'error');
      return;
    }
    // 404: it was no longer in force (withdrawn elsewhere): show things as they are.
  }
  if (ends) {
    showFinal();
    return;
  }
  const ticked = tickedKinds();
  if (await loadTexts(ticked)) {
    showMessage(ui.status, { key: 'consents.withdrawn', params: { title } }, 'success');
    cards().find((c) => c.kind === kind)?.focus();
  }
}

// ---------- Wiring ----------

ui.form.addEventListener('submit', (event) => {
  event.preventDefault();
  save();
});
ui.view.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-withdraw]');
  if (!button) return;
  const card = button.closest('accord-consent-card');
  if (card) withdraw(card);
});
$('consents-retry').addEventListener('click', () => (me ? loadTexts().then((ok) => ok && clearMessage(ui.status)) : start()));
onLanguageChange(async () => {
  if (!listed || !ui.final.hidden) return;
  // The texts are recorded in the language they were read in: new texts, ticked afresh.
  const hadTicks = tickedKinds().size > 0;
  if ((await loadTexts()) && hadTicks) showMessage(ui.summary, 'consents.language_changed', 'info');
});

start();

// A participant's invitation links, for the mediators of the case: issue one
// (POST …/participants/{pid}/invitations), revoke it, re-issue it (revoke and
// issue anew in one step), and their states with times. The server returns a
// link once only and keeps no copy, so the new link is shown right then, with
// a Copy button and a word that it will not be shown again.

import { setI18n } from './i18n.js';
import { api } from './api.js';
import { clearMessage, setBusy, showMessage } from './forms.js';
import { confirmAction } from './console-dialog.js';
import { setLabel, showError, timeElement } from './staff.js';

const LIVE_STATES = new Set(['pending', 'redeemed']);
const CONFIRM_HEADINGS = {
  revoke: 'invitations.confirm_revoke_heading',
  reissue: 'invitations.confirm_reissue_heading',
};
/** Participants whose folded list of earlier links is open: kept across re-renders. */
const openEarlier = new Set();

/** A participant's invitations, newest first (revoked ones after others issued at the same moment). */
function invitationsOf(state, participantId) {
  return state.invitations
    .map((invitation, index) => ({ invitation, index }))
    .filter(({ invitation }) => invitation.participant_id === participantId)
    .sort((a, b) => {
      const byTime = Date.parse(b.invitation.created_at) - Date.parse(a.invitation.created_at);
      if (byTime !== 0) return byTime;
      const revoked = (i) => (i.invitation.state === 'revoked' ? 1 : 0);
      return revoked(a) - revoked(b) || b.index - a.index;
    })
    .map(({ invitation }) => invitation);
}

/** "Issued …", "valid until …", "opened …", "revoked …", "expired …" for one invitation. */
function times(invitation) {
  const p = document.createElement('p');
  p.className = 'invitation-times';
  const part = (key, iso) => {
    const span = document.createElement('span');
    const label = document.createElement('span');
    setI18n(label, key);
    span.append(label, ' ', timeElement(iso));
    p.append(span);
  };
  part('invitations.issued_at', invitation.created_at);
  if (invitation.state === 'pending') part('invitations.valid_until', invitation.expires_at);
  if (invitation.state === 'expired') part('invitations.expired_at', invitation.expires_at);
  if (invitation.redeemed_at) part('invitations.redeemed_at', invitation.redeemed_at);
  if (invitation.revoked_at) part('invitations.revoked_at', invitation.revoked_at);
  return p;
}

function stateBadge(invitation) {
  const badge = document.createElement('span');
  badge.className = `badge invitation-${invitation.state}`;
  badge.dataset.state = invitation.state;
  setLabel(badge, 'invitation_state.', invitation.state);
  return badge;
}

async function copyLink(input, region) {
  let copied = false;
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(input.value);
      copied = true;
    }
  } catch {
    copied = false;
  }
  input.focus();
  input.select();
  if (!copied) {
    try {
      copied = document.execCommand('copy');
    } catch {
      copied = false;
    }
  }
  showMessage(region, copied ? 'invitations.copied' : 'invitations.copy_by_hand', copied ? 'success' : 'info');
}

/** The panel with a link just issued: shown once, until dismissed or the page is left. */
function issuedPanel(page, participant) {
  const { issued } = page.state;
  const panel = document.createElement('div');
  panel.className = 'issued-link';
  panel.setAttribute('role', 'group');
  panel.setAttribute('aria-labelledby', `issued-heading-${participant.id}`);
  const heading = document.createElement('h4');
  heading.id = `issued-heading-${participant.id}`;
  setI18n(heading, 'invitations.issued_heading', { name: participant.name });
  const once = document.createElement('p');
  once.className = 'issued-once';
  once.id = `issued-once-${participant.id}`;
  setI18n(once, 'invitations.issued_once', { name: participant.name });

  const field = document.createElement('div');
  field.className = 'field issued-field';
  const label = document.createElement('label');
  label.htmlFor = `issued-link-${participant.id}`;
  setI18n(label, 'invitations.link_label');
  const row = document.createElement('div');
  row.className = 'copy-row';
  const input = document.createElement('input');
  input.type = 'text';
  input.readOnly = true;
  input.id = label.htmlFor;
  input.value = issued.link;
  input.dataset.issuedLink = participant.id;
  input.dataset.invitation = issued.invitation.id;
  input.spellcheck = false;
  input.setAttribute('aria-describedby', `${once.id} issued-valid-${participant.id}`);
  input.addEventListener('focus', () => input.select());
  const copy = document.createElement('button');
  copy.type = 'button';
  copy.className = 'button primary compact';
  copy.dataset.action = 'copy';
  setI18n(copy, 'invitations.copy');
  row.append(input, copy);
  const valid = document.createElement('p');
  valid.className = 'hint';
  valid.id = `issued-valid-${participant.id}`;
  const validLabel = document.createElement('span');
  setI18n(validLabel, 'invitations.single_use_until');
  valid.append(validLabel, ' ', timeElement(issued.invitation.expires_at));
  field.append(label, row, valid);

  const copyStatus = document.createElement('div');
  copyStatus.className = 'live';
  copyStatus.setAttribute('aria-live', 'polite');
  const done = document.createElement('button');
  done.type = 'button';
  done.className = 'button compact';
  setI18n(done, 'invitations.done');
  copy.addEventListener('click', () => copyLink(input, copyStatus));
  done.addEventListener('click', () => {
    const block = panel.closest('.invitations');
    page.state.issued = null;
    panel.remove();
    block?.querySelector('button')?.focus();
  });
  panel.append(heading, once, field, copyStatus, done);
  if (issued.focus) {
    issued.focus = false;
    window.setTimeout(() => input.focus());
  }
  return panel;
}

/** One invitation with its state, times and (for a live one) its buttons. */
function invitationRow(page, participant, invitation, act) {
  const li = document.createElement('li');
  li.className = 'invitation';
  li.dataset.invitation = invitation.id;
  li.dataset.state = invitation.state;
  const line = document.createElement('div');
  line.className = 'invitation-line';
  line.append(stateBadge(invitation), times(invitation));
  li.append(line);
  if (!page.frozen() && invitation.state !== 'revoked') {
    const actions = document.createElement('div');
    actions.className = 'invitation-actions';
    const button = (action, key) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = `button compact${action === 'revoke' ? ' danger-outline' : ''}`;
      b.dataset.action = action;
      b.dataset.invitation = invitation.id;
      b.setAttribute('aria-describedby', `participant-name-${participant.id}`);
      setI18n(b, key);
      b.addEventListener('click', () => act(action, invitation, b));
      return b;
    };
    if (LIVE_STATES.has(invitation.state)) actions.append(button('revoke', 'invitations.revoke'));
    actions.append(button('reissue', 'invitations.reissue'));
    li.append(actions);
  }
  return li;
}

/** The invitation part of a participant's card. */
export function invitationBlock(page, participant) {
  const { state } = page;
  const block = document.createElement('div');
  block.className = 'invitations';
  block.dataset.invitationsOf = participant.id;
  const heading = document.createElement('h4');
  setI18n(heading, 'invitations.heading');
  const status = document.createElement('div');
  status.className = 'live';
  status.setAttribute('aria-live', 'polite');
  block.append(heading);

  // Shown: the links still in force (and expired ones, to re-issue), else the latest revoked
  // one; older revoked links fold away.
  const all = invitationsOf(state, participant.id);
  let current = all.filter((i) => i.state !== 'revoked');
  const revoked = all.filter((i) => i.state === 'revoked');
  if (current.length === 0) current = revoked.slice(0, 1);
  const earlier = revoked.filter((i) => !current.includes(i));
  const active = current.filter((i) => i.state !== 'revoked');

  let noneLine = null;

  async function act(action, invitation, button) {
    clearMessage(status);
    const redeemed = invitation && invitation.state === 'redeemed';
    if (redeemed) {
      const ok = await confirmAction({
        heading: { key: CONFIRM_HEADINGS[action], params: { name: participant.name } },
        text: { key: 'invitations.confirm_redeemed_text', params: { name: participant.name } },
        confirmKey: action === 'revoke' ? 'invitations.revoke' : 'invitations.reissue',
        danger: true,
      });
      if (!ok) return;
    }
    setBusy(button, true, 'console.working');
    state.issuing = true;
    try {
      const base = page.caseUrl();
      let answer = null;
      if (action === 'issue') {
        answer = await api.post(`${base}/participants/${encodeURIComponent(participant.id)}/invitations`, {});
      } else if (action === 'reissue') {
        answer = await api.post(`${base}/invitations/${encodeURIComponent(invitation.id)}/reissue`, {});
      } else {
        await api.post(`${base}/invitations/${encodeURIComponent(invitation.id)}/revoke`, {});
        if (state.issued && state.issued.invitation.id === invitation.id) state.issued = null;
      }
      if (answer) state.issued = { participantId: participant.id, link: answer.link, invitation: answer.invitation, focus: true };
      await page.refresh({ invitations: true });
      if (action === 'revoke') {
        const again = document.querySelector(`[data-invitations-of="${participant.id}"]`);
        const live = again?.querySelector('.live');
        if (live) showMessage(live, { key: 'invitations.revoked', params: { name: participant.name } }, 'success');
        again?.querySelector('button')?.focus();
      }
    } catch (err) {
      if (button.isConnected) setBusy(button, false);
      showError(status, err);
    } finally {
      state.issuing = false;
    }
  }

  if (active.length === 0) {
    const p = document.createElement('p');
    p.className = 'invitation-none';
    const text = document.createElement('span');
    text.className = 'muted';
    setI18n(text, all.length > 0 ? 'invitations.none_active' : 'invitations.none_yet');
    p.append(text);
    noneLine = p;
  }
  if (noneLine && !page.frozen()) {
    const issue = document.createElement('button');
    issue.type = 'button';
    issue.className = 'button compact primary';
    issue.dataset.action = 'issue';
    issue.dataset.participant = participant.id;
    issue.setAttribute('aria-describedby', `participant-name-${participant.id}`);
    setI18n(issue, all.length > 0 ? 'invitations.issue_new' : 'invitations.issue');
    issue.addEventListener('click', () => act('issue', null, issue));
    noneLine.append(' ', issue);
  }
  if (current.length > 0) {
    const ul = document.createElement('ul');
    ul.className = 'invitation-list';
    ul.append(...current.map((i) => invitationRow(page, participant, i, act)));
    block.append(ul);
  }
  if (noneLine) block.append(noneLine);
  if (state.issued && state.issued.participantId === participant.id) block.append(issuedPanel(page, participant));
  if (earlier.length > 0) {
    const details = document.createElement('details');
    details.className = 'invitation-earlier';
    details.open = openEarlier.has(participant.id);
    details.addEventListener('toggle', () => {
      if (details.open) openEarlier.add(participant.id);
      else openEarlier.delete(participant.id);
    });
    const summary = document.createElement('summary');
    setI18n(summary, 'invitations.earlier', { n: earlier.length });
    const ul = document.createElement('ul');
    ul.className = 'invitation-list';
    ul.append(...earlier.map((i) => invitationRow(page, participant, i, act)));
    details.append(summary, ul);
    block.append(details);
  }
  block.append(status);
  return block;
}

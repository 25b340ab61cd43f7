// Notices for mediators that must not be missed: a party who withdrew from
// the mediation (PML 23), or who withdrew their agreement to an invited
// participant or observer attending (PML 20, 23(3)), who is then back in the
// waiting room. Each stays on the page, announced at once, until the mediator
// dismisses it; the withdrawal itself is in the case's record.

import { getLanguage, setI18n } from './i18n.js';

/** The causes of an eviction the notices name (`Revocation` on the server). */
const EVICTION_CAUSES = new Set([
  'participant_removed', 'invitation_revoked', 'mediator_unassigned', 'account_disabled',
  'signed_out', 'consent_withdrawn', 'case_closed',
]);

function timeNow() {
  return new Intl.DateTimeFormat(getLanguage(), { hour: '2-digit', minute: '2-digit' }).format(new Date());
}

export class WithdrawalNotices {
  /** `container`: an always-present element with aria-live="assertive". */
  constructor(container) {
    this.container = container;
    container.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-dismiss]');
      if (!button) return;
      const notice = button.closest('.withdrawn-notice');
      const next = notice && (notice.nextElementSibling || notice.previousElementSibling);
      if (notice) notice.remove();
      const focusable = next && next.querySelector('button');
      if (focusable) focusable.focus();
      else document.getElementById('main')?.focus();
    });
  }

  /** A `withdrawn` message: `{ member, name }`. */
  add({ member, name }) {
    this.notice(member, { key: 'session.withdrawn_notice', params: { name: String(name || ''), time: timeNow() } }, 'session.withdrawn_detail');
  }

  /** An `attendance_withdrawn` message: `{ member, name, party_name, reason }`; the reason is
   *  `attendance_withdrawn` (the party withdrew) or `party_added` (a new party, not yet asked). */
  addAttendance({ member, name, party_name: partyName, reason }) {
    const params = { name: String(name || ''), party: String(partyName || ''), time: timeNow() };
    const newParty = reason === 'party_added';
    this.notice(
      member,
      { key: newParty ? 'session.attendance_new_party_notice' : 'session.attendance_withdrawn_notice', params },
      newParty ? 'session.attendance_new_party_detail' : 'session.attendance_withdrawn_detail',
    );
  }

  /** An `evicted` message: `{ member, name, cause }`: a right they were in the session by was
   *  taken away outside it (removed from the case, link revoked, account disabled…). */
  addEviction({ member, name, cause }) {
    const known = EVICTION_CAUSES.has(cause) ? cause : 'signed_out';
    this.notice(member, { key: 'session.evicted_notice', params: { name: String(name || ''), time: timeNow() } }, `session.evicted_detail_${known}`);
  }

  /** One notice about `member`: the `headline` (`{ key, params }`) in bold, then the detail. */
  notice(member, headline, detailKey) {
    const notice = document.createElement('div');
    notice.className = 'withdrawn-notice';
    notice.dataset.member = String(member || '');
    const text = document.createElement('p');
    const strong = document.createElement('strong');
    setI18n(strong, headline.key, headline.params);
    const detail = document.createElement('span');
    setI18n(detail, detailKey);
    text.append(strong, ' ', detail);
    const dismiss = document.createElement('button');
    dismiss.type = 'button';
    dismiss.className = 'button small-button';
    dismiss.dataset.dismiss = '';
    setI18n(dismiss, 'session.withdrawn_dismiss');
    notice.append(text, dismiss);
    this.container.append(notice);
  }
}

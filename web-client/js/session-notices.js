// Notices for mediators that must not be missed: a party who withdrew from
// the mediation (PML 23). Each stays on the page, announced at once, until
// the mediator dismisses it; the withdrawal itself is in the case's record.

import { getLanguage, setI18n } from './i18n.js';

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
    const notice = document.createElement('div');
    notice.className = 'withdrawn-notice';
    notice.dataset.member = String(member || '');
    const text = document.createElement('p');
    const strong = document.createElement('strong');
    setI18n(strong, 'session.withdrawn_notice', { name: String(name || ''), time: timeNow() });
    const detail = document.createElement('span');
    setI18n(detail, 'session.withdrawn_detail');
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

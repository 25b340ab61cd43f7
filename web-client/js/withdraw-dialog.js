// Asking before a consent is withdrawn: a modal <dialog> that names the
// consent and, for voluntary participation and the online mode, says plainly
// that withdrawing ends the mediation for the party (PML 23). Keeping the
// consent is the default button; Escape keeps it too.

import { setI18n } from './i18n.js';

/** Wires `dialog` (see consents.html). `ask({ title, ends })` resolves to true to withdraw. */
export function withdrawDialog(dialog) {
  const form = dialog.querySelector('form');
  const heading = dialog.querySelector('[data-part="heading"]');
  const text = dialog.querySelector('[data-part="text"]');
  const ends = dialog.querySelector('[data-part="ends"]');
  const confirm = dialog.querySelector('[data-part="confirm"]');
  const keep = dialog.querySelector('[data-part="keep"]');
  let settle = null;
  let opener = null;

  function done(value) {
    if (!settle) return;
    const resolve = settle;
    settle = null;
    if (dialog.open) dialog.close();
    if (opener && opener.isConnected && typeof opener.focus === 'function') opener.focus();
    resolve(value);
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    done(true);
  });
  keep.addEventListener('click', () => done(false));
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault();
    done(false);
  });

  return {
    ask({ title, ends: endsParticipation }) {
      if (settle) done(false);
      opener = document.activeElement;
      setI18n(heading, 'consents.withdraw_heading', { title });
      setI18n(text, endsParticipation ? 'consents.withdraw_ends' : 'consents.withdraw_text');
      ends.hidden = !endsParticipation;
      setI18n(confirm, endsParticipation ? 'consents.withdraw_confirm_ends' : 'consents.withdraw_confirm');
      return new Promise((resolve) => {
        settle = resolve;
        dialog.showModal();
        keep.focus();
      });
    },
  };
}

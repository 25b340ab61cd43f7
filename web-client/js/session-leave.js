// Leaving, for a party or an agent: a modal <dialog> that asks whether they
// only leave this session for now (they can come back with their link while
// the case is in mediation) or withdraw from the mediation, which is their
// right at any time (PML 23) and is recorded. Nothing is chosen in advance;
// "Stay" (or Escape) keeps them in the session.

import { setI18n } from './i18n.js';

/** Wires the leave dialog of session.html. `ask()` resolves to 'leave', 'withdraw' or null. */
export function leaveDialog(dialog) {
  const form = dialog.querySelector('form');
  const error = dialog.querySelector('#session-leave-error');
  const confirm = dialog.querySelector('#session-leave-confirm');
  const stay = dialog.querySelector('#session-leave-stay');
  const radios = [...form.querySelectorAll('input[name="leave-choice"]')];
  let settle = null;
  let opener = null;

  const chosen = () => (radios.find((r) => r.checked) || {}).value || null;

  function renderConfirm() {
    const choice = chosen();
    const keys = { leave: 'session.leave_confirm_pause', withdraw: 'session.leave_confirm_withdraw' };
    setI18n(confirm, keys[choice] || 'session.leave');
    confirm.classList.toggle('danger', choice === 'withdraw');
    confirm.classList.toggle('primary', choice !== 'withdraw');
  }

  function showError(show) {
    error.hidden = !show;
    if (show) setI18n(error, 'session.leave_choose');
    for (const radio of radios) {
      if (show) radio.setAttribute('aria-invalid', 'true');
      else radio.removeAttribute('aria-invalid');
    }
  }

  function done(value) {
    if (!settle) return;
    const resolve = settle;
    settle = null;
    if (dialog.open) dialog.close();
    if (opener && opener.isConnected && typeof opener.focus === 'function') opener.focus();
    resolve(value);
  }

  form.addEventListener('change', () => {
    showError(false);
    renderConfirm();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const choice = chosen();
    if (!choice) {
      showError(true);
      radios[0].focus();
      return;
    }
    done(choice);
  });
  stay.addEventListener('click', () => done(null));
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault(); // Escape: stay, with focus restored
    done(null);
  });

  return {
    ask() {
      if (settle) done(null);
      opener = document.activeElement;
      for (const radio of radios) radio.checked = false;
      showError(false);
      renderConfirm();
      return new Promise((resolve) => {
        settle = resolve;
        dialog.showModal();
        radios[0].focus();
      });
    },
    close() {
      done(null);
    },
  };
}

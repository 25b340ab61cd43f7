// Asking before an act that cannot be undone (refuse a case, archive it,
// remove a participant, disable an account): a modal <dialog>,
// translated and keyboard-friendly, never window.confirm. Escape cancels, and
// focus returns to the button that asked.

import { setI18n } from './i18n.js';

let parts = null;
let settle = null;
let opener = null;

function build() {
  const dialog = document.createElement('dialog');
  dialog.id = 'console-dialog';
  dialog.className = 'console-dialog';
  dialog.setAttribute('aria-labelledby', 'console-dialog-heading');
  dialog.setAttribute('aria-describedby', 'console-dialog-text');
  const form = document.createElement('form');
  form.method = 'dialog';
  const heading = document.createElement('h2');
  heading.id = 'console-dialog-heading';
  const text = document.createElement('p');
  text.id = 'console-dialog-text';
  const actions = document.createElement('div');
  actions.className = 'actions';
  const confirm = document.createElement('button');
  confirm.type = 'submit';
  confirm.id = 'console-dialog-confirm';
  confirm.className = 'button primary';
  const cancel = document.createElement('button');
  cancel.type = 'button';
  cancel.id = 'console-dialog-cancel';
  cancel.className = 'button';
  setI18n(cancel, 'console.cancel');
  actions.append(confirm, cancel);
  form.append(heading, text, actions);
  dialog.append(form);
  document.body.append(dialog);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    done(true);
  });
  cancel.addEventListener('click', () => done(false));
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault(); // Escape: handled as "cancel", with focus restored
    done(false);
  });
  parts = { dialog, heading, text, confirm, cancel };
}

function done(value) {
  if (!settle) return;
  const resolve = settle;
  settle = null;
  if (parts.dialog.open) parts.dialog.close();
  if (opener && typeof opener.focus === 'function' && opener.isConnected) opener.focus();
  resolve(value);
}

/**
 * Resolves to true when confirmed. `heading` and `text` are `{ key, params }`;
 * `danger` styles the confirm button as destructive and focuses "Cancel" first.
 */
export function confirmAction({ heading, text, confirmKey, danger = false }) {
  if (!parts) build();
  if (settle) done(false);
  opener = document.activeElement;
  setI18n(parts.heading, heading.key, heading.params);
  setI18n(parts.text, text.key, text.params);
  setI18n(parts.confirm, confirmKey);
  parts.confirm.classList.toggle('is-danger', danger);
  return new Promise((resolve) => {
    settle = resolve;
    parts.dialog.showModal();
    (danger ? parts.cancel : parts.confirm).focus();
  });
}

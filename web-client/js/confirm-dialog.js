// A small modal form for decisions that need a confirmation, and possibly
// a reason (deny, remove, end the session): a <dialog>, never
// window.prompt, so it is translated, styled and reachable by keyboard.

import { setI18n } from './i18n.js';
import { clearFieldError, setFieldError } from './forms.js';

/**
 * Wires the dialog of session.html. `ask({ heading, text, confirmKey, reason })`
 * resolves to `{ reason }` when confirmed (`reason` is '' unless asked for)
 * or null when cancelled. `heading` and `text` are `{ key, params }`.
 */
export function confirmDialog(dialog) {
  const form = dialog.querySelector('form');
  const heading = dialog.querySelector('#session-dialog-heading');
  const text = dialog.querySelector('#session-dialog-text');
  const field = dialog.querySelector('#session-dialog-field');
  const input = dialog.querySelector('#session-dialog-reason');
  const confirm = dialog.querySelector('#session-dialog-confirm');
  const cancel = dialog.querySelector('#session-dialog-cancel');
  let settle = null;
  let wantsReason = false;
  let opener = null;

  function done(value) {
    if (!settle) return;
    const resolve = settle;
    settle = null;
    if (dialog.open) dialog.close();
    if (opener && typeof opener.focus === 'function' && opener.isConnected) opener.focus();
    resolve(value);
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const reason = input.value.trim();
    if (wantsReason && reason === '') {
      setFieldError(form, 'reason', 'session.reason_required');
      input.focus();
      return;
    }
    done({ reason: wantsReason ? reason : '' });
  });
  input.addEventListener('input', () => clearFieldError(form, 'reason'));
  cancel.addEventListener('click', () => done(null));
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault(); // Escape: handled as "cancel", with focus restored
    done(null);
  });

  return {
    ask({ heading: headingMessage, text: textMessage, confirmKey, reason = false }) {
      if (settle) done(null);
      opener = document.activeElement;
      wantsReason = reason;
      setI18n(heading, headingMessage.key, headingMessage.params);
      if (textMessage) {
        setI18n(text, textMessage.key, textMessage.params);
        text.hidden = false;
      } else {
        text.hidden = true;
      }
      setI18n(confirm, confirmKey);
      field.hidden = !reason;
      input.value = '';
      clearFieldError(form, 'reason');
      return new Promise((resolve) => {
        settle = resolve;
        dialog.showModal();
        (reason ? input : confirm).focus();
      });
    },
    close() {
      done(null);
    },
  };
}

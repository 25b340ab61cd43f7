// The mediators of a case (PML 19), and for committee admins the form that
// sets them (PUT /api/cases/{id}/mediators), choosing among the committee's
// active staff.

import { setI18n } from './i18n.js';
import { request } from './api.js';
import { clearFieldError, clearMessage, setBusy, setFieldError, showMessage } from './forms.js';
import { labelParam, showError } from './staff.js';

export function initMediators(page) {
  const { state } = page;
  const list = document.getElementById('case-mediator-list');
  const changeButton = document.getElementById('case-mediators-change');
  const form = document.getElementById('case-mediators-form');
  const choices = document.getElementById('case-mediators-choices');
  const status = document.getElementById('case-mediators-status');
  const save = document.getElementById('case-mediators-save');

  function canChange() {
    return page.isAdmin() && !page.frozen() && Array.isArray(state.users);
  }

  function render() {
    const mediators = state.theCase.mediators || [];
    if (mediators.length === 0) {
      const li = document.createElement('li');
      li.className = 'muted';
      setI18n(li, 'console.no_mediator');
      list.replaceChildren(li);
    } else {
      list.replaceChildren(
        ...mediators.map((m) => {
          const li = document.createElement('li');
          if (m.id === state.me.id) setI18n(li, 'case.mediator_you', { name: m.display_name });
          else li.textContent = m.display_name;
          return li;
        }),
      );
    }
    changeButton.hidden = !canChange() || !form.hidden;
    if (!canChange()) form.hidden = true;
  }

  function open() {
    clearMessage(status);
    clearFieldError(form, 'mediators');
    const current = new Set((state.theCase.mediators || []).map((m) => m.id));
    const staff = state.users.filter((u) => !u.disabled || current.has(u.id));
    choices.replaceChildren(
      ...staff.map((user) => {
        const wrap = document.createElement('div');
        wrap.className = 'check';
        const input = document.createElement('input');
        input.type = 'checkbox';
        input.id = `case-mediator-${user.id}`;
        input.value = user.id;
        input.checked = current.has(user.id);
        input.dataset.field = 'mediators';
        input.setAttribute('aria-describedby', 'case-mediators-hint case-mediators-error');
        const label = document.createElement('label');
        label.htmlFor = input.id;
        setI18n(label, user.is_lawyer ? 'case.mediator_choice_lawyer' : 'case.mediator_choice', {
          name: user.display_name,
          role: labelParam('staff_role.', user.role),
        });
        wrap.append(input, label);
        return wrap;
      }),
    );
    form.hidden = false;
    changeButton.hidden = true;
    const first = choices.querySelector('input');
    if (first) first.focus();
  }

  function close() {
    form.hidden = true;
    changeButton.hidden = !canChange();
    if (!changeButton.hidden) changeButton.focus();
  }

  changeButton.addEventListener('click', open);
  document.getElementById('case-mediators-cancel').addEventListener('click', () => {
    clearMessage(status);
    close();
  });
  choices.addEventListener('change', () => clearFieldError(form, 'mediators'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (save.disabled) return;
    clearMessage(status);
    const chosen = [...choices.querySelectorAll('input:checked')].map((input) => input.value);
    if (chosen.length === 0) {
      setFieldError(form, 'mediators', 'case.mediators_none_chosen');
      choices.querySelector('input')?.focus();
      return;
    }
    setBusy(save, true, 'console.saving');
    try {
      state.theCase = await request('PUT', page.caseUrl('/mediators'), { body: { mediators: chosen } });
      close();
      showMessage(status, 'case.mediators_saved', 'success');
      await page.refresh({ theCase: true, invitations: true });
    } catch (err) {
      if (err.status === 422) {
        setFieldError(form, 'mediators', 'case.mediators_rejected');
        showMessage(status, 'form.fix_errors', 'error');
      } else {
        showError(status, err);
      }
    } finally {
      setBusy(save, false);
    }
  });

  return { render };
}

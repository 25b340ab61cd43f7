// <accord-agenda>: the agenda of a case, as every participant reads it and, for the case's own
// mediators, with what keeps it: add, edit, move, start, finish, skip, delete. The time spent
// runs on for the item in progress. Every change answers with the whole agenda, which is drawn
// again; a page that hears `record_changed` calls reload().
//
//   el.configure({ url, editable })   url: /api/cases/{id}/agenda (staff) or /api/me/agenda
//   el.reload()

import { setI18n } from './i18n.js';
import { api, request } from './api.js';
import { describeError } from './errors.js';
import { clearMessage, showMessage } from './forms.js';
import { agendaForm } from './agenda-form.js';

/** Refusals of the API, and what to say. */
const CODES = {
  agenda_step_not_allowed: 'agenda.error_step_not_allowed',
  agenda_item_in_progress: 'agenda.error_in_progress',
  agenda_full: 'agenda.error_full',
  agenda_item_not_found: 'agenda.error_not_found',
  case_archived: 'console.error_case_archived',
  forbidden: 'console.error_forbidden',
};

/** The steps each status allows (server/src/domain/agenda). */
const STEPS = {
  pending: ['start', 'skip'],
  in_progress: ['finish', 'skip'],
  skipped: ['start'],
  done: [],
};
const STEP_KEYS = { start: 'agenda.start', finish: 'agenda.finish', skip: 'agenda.skip' };

/** `h:mm:ss` or `m:ss`: the same in both languages. */
export function formatSeconds(total) {
  const s = Math.max(0, Math.floor(Number(total) || 0));
  const [h, m, sec] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const two = (n) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(sec)}` : `${m}:${two(sec)}`;
}

/**
 * Seconds spent on `item` now: as the server counted them when it answered (`at`, this page's
 * performance.now()), and on from there for the item in progress. The server's clock decides,
 * not this device's, which may be set wrong.
 */
function secondsNow(item, at) {
  const running = item.status === 'in_progress' ? Math.floor((performance.now() - at) / 1000) : 0;
  return (item.seconds_spent || 0) + Math.max(0, running);
}

function el(tag, className, key, params) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (key) setI18n(node, key, params);
  return node;
}

let instances = 0;

export class AgendaElement extends HTMLElement {
  connectedCallback() {
    if (this.list) return;
    instances += 1;
    this.idPrefix = `agenda${instances}`;
    this.items = [];
    this.editing = null; // id of the item being edited
    this.status = el('div', 'live');
    this.status.setAttribute('aria-live', 'polite');
    this.empty = el('p', 'muted');
    this.list = el('ol', 'agenda-list');
    this.add = agendaForm({ prefix: `${this.idPrefix}-add`, legendKey: 'agenda.add_legend', submitKey: 'agenda.add_submit' });
    this.add.form.hidden = true;
    this.add.onSubmit = (body) => this.change('POST', this.url, body, this.add);
    this.append(this.status, this.empty, this.list, this.add.form);
    this.list.addEventListener('click', (event) => this.onClick(event));
  }

  disconnectedCallback() {
    this.stopTicking();
  }

  configure({ url, editable = false }) {
    this.url = url;
    this.editable = editable;
    if (this.add) this.add.form.hidden = !editable;
  }

  async reload() {
    try {
      const agenda = await api.get(this.url);
      this.render(agenda.items || []);
    } catch (err) {
      showMessage(this.status, err.status === 0 || err.status >= 500 ? describeError(err) : 'agenda.load_failed', 'error');
    }
  }

  /** Sends a change; the answer is the whole agenda. `form` (if any) shows field errors. */
  async change(method, url, body, form = null) {
    clearMessage(this.status);
    try {
      const agenda = await request(method, url, body === undefined ? {} : { body });
      if (form && form === this.add) form.reset();
      if (form && form !== this.add) this.editing = null;
      this.render(agenda.items || []);
      return true;
    } catch (err) {
      if (form && form.showErrors(err)) return false;
      showMessage(this.status, describeError(err, CODES), 'error');
      if (err.code === 'agenda_step_not_allowed' || err.code === 'agenda_item_not_found') await this.reload();
      return false;
    }
  }

  /** Back from editing an item to its row, with focus on its edit button. */
  stopEditing(id) {
    this.editing = null;
    this.draw();
    this.querySelector(`[data-focus-key="edit:${id}"]`)?.focus();
  }

  itemUrl(id, suffix = '') {
    return `${this.url}/${encodeURIComponent(id)}${suffix}`;
  }

  onClick(event) {
    const button = event.target.closest('button[data-action]');
    if (!button || button.disabled) return;
    const { action, item } = button.dataset;
    const at = this.items.findIndex((i) => i.id === item);
    if (at < 0) return;
    if (action in STEP_KEYS) {
      this.change('POST', this.itemUrl(item, `/${action}`));
    } else if (action === 'delete') {
      this.change('DELETE', this.itemUrl(item));
    } else if (action === 'edit') {
      this.editing = item;
      this.editRow = null;
      this.draw();
    } else if (action === 'up' || action === 'down') {
      const order = this.items.map((i) => i.id);
      const to = action === 'up' ? at - 1 : at + 1;
      [order[at], order[to]] = [order[to], order[at]];
      this.change('PUT', `${this.url}/order`, { items: order });
    }
  }

  /** Takes the agenda as the server just answered it, and draws it. */
  render(items) {
    this.items = items;
    this.receivedAt = performance.now();
    this.draw();
  }

  /** Draws the agenda, keeping keyboard focus on the same control where it is still there. */
  draw() {
    const items = this.items;
    const focusKey = this.contains(document.activeElement) ? document.activeElement.dataset.focusKey : null;
    setI18n(this.empty, this.editable ? 'agenda.empty' : 'agenda.empty_party');
    this.empty.hidden = items.length > 0;
    this.list.replaceChildren(...items.map((item, at) => this.row(item, at)));
    if (focusKey) this.querySelector(`[data-focus-key="${focusKey}"]`)?.focus();
    this.tick();
  }

  row(item, at) {
    const li = el('li', `agenda-item is-${item.status}`);
    li.dataset.item = item.id;
    li.dataset.status = item.status;
    if (this.editable && this.editing === item.id) {
      // A reload while the item is being edited keeps what is being typed.
      if (this.editRow && this.editRow.dataset.item === item.id) return this.editRow;
      const edit = agendaForm({ prefix: `${this.idPrefix}-edit`, legendKey: 'agenda.edit_legend', submitKey: 'agenda.save', cancel: true });
      edit.fill(item);
      edit.onSubmit = (body) => this.change('PUT', this.itemUrl(item.id), body, edit);
      edit.onCancel = () => this.stopEditing(item.id);
      li.append(edit.form);
      this.editRow = li;
      queueMicrotask(() => edit.focus());
      return li;
    }
    const line = el('div', 'agenda-line');
    const title = el('span', 'agenda-title');
    title.textContent = item.title;
    title.id = `${this.idPrefix}-title-${at}`;
    const time = el('span', 'agenda-time');
    time.dataset.seconds = '';
    line.append(title, el('span', `badge agenda-badge is-${item.status}`, `agenda_status.${item.status}`), time);
    li.append(line);
    if (item.description) {
      const description = el('p', 'agenda-description');
      description.textContent = item.description;
      li.append(description);
    }
    if (this.editable) li.append(this.actions(item, at, title.id));
    return li;
  }

  actions(item, at, titleId) {
    const box = el('div', 'agenda-actions');
    const button = (action, key, { danger = false, disabled = false } = {}) => {
      const b = el('button', `button small-button${danger ? ' danger' : ''}`, key);
      b.type = 'button';
      b.dataset.action = action;
      b.dataset.item = item.id;
      b.dataset.focusKey = `${action}:${item.id}`;
      b.disabled = disabled;
      b.setAttribute('aria-describedby', titleId);
      return b;
    };
    const busy = this.items.some((i) => i.status === 'in_progress' && i.id !== item.id);
    for (const step of STEPS[item.status] || []) {
      box.append(button(step, STEP_KEYS[step], { disabled: step === 'start' && busy }));
    }
    box.append(
      button('up', 'agenda.move_up', { disabled: at === 0 }),
      button('down', 'agenda.move_down', { disabled: at === this.items.length - 1 }),
      button('edit', 'agenda.edit'),
      button('delete', 'agenda.delete', { danger: true, disabled: item.status === 'in_progress' }),
    );
    return box;
  }

  /** Shows each item's time spent; ticks every second while one is in progress. */
  tick() {
    const rows = [...this.list.querySelectorAll('li[data-item]')];
    for (const li of rows) {
      const item = this.items.find((i) => i.id === li.dataset.item);
      const time = li.querySelector('[data-seconds]');
      if (!item || !time) continue;
      const seconds = secondsNow(item, this.receivedAt);
      time.hidden = seconds === 0 && item.status !== 'in_progress';
      setI18n(time, 'agenda.time_spent', { time: formatSeconds(seconds) });
    }
    const running = this.items.some((i) => i.status === 'in_progress');
    if (running && !this.timer) this.timer = window.setInterval(() => this.tick(), 1000);
    if (!running) this.stopTicking();
  }

  stopTicking() {
    if (this.timer) window.clearInterval(this.timer);
    this.timer = null;
  }
}

if (!customElements.get('accord-agenda')) customElements.define('accord-agenda', AgendaElement);

// <accord-notes>: the mediation record (调解笔录), the mediator's notes of each sitting, for the
// case's staff only. Each save is a new version made from the one that was read, so a save over
// someone else's newer version is refused and said so, never lost; every version stays readable,
// newest first, and one whose text no longer matches the case's chain is marked.
//
//   el.configure({ caseId, editable, live })   live: only the newest sitting (the session page)
//   el.reload()

import { getLanguage, onLanguageChange, setI18n } from './i18n.js';
import { api } from './api.js';
import { clearFieldError, clearMessage, setBusy, setFieldError, showMessage } from './forms.js';
import { errorMessage } from './staff.js';

const MAX_CHARS = 16000;
const CODES = { sitting_not_found: 'notes.error_sitting_not_found' };

function el(tag, className, key, params) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (key) setI18n(node, key, params);
  return node;
}

/** A date and time in the page's language (drawn again on a language switch). */
function when(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : new Intl.DateTimeFormat(getLanguage(), { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

let instances = 0;

export class NotesElement extends HTMLElement {
  connectedCallback() {
    if (this.textarea) return;
    instances += 1;
    const id = `notes${instances}`;
    this.base = 0;
    this.dirty = false;
    this.sittings = [];
    this.status = el('div', 'live');
    this.status.setAttribute('aria-live', 'polite');
    this.none = el('p', 'muted', 'notes.no_sittings');
    this.none.hidden = true;

    this.pick = el('div', 'field');
    this.select = el('select');
    this.select.id = `${id}-sitting`;
    const pickLabel = el('label', '', 'notes.sitting_label');
    pickLabel.htmlFor = this.select.id;
    this.pick.append(pickLabel, this.select);
    this.current = el('p', 'muted small');

    this.form = el('form', 'notes-form');
    this.form.noValidate = true;
    const wrap = el('div', 'field');
    this.textarea = el('textarea');
    Object.assign(this.textarea, { id: `${id}-text`, rows: 8 });
    this.textarea.dataset.field = 'text';
    this.textarea.setAttribute('aria-describedby', `${id}-hint ${id}-error`);
    const label = el('label', '', 'notes.text_label');
    label.htmlFor = this.textarea.id;
    const hint = el('p', 'hint', 'notes.text_hint');
    hint.id = `${id}-hint`;
    const error = el('p', 'field-error');
    Object.assign(error, { id: `${id}-error`, hidden: true });
    error.dataset.errorFor = 'text';
    wrap.append(label, hint, this.textarea, error);
    this.save = el('button', 'button primary', 'notes.save');
    this.save.type = 'submit';
    const actions = el('div', 'actions');
    actions.append(this.save);
    this.form.append(wrap, actions);
    this.readOnly = el('p', 'muted small', 'notes.read_only');

    this.history = el('section', 'notes-history');
    const heading = el('h3', '', 'notes.history_heading');
    this.versions = el('ol', 'notes-versions');
    this.history.append(heading, this.versions);

    this.append(this.status, this.none, this.pick, this.current, this.form, this.readOnly, this.history);
    this.textarea.addEventListener('input', () => {
      this.dirty = true;
      clearFieldError(this.form, 'text');
    });
    this.unsubscribe = onLanguageChange(() => {
      this.renderSittings();
      this.renderVersions(this.shown || []);
    });
    this.select.addEventListener('change', () => this.loadSitting(this.select.value, { replaceText: true }));
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
  }

  disconnectedCallback() {
    if (this.unsubscribe) this.unsubscribe();
  }

  configure({ caseId, editable = false, live = false }) {
    Object.assign(this, { caseId, editable, live });
  }

  url(suffix) {
    return `/api/cases/${encodeURIComponent(this.caseId)}${suffix}`;
  }

  notesUrl(session) {
    return this.url(`/sittings/${encodeURIComponent(session)}/notes`);
  }

  async reload() {
    try {
      const list = await api.get(this.url('/sittings'));
      this.sittings = Array.isArray(list) ? list : [];
    } catch (err) {
      showMessage(this.status, err.status >= 500 || err.status === 0 ? errorMessage(err) : 'notes.load_failed', 'error');
      return;
    }
    const chosen = this.sittings.some((s) => s.session === this.session) && !this.live ? this.session : this.sittings[0]?.session;
    this.renderSittings();
    if (chosen) await this.loadSitting(chosen, { replaceText: chosen !== this.session });
  }

  renderSittings() {
    const any = this.sittings.length > 0;
    this.none.hidden = any;
    this.pick.hidden = !any || this.live;
    this.current.hidden = !any || !this.live;
    this.form.hidden = !any || !this.editable;
    this.readOnly.hidden = !any || this.editable;
    this.history.hidden = !any;
    this.select.replaceChildren(
      ...this.sittings.map((sitting) => {
        const times = { start: when(sitting.started_at), end: when(sitting.ended_at) };
        const option = el('option', '', sitting.ended_at ? 'notes.sitting_ended' : 'notes.sitting_running', times);
        option.value = sitting.session;
        return option;
      }),
    );
    if (this.session) this.select.value = this.session;
    if (any && this.live) setI18n(this.current, 'notes.this_sitting', { start: when(this.sittings[0].started_at) });
  }

  /** Shows the versions of a sitting; the text box gets the newest unless it holds unsaved words. */
  async loadSitting(session, { replaceText = false } = {}) {
    this.session = session;
    this.select.value = session;
    let notes;
    try {
      notes = await api.get(this.notesUrl(session));
    } catch (err) {
      showMessage(this.status, errorMessage(err, CODES), 'error');
      return;
    }
    const versions = notes.versions || [];
    this.base = versions.length > 0 ? versions[0].version : 0;
    if (replaceText || !this.dirty) {
      this.textarea.value = versions.length > 0 ? versions[0].text : '';
      this.dirty = false;
    }
    this.renderVersions(versions);
  }

  renderVersions(versions) {
    this.shown = versions;
    if (versions.length === 0) {
      this.versions.replaceChildren(el('li', 'muted', 'notes.history_empty'));
      return;
    }
    this.versions.replaceChildren(
      ...versions.map((v) => {
        const li = el('li', v.intact ? 'notes-version' : 'notes-version is-tampered');
        li.dataset.version = String(v.version);
        const details = el('details');
        const summary = el('summary', '', 'notes.version_summary', { version: v.version, time: when(v.saved_at), name: v.saved_by_name || '' });
        const text = el('p', 'prewrap notes-text');
        text.textContent = v.text;
        details.append(summary, text);
        if (!v.intact) li.append(el('p', 'message is-error', 'notes.version_tampered'));
        li.append(details);
        return li;
      }),
    );
  }

  async submit() {
    if (this.save.disabled || !this.session) return;
    clearMessage(this.status);
    const text = this.textarea.value.trim();
    const length = [...text].length;
    if (length === 0 || length > MAX_CHARS) {
      setFieldError(this.form, 'text', 'notes.text_invalid');
      this.textarea.focus();
      return;
    }
    setBusy(this.save, true, 'console.saving');
    try {
      const saved = await api.post(this.notesUrl(this.session), { text, base_version: this.base });
      this.dirty = false;
      showMessage(this.status, { key: 'notes.saved', params: { version: saved.version } }, 'success');
      await this.loadSitting(this.session, { replaceText: true });
    } catch (err) {
      if (err.code === 'notes_version_conflict') {
        // The newer version shows below and becomes the base; the words typed here stay.
        await this.loadSitting(this.session);
        showMessage(this.status, { key: 'notes.conflict', params: { version: this.base } }, 'error');
      } else if (err.status === 422) {
        setFieldError(this.form, 'text', 'notes.text_invalid');
        this.textarea.focus();
      } else {
        showMessage(this.status, errorMessage(err, CODES), 'error');
      }
    } finally {
      setBusy(this.save, false);
    }
  }
}

if (!customElements.get('accord-notes')) customElements.define('accord-notes', NotesElement);

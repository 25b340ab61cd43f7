// <accord-termination>: a mediation that was terminated (PML 26), as the parties read it and the
// case's staff see it: when, why, the mediator's words, and the notice of the routes that stay
// open (arbitration, an administrative authority, a court) in the reader's language.
//
//   el.show(view)          a TerminationView (staff: the notice in each language)
//   await el.loadMine()    a participant's own (GET /api/me/termination); resolves to whether
//                          there is one, and fetches the notice again on a language switch
//
// Its headings start at the `level` attribute (default 2).

import { getLanguage, hasKey, onLanguageChange, setI18n } from './i18n.js';
import { api } from './api.js';

function el(tag, key, params) {
  const node = document.createElement(tag);
  if (key) setI18n(node, key, params);
  return node;
}

function when(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : new Intl.DateTimeFormat(getLanguage(), { dateStyle: 'long', timeStyle: 'short' }).format(date);
}

export class TerminationElement extends HTMLElement {
  connectedCallback() {
    this.classList.add('termination');
    this.unsubscribe = onLanguageChange(() => {
      if (this.mine) this.loadMine();
      else if (this.view) this.show(this.view);
    });
  }

  disconnectedCallback() {
    if (this.unsubscribe) this.unsubscribe();
  }

  heading(offset, key) {
    const level = Math.min(6, Number(this.getAttribute('level') || 2) + offset);
    return el(`h${level}`, key);
  }

  /** Draws `view`; its notice is the one in the page's language, else the first. */
  show(view) {
    this.view = view;
    const notices = view.notices || (view.notice ? [view.notice] : []);
    const notice = notices.find((n) => n.language === getLanguage()) || notices[0];
    const parts = [this.heading(0, 'termination.heading'), el('p', 'termination.when', { time: when(view.terminated_at) })];
    parts.push(this.heading(1, 'termination.reasons_heading'));
    const reasons = document.createElement('ul');
    for (const reason of view.reasons || []) {
      const key = `termination_reason.${reason}`;
      const li = el('li', hasKey(key) ? key : null);
      if (!hasKey(key)) li.textContent = String(reason);
      reasons.append(li);
    }
    parts.push(reasons);
    if (view.details) {
      const details = el('p');
      details.className = 'prewrap';
      details.textContent = view.details;
      parts.push(this.heading(1, 'termination.details_heading'), details);
    }
    if (notice) {
      const title = this.heading(1);
      title.textContent = notice.title;
      title.lang = notice.language;
      const body = document.createElement('div');
      body.className = 'termination-notice';
      body.lang = notice.language;
      for (const line of String(notice.text || '').split('\n')) {
        const p = document.createElement('p');
        p.textContent = line;
        body.append(p);
      }
      parts.push(title, body);
      if (view.notices) {
        const note = el('p', 'termination.notice_note');
        note.className = 'muted small';
        parts.push(note);
      }
    }
    this.replaceChildren(...parts);
    this.hidden = false;
  }

  async loadMine() {
    this.mine = true;
    try {
      this.show(await api.get(`/api/me/termination?lang=${encodeURIComponent(getLanguage())}`));
      return true;
    } catch {
      this.hidden = true; // not terminated (404), or nothing to show now
      return false;
    }
  }
}

if (!customElements.get('accord-termination')) customElements.define('accord-termination', TerminationElement);

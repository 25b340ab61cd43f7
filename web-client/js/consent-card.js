// <accord-consent-card>: one consent, read in full and given on its own. The
// server's exact title and text; whether it is needed to take part or
// optional; then either an unticked checkbox ("I have read this and agree")
// or, once given, when it was given and a button to withdraw it.
//
//   card.update({ consent: { kind, title, text, required, given_at }, language, checked })
//   card.checked, card.kind, card.required, card.given
//   a click on its withdraw button bubbles as a click on button[data-withdraw]

import { clearI18n, getLanguage, setI18n } from './i18n.js';

/** A date and time in the page's language, or '' if `iso` is not one. */
export function formatDateTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(getLanguage(), { dateStyle: 'long', timeStyle: 'short' }).format(date);
}

function el(tag, className) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  return node;
}

export class ConsentCard extends HTMLElement {
  update({ consent, language, checked = false }) {
    this.consent = consent;
    const { kind } = consent;
    const ids = {
      title: `consent-title-${kind}`,
      box: `consent-${kind}`,
      error: `consent-error-${kind}`,
    };
    this.dataset.kind = kind;
    this.dataset.required = String(Boolean(consent.required));
    this.dataset.given = String(this.given);

    const article = el('article', `card consent-card${this.given ? ' is-given' : ''}`);
    article.setAttribute('aria-labelledby', ids.title);

    const head = el('div', 'consent-head');
    const title = el('h3', 'consent-title');
    title.id = ids.title;
    title.textContent = consent.title;
    title.lang = language;
    const badge = el('span', `badge consent-badge ${consent.required ? 'is-required' : 'is-optional'}`);
    setI18n(badge, consent.required ? 'consents.badge_required' : 'consents.badge_optional');
    head.append(title, badge);

    // The text exactly as served: its hash is what the server records.
    const text = el('p', 'consent-text');
    text.lang = language;
    text.textContent = consent.text;
    article.append(head, text);

    if (this.given) {
      const given = el('p', 'consent-given');
      const mark = el('span', 'consent-given-mark');
      mark.setAttribute('aria-hidden', 'true');
      mark.textContent = '✓';
      const words = el('span');
      setI18n(words, 'consents.given_at', { when: formatDateTime(consent.given_at) });
      given.append(mark, words);
      const withdraw = el('button', 'button small-button danger');
      withdraw.type = 'button';
      withdraw.dataset.withdraw = kind;
      withdraw.setAttribute('aria-describedby', ids.title);
      setI18n(withdraw, 'consents.withdraw');
      article.append(given, withdraw);
      this.box = null;
      this.errorEl = null;
    } else {
      const check = el('div', 'consent-check');
      const box = el('input');
      box.type = 'checkbox';
      box.id = ids.box;
      box.dataset.kind = kind;
      box.checked = Boolean(checked);
      box.setAttribute('aria-describedby', `${ids.title} ${ids.error}`);
      const label = el('label');
      label.htmlFor = ids.box;
      setI18n(label, consent.required ? 'consents.agree' : 'consents.agree_optional');
      check.append(box, label);
      const error = el('p', 'field-error');
      error.id = ids.error;
      error.hidden = true;
      article.append(check, error);
      this.box = box;
      this.errorEl = error;
      box.addEventListener('change', () => {
        if (box.checked) this.clearError();
      });
    }
    this.replaceChildren(article);
  }

  get kind() {
    return this.consent ? this.consent.kind : '';
  }

  get required() {
    return Boolean(this.consent && this.consent.required);
  }

  get given() {
    return Boolean(this.consent && this.consent.given_at);
  }

  get title() {
    return this.consent ? this.consent.title : '';
  }

  get checked() {
    return Boolean(this.box && this.box.checked);
  }

  /** Marks the checkbox as needed, with `key`'s message under it. */
  setError(key) {
    if (!this.box) return;
    this.box.setAttribute('aria-invalid', 'true');
    setI18n(this.errorEl, key);
    this.errorEl.hidden = false;
  }

  clearError() {
    if (!this.box) return;
    this.box.removeAttribute('aria-invalid');
    clearI18n(this.errorEl);
    this.errorEl.hidden = true;
  }

  focus() {
    const target = this.box || this.querySelector('button[data-withdraw]');
    if (target) target.focus();
  }
}

if (!customElements.get('accord-consent-card')) customElements.define('accord-consent-card', ConsentCard);

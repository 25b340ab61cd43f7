// Consent 5 on the consents page: for a party, each invited participant (PML 20) and observer
// (PML 23(3)) of the case, with the exact text to agree to. Each is its own decision, given or
// withdrawn on its own; until every party agrees, the mediator cannot let that person in.

import { formatDate, getLanguage, onLanguageChange, setI18n } from './i18n.js';
import { api } from './api.js';
import { describeError } from './errors.js';
import { setBusy, showMessage } from './forms.js';

function el(tag, className, key, params) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (key) setI18n(node, key, params);
  return node;
}

export class AttendeeConsents {
  constructor(section) {
    this.section = section;
    this.list = section.querySelector('#consents-attendees-list');
    this.status = section.querySelector('#consents-attendees-status');
    onLanguageChange(() => {
      if (!this.section.hidden) this.load();
    });
  }

  /** Shows the attendees of a party's case; nothing for anyone else, or when there are none. */
  async load() {
    let listed;
    try {
      listed = await api.get(`/api/me/attendees?lang=${encodeURIComponent(getLanguage())}`);
    } catch (err) {
      this.section.hidden = true;
      if (err.status !== 403) console.error('accord: attendees', err);
      return;
    }
    this.section.hidden = listed.attendees.length === 0;
    this.list.replaceChildren(...listed.attendees.map((a) => this.item(a, listed)));
  }

  item(attendee, listed) {
    const card = el('article', 'card attendee-consent');
    card.dataset.attendee = attendee.participant_id;
    const title = el('h3');
    title.textContent = attendee.title;
    const text = el('p');
    text.textContent = attendee.text;
    card.append(title, text);
    const actions = el('div', 'actions');
    if (attendee.given_at) {
      card.append(el('p', 'record-note', 'attendees.given', { date: formatDate(attendee.given_at) }));
      const withdraw = el('button', 'button', 'attendees.withdraw');
      withdraw.type = 'button';
      withdraw.dataset.action = 'withdraw';
      withdraw.addEventListener('click', () => this.act(withdraw, `/api/me/attendees/${attendee.participant_id}/withdraw`, {}));
      actions.append(withdraw);
    } else {
      const agree = el('button', 'button primary', 'attendees.agree');
      agree.type = 'button';
      agree.dataset.action = 'agree';
      const body = { version: listed.version, language: listed.language };
      agree.addEventListener('click', () => this.act(agree, `/api/me/attendees/${attendee.participant_id}/consent`, body));
      actions.append(agree);
    }
    card.append(actions);
    return card;
  }

  async act(button, path, body) {
    setBusy(button, true);
    try {
      await api.post(path, body);
      showMessage(this.status, 'attendees.saved', 'success');
      await this.load();
    } catch (err) {
      setBusy(button, false);
      showMessage(this.status, describeError(err), 'error');
    }
  }
}

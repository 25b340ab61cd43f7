// The chat of the room one is in: a log (role="log", announced politely)
// and a one-line form. The server delivers only the messages of one's own
// room; a move to another room is noted in the log.

import { getLanguage, setI18n } from './i18n.js';
import { clearMessage, showMessage } from './forms.js';

const MAX_SHOWN = 200;

function timeOf(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(getLanguage(), { hour: '2-digit', minute: '2-digit' }).format(date);
}

export class Chat {
  /** `send(text) → Promise` posts a message; it rejects with a SignallingError. */
  constructor({ log, form, input, status, send }) {
    this.log = log;
    this.form = form;
    this.input = input;
    this.status = status;
    this.send = send;
    this.busy = false;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
  }

  async submit() {
    const text = this.input.value.trim();
    if (text === '' || this.busy) return;
    this.busy = true;
    clearMessage(this.status);
    try {
      await this.send(text);
      this.input.value = '';
    } catch {
      showMessage(this.status, 'session.chat_failed', 'error');
    } finally {
      this.busy = false;
      this.input.focus();
    }
  }

  /** A message from the server: `{ from, name, text, at }`; `you` is the own member id. */
  add(message, you) {
    const li = document.createElement('li');
    li.className = message.from === you ? 'chat-line is-own' : 'chat-line';
    const head = document.createElement('p');
    head.className = 'chat-meta';
    const who = document.createElement('span');
    who.className = 'chat-name';
    if (message.from === you) setI18n(who, 'session.chat_you');
    else who.textContent = message.name || '';
    const when = document.createElement('time');
    when.dateTime = message.at || '';
    when.textContent = timeOf(message.at);
    head.append(who, ' ', when);
    const body = document.createElement('p');
    body.className = 'chat-text';
    body.textContent = message.text || '';
    li.append(head, body);
    this.append(li);
  }

  /** A line from the page itself, e.g. "you are now in …". */
  note(key, params) {
    const li = document.createElement('li');
    li.className = 'chat-line is-note';
    setI18n(li, key, params);
    this.append(li);
  }

  append(li) {
    this.log.append(li);
    while (this.log.children.length > MAX_SHOWN) this.log.firstElementChild.remove();
    this.log.scrollTop = this.log.scrollHeight;
  }

  setEnabled(enabled) {
    for (const el of this.form.elements) el.disabled = !enabled;
  }
}

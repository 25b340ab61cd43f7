// The mediator's panels of a live session: who is knocking (admit / deny),
// the rooms with the people in each (move, mute, remove), a new private
// room, everyone back, end the session. Rendered from each `state`; every
// button sends one accord.v1 request through `act`.

import { setI18n } from './i18n.js';
import { roleLabel } from './video-tile.js';
import { clearFieldError, setFieldError } from './forms.js';

/** Visible name of a room: the joint room has none of its own. */
export function roomLabel(room) {
  if (!room) return { key: 'session.room_unknown' };
  if (room.id === 0) return { key: 'session.joint_room' };
  return { key: 'session.room_named', params: { name: room.name } };
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function i18nEl(tag, className, key, params) {
  const node = el(tag, className);
  setI18n(node, key, params);
  return node;
}

function button(key, action, member, { danger = false, describedBy } = {}) {
  const b = i18nEl('button', danger ? 'button small-button danger' : 'button small-button', key);
  b.type = 'button';
  b.dataset.action = action;
  if (member) b.dataset.member = member;
  b.dataset.focusKey = `${action}:${member || ''}`;
  if (describedBy) b.setAttribute('aria-describedby', describedBy);
  return b;
}

/** A person's name and role, with an id so that buttons can point at it. */
function who(member, idPrefix) {
  const wrap = el('div', 'person');
  const name = el('span', 'person-name', member.name);
  name.id = `${idPrefix}-${member.id}`;
  const role = roleLabel(member);
  wrap.append(name, i18nEl('span', 'person-role', role.key, role.params));
  const flags = [];
  if (member.hand_raised) flags.push('session.flag_hand');
  if (member.audio_muted) flags.push('session.flag_mic_off');
  if (member.video_muted) flags.push('session.flag_camera_off');
  if (member.connected === false) flags.push('session.flag_disconnected');
  for (const key of flags) wrap.append(i18nEl('span', 'badge person-flag', key));
  return wrap;
}

export class MediatorPanels {
  /**
   * `act(message, { confirm })` sends a request and reports failures;
   * `dialog` is a confirmDialog for the reasons.
   */
  constructor({ queueSection, queueList, queueEmpty, roomsSection, roomsList, roomForm, returnAll, endButton, lockButton, act, dialog }) {
    Object.assign(this, { queueSection, queueList, queueEmpty, roomsSection, roomsList, roomForm, returnAll, endButton, lockButton, act, dialog });
    this.state = null;

    this.queueList.addEventListener('click', (event) => this.onClick(event));
    this.roomsList.addEventListener('click', (event) => this.onClick(event));
    this.roomsList.addEventListener('change', (event) => {
      const select = event.target.closest('select[data-action="move"]');
      if (!select) return;
      this.act({ type: 'move', member: select.dataset.member, room: Number(select.value) });
    });
    this.roomForm.addEventListener('submit', (event) => {
      event.preventDefault();
      this.createRoom();
    });
    this.roomForm.addEventListener('input', () => clearFieldError(this.roomForm, 'name'));
    this.returnAll.addEventListener('click', () => this.act({ type: 'return_all' }));
    this.endButton.addEventListener('click', () => this.endSession());
    this.lockButton.addEventListener('click', () => {
      if (this.state) this.act({ type: 'lock', locked: !this.state.locked });
    });
  }

  show(visible) {
    this.queueSection.hidden = !visible;
    this.roomsSection.hidden = !visible;
  }

  nameOf(id) {
    const s = this.state;
    if (!s) return '';
    const m = [...s.waiting, ...s.members, s.you].find((x) => x && x.id === id);
    return m ? m.name : '';
  }

  async onClick(event) {
    const b = event.target.closest('button[data-action]');
    if (!b) return;
    const member = b.dataset.member;
    const name = this.nameOf(member);
    switch (b.dataset.action) {
      case 'admit':
        this.act({ type: 'admit', member });
        break;
      case 'deny': {
        const answer = await this.dialog.ask({
          heading: { key: 'session.deny_heading', params: { name } },
          text: { key: 'session.deny_text' },
          confirmKey: 'session.deny',
          reason: true,
        });
        if (answer) this.act({ type: 'deny', member, reason: answer.reason });
        break;
      }
      case 'mute':
        this.act({ type: 'mute', member, kind: 'audio' });
        break;
      case 'remove': {
        const answer = await this.dialog.ask({
          heading: { key: 'session.remove_heading', params: { name } },
          text: { key: 'session.remove_text' },
          confirmKey: 'session.remove',
          reason: true,
        });
        if (answer) this.act({ type: 'remove', member, reason: answer.reason });
        break;
      }
      default:
        break;
    }
  }

  async createRoom() {
    const input = this.roomForm.querySelector('input');
    const name = input.value.trim();
    if (name === '' || [...name].length > 40) {
      setFieldError(this.roomForm, 'name', 'session.room_name_invalid');
      input.focus();
      return;
    }
    const ok = await this.act({ type: 'create_room', name });
    if (ok) input.value = '';
  }

  async endSession() {
    const answer = await this.dialog.ask({
      heading: { key: 'session.end_heading' },
      text: { key: 'session.end_text' },
      confirmKey: 'session.end',
    });
    if (answer) this.act({ type: 'end_session' });
  }

  /** Re-renders from a mediator's `state`, keeping keyboard focus where it was. */
  render(state) {
    this.state = state;
    const focusKey = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.focusKey : null;
    this.renderQueue(state);
    this.renderRooms(state);
    this.returnAll.disabled = ![state.you, ...state.members].some((m) => m.room !== undefined && m.room !== 0);
    setI18n(this.lockButton, state.locked ? 'session.unlock' : 'session.lock');
    this.lockButton.setAttribute('aria-pressed', String(Boolean(state.locked)));
    if (focusKey) {
      const again = [...document.querySelectorAll('[data-focus-key]')].find((n) => n.dataset.focusKey === focusKey);
      if (again) again.focus();
    }
  }

  renderQueue(state) {
    this.queueEmpty.hidden = state.waiting.length > 0;
    this.queueList.replaceChildren(
      ...state.waiting.map((m) => {
        const li = el('li', 'person-row is-waiting');
        li.dataset.member = m.id;
        const actions = el('div', 'person-actions');
        const nameId = `queue-name-${m.id}`;
        actions.append(
          button('session.admit', 'admit', m.id, { describedBy: nameId }),
          button('session.deny', 'deny', m.id, { danger: true, describedBy: nameId }),
        );
        li.append(who(m, 'queue-name'), actions);
        return li;
      }),
    );
  }

  renderRooms(state) {
    const everyone = [state.you, ...state.members];
    const groups = state.rooms.map((room) => {
      const section = el('section', room.private ? 'room is-private' : 'room');
      section.dataset.room = String(room.id);
      const headingId = `room-heading-${room.id}`;
      const label = roomLabel(room);
      const heading = i18nEl('h3', 'room-name', label.key, label.params);
      heading.id = headingId;
      section.setAttribute('aria-labelledby', headingId);
      section.append(heading);
      const inRoom = everyone.filter((m) => m.room === room.id);
      if (inRoom.length === 0) {
        section.append(i18nEl('p', 'muted small', 'session.room_empty'));
      } else {
        const ul = el('ul', 'people');
        for (const m of inRoom) ul.append(this.memberRow(m, state));
        section.append(ul);
      }
      return section;
    });
    this.roomsList.replaceChildren(...groups);
  }

  memberRow(m, state) {
    const isYou = m.id === state.you.id;
    const li = el('li', 'person-row');
    li.dataset.member = m.id;
    const person = who(m, 'room-name');
    if (isYou) person.append(i18nEl('span', 'badge', 'session.you'));
    const actions = el('div', 'person-actions');

    const selectId = `move-${m.id}`;
    const label = i18nEl('label', 'visually-hidden', 'session.move_label', { name: m.name });
    label.htmlFor = selectId;
    const select = el('select', 'move-select');
    select.id = selectId;
    select.dataset.action = 'move';
    select.dataset.member = m.id;
    select.dataset.focusKey = `move:${m.id}`;
    for (const room of state.rooms) {
      const option = el('option');
      option.value = String(room.id);
      const name = roomLabel(room);
      setI18n(option, name.key, name.params);
      option.selected = room.id === m.room;
      select.append(option);
    }
    actions.append(label, select);

    if (!isYou && m.role !== 'mediator') {
      const nameId = `room-name-${m.id}`;
      const mute = button('session.mute_member', 'mute', m.id, { describedBy: nameId });
      mute.disabled = m.audio_muted;
      actions.append(mute, button('session.remove', 'remove', m.id, { danger: true, describedBy: nameId }));
    }
    li.append(person, actions);
    return li;
  }
}

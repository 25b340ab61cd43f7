// What a member sees of the people: their own preview in the waiting room;
// once admitted, one <accord-video-tile> per person in their room (oneself
// first), and the list of those people. A person who leaves the room (moved
// to a caucus, gone) loses their tile at once, so that nobody looks at a
// frozen last frame. Rendered from the last `state`, the own stream and the
// remote streams by member id.

import { setI18n } from './i18n.js';
import { roleLabel } from './video-tile.js';

function newTile(self = false) {
  const tile = document.createElement('accord-video-tile');
  tile.self = self;
  return tile;
}

export class Stage {
  constructor({ tiles, waitingPreview, peopleList }) {
    this.tilesEl = tiles;
    this.waitingPreview = waitingPreview;
    this.peopleList = peopleList;
    this.tiles = new Map(); // member id → tile
    this.selfTile = null;
    this.previewTile = null;
  }

  /**
   * `state`: the last accord.v1 state (or null); `localStream`: own camera
   * (or null); `remote`: Map member id → MediaStream (or null: no peer
   * connection now); `want`: `{ audio, video }`, the own switches.
   */
  render({ state, localStream, remote, want }) {
    const you = state ? { ...state.you, audio_muted: !want.audio, video_muted: !want.video } : null;
    this.renderPreview(state && state.status === 'waiting' ? you : null, localStream);
    if (!state || state.status !== 'admitted') {
      this.clear();
      return;
    }
    this.renderTiles(state, you, localStream, remote);
    this.renderPeople(state);
  }

  renderPreview(you, localStream) {
    if (!you) {
      if (this.previewTile) {
        this.previewTile.stream = null;
        this.previewTile.remove();
        this.previewTile = null;
      }
      return;
    }
    if (!this.previewTile) {
      this.previewTile = newTile(true);
      this.waitingPreview.append(this.previewTile);
    }
    this.previewTile.member = you;
    this.previewTile.stream = localStream;
  }

  renderTiles(state, you, localStream, remote) {
    // Mediators see everyone, with their room; others see only their own room's people.
    const visible = state.members.filter((m) => m.room === undefined || m.room === state.you.room);
    if (!this.selfTile) this.selfTile = newTile(true);
    this.selfTile.member = you;
    this.selfTile.stream = localStream;
    const order = [this.selfTile];
    const keep = new Set();
    for (const m of visible) {
      let tile = this.tiles.get(m.id);
      if (!tile) {
        tile = newTile();
        this.tiles.set(m.id, tile);
      }
      tile.member = m;
      tile.stream = remote ? remote.get(m.id) || null : null;
      keep.add(m.id);
      order.push(tile);
    }
    for (const [id, tile] of this.tiles) {
      if (!keep.has(id)) this.drop(id, tile);
    }
    const current = [...this.tilesEl.children];
    if (current.length !== order.length || current.some((node, i) => node !== order[i])) {
      this.tilesEl.append(...order); // moves existing tiles without restarting their video
    }
    this.tilesEl.dataset.count = String(order.length);
  }

  drop(id, tile) {
    tile.stream = null;
    tile.remove();
    this.tiles.delete(id);
  }

  renderPeople(state) {
    const rows = [state.you, ...state.members]
      .filter((m) => m.room === undefined || m.room === state.you.room)
      .map((m) => {
        const li = document.createElement('li');
        li.className = 'person-row';
        const person = document.createElement('div');
        person.className = 'person';
        const name = document.createElement('span');
        name.className = 'person-name';
        name.textContent = m.name;
        const role = document.createElement('span');
        role.className = 'person-role';
        const label = roleLabel(m);
        setI18n(role, label.key, label.params);
        person.append(name, role);
        if (m.id === state.you.id) person.append(this.badge('session.you'));
        if (m.hand_raised) person.append(this.badge('session.flag_hand'));
        li.append(person);
        return li;
      });
    this.peopleList.replaceChildren(...rows);
  }

  badge(key) {
    const span = document.createElement('span');
    span.className = 'badge person-flag';
    setI18n(span, key);
    return span;
  }

  /** The speaking cue on the tiles of `ids` (a Set of member ids), and off on the others. */
  markSpeaking(ids) {
    if (this.selfTile) this.selfTile.speaking = Boolean(this.selfTile.member && ids.has(this.selfTile.member.id));
    for (const [id, tile] of this.tiles) tile.speaking = ids.has(id);
  }

  /** Starts the sound of every tile (after a click, when autoplay was blocked). */
  playSound() {
    for (const tile of this.tiles.values()) tile.playSound();
  }

  /** No tiles at all (waiting, reconnecting from scratch, the end). */
  clear() {
    for (const [id, tile] of this.tiles) this.drop(id, tile);
    if (this.selfTile) {
      this.selfTile.stream = null;
      this.selfTile.remove();
      this.selfTile = null;
    }
    this.tilesEl.replaceChildren();
    this.peopleList.replaceChildren();
  }
}

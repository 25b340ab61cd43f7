// <accord-video-tile>: one person's picture and sound in a live session,
// with their name, role and state (muted, hand raised) underneath. The video
// is always muted; the sound plays through its own <audio> element, so that
// a browser that blocks autoplaying sound still shows the picture.
//
//   tile.member = { id, name, role, side, audio_muted, video_muted, hand_raised }
//   tile.self = true          // your own preview: mirrored, never any sound
//   tile.stream = MediaStream // or null while it is not (yet) there
//   tile.speaking = true      // the speaking cue (active-speaker.js); never while muted

import { hasKey, setI18n } from './i18n.js';

/** `{ key }` for a member's role (and side), for setI18n params. */
export function roleLabel(member) {
  if (!member) return { key: 'session.role_unknown' };
  const role = member.role === 'mediator' ? { key: 'session.role_mediator' } : labelOf('participant_role.', member.role);
  if (member.side) return { key: 'session.role_side', params: { role, side: labelOf('side.', member.side) } };
  return role;
}

function labelOf(prefix, code) {
  return hasKey(prefix + code) ? { key: prefix + code } : { key: 'session.role_unknown' };
}

/** Fired when a tile's sound could not start without a click (autoplay policy). */
export const SOUND_BLOCKED = 'accord-sound-blocked';

export class VideoTile extends HTMLElement {
  constructor() {
    super();
    this._member = null;
    this._stream = null;
    this._self = false;
    this._speaking = false;
    // A stream's picture may arrive after its sound (each track has its own `track` event).
    this.onTracks = () => this.render();
  }

  connectedCallback() {
    if (this.video) return;
    this.classList.add('tile');
    this.video = document.createElement('video');
    this.video.autoplay = true;
    this.video.playsInline = true;
    this.video.muted = true;
    this.video.setAttribute('aria-hidden', 'true');
    this.audio = document.createElement('audio');
    this.audio.autoplay = true;
    this.placeholder = document.createElement('p');
    this.placeholder.className = 'tile-placeholder';
    const caption = document.createElement('div');
    caption.className = 'tile-caption';
    this.nameEl = document.createElement('span');
    this.nameEl.className = 'tile-name';
    // Read with the name, not announced: nothing is live here.
    this.speakingEl = document.createElement('span');
    this.speakingEl.className = 'visually-hidden';
    setI18n(this.speakingEl, 'session.speaking');
    this.roleEl = document.createElement('span');
    this.roleEl.className = 'tile-role';
    this.flagsEl = document.createElement('span');
    this.flagsEl.className = 'tile-flags';
    caption.append(this.nameEl, this.speakingEl, this.roleEl, this.flagsEl);
    this.append(this.video, this.placeholder, caption, this.audio);
    this.render();
  }

  set member(member) {
    this._member = member;
    this.dataset.member = member ? member.id : '';
    this.render();
  }

  get member() {
    return this._member;
  }

  set self(value) {
    this._self = Boolean(value);
    this.classList.toggle('is-self', this._self);
    this.render();
  }

  set stream(stream) {
    const next = stream || null;
    if (next === this._stream) {
      this.render(); // its tracks may have changed
      return;
    }
    if (this._stream) this._stream.removeEventListener('addtrack', this.onTracks);
    if (this._stream) this._stream.removeEventListener('removetrack', this.onTracks);
    this._stream = next;
    if (next) next.addEventListener('addtrack', this.onTracks);
    if (next) next.addEventListener('removetrack', this.onTracks);
    if (!this.video) return;
    this.attach();
  }

  get stream() {
    return this._stream;
  }

  set speaking(value) {
    const next = Boolean(value);
    if (next === this._speaking) return;
    this._speaking = next;
    this.renderSpeaking();
  }

  /** Whether the tile shows its person as speaking. */
  get speaking() {
    return this.classList.contains('is-speaking');
  }

  renderSpeaking() {
    if (!this.video) return;
    const m = this._member;
    const on = this._speaking && !(m && m.audio_muted);
    this.classList.toggle('is-speaking', on);
    this.speakingEl.hidden = !on;
  }

  attach() {
    this.video.srcObject = this._stream;
    this.audio.srcObject = this._self ? null : this._stream;
    if (this._stream) {
      this.video.play().catch(() => {});
      if (!this._self) this.playSound();
    }
    this.render();
  }

  /** Starts the sound; reports a block (autoplay policy) so the page can offer a button. */
  playSound() {
    if (!this.audio || !this.audio.srcObject) return Promise.resolve();
    return this.audio.play().catch((err) => {
      if (err && err.name === 'NotAllowedError') {
        this.dispatchEvent(new CustomEvent(SOUND_BLOCKED, { bubbles: true }));
      }
    });
  }

  render() {
    if (!this.video) return;
    if (this.video.srcObject !== this._stream) this.attach();
    const m = this._member;
    this.nameEl.textContent = m ? m.name : '';
    if (this._self) setI18n(this.roleEl, 'session.you_label', { role: roleLabel(m) });
    else setI18n(this.roleEl, roleLabel(m).key, roleLabel(m).params);
    const flags = [];
    if (m && m.hand_raised) flags.push(['session.flag_hand', 'flag-hand']);
    if (m && m.audio_muted) flags.push(['session.flag_mic_off', 'flag-mic-off']);
    if (m && m.video_muted) flags.push(['session.flag_camera_off', 'flag-camera-off']);
    this.flagsEl.replaceChildren(
      ...flags.map(([key, className]) => {
        const flag = document.createElement('span');
        flag.className = `tile-flag ${className}`;
        setI18n(flag, key);
        return flag;
      }),
    );
    const hasVideo = Boolean(this._stream && this._stream.getVideoTracks().length > 0);
    const showVideo = hasVideo && !(m && m.video_muted);
    this.video.hidden = !showVideo;
    this.placeholder.hidden = showVideo;
    let placeholderKey = 'session.no_media_yet';
    if (this._stream) placeholderKey = 'session.camera_off';
    else if (this._self) placeholderKey = 'session.no_local_media';
    setI18n(this.placeholder, placeholderKey);
    this.classList.toggle('has-hand', Boolean(m && m.hand_raised));
    this.renderSpeaking();
  }
}

if (!customElements.get('accord-video-tile')) customElements.define('accord-video-tile', VideoTile);

// Who is speaking: four times a second, the audio levels of the peer
// connection's statistics (media.js: each inbound audio stream by its
// publisher, and the own microphone) decide whose tile gets the speaking cue.
// A level is the louder of the latest reading and the average since the last
// one (from the total audio energy), so that a short sound between two
// readings still counts. Someone heard above the threshold stays marked for a
// short hold, so that the cue does not flicker between words. A muted person
// is never marked.

const INTERVAL_MS = 250;
/** Linear audio level (0-1) from which one counts as speaking: about −34 dBov. */
const THRESHOLD = 0.02;
/** How long someone stays marked after the last reading above the threshold. */
const HOLD_MS = 900;

/**
 * The level of one statistics entry: the louder of its `audioLevel` and the
 * root mean square since `before` (the same entry's last reading, or null).
 */
export function levelSince(entry, before) {
  let average = 0;
  if (before) {
    const duration = entry.totalSamplesDuration - before.totalSamplesDuration;
    const energy = entry.totalAudioEnergy - before.totalAudioEnergy;
    if (duration > 0 && energy > 0) average = Math.sqrt(energy / duration);
  }
  return Math.max(entry.audioLevel || 0, average);
}

export class ActiveSpeaker {
  /**
   * `peer()`: the current PeerSession (or null); `selfId()`: one's own member id;
   * `audible(id)`: whether that member may be heard now (in one's room, not muted);
   * `mark(ids)`: shows the cue on the tiles of that Set of member ids.
   */
  constructor({ peer, selfId, audible, mark }) {
    this.peer = peer;
    this.selfId = selfId;
    this.audible = audible;
    this.mark = mark;
    this.timer = null;
    this.reading = false;
    this.before = new Map(); // statistics entry (and owner) → its last reading
    this.heardAt = new Map(); // member id → when last heard above the threshold
    this.marked = new Set();
    /** The last levels by member id, for diagnostics. */
    this.levels = {};
  }

  start() {
    if (this.timer === null) this.timer = window.setInterval(() => this.poll(), INTERVAL_MS);
  }

  stop() {
    if (this.timer !== null) window.clearInterval(this.timer);
    this.timer = null;
    this.before.clear();
    this.heardAt.clear();
    this.levels = {};
    this.marked = new Set();
    this.mark(this.marked);
  }

  /** Member ids marked as speaking now. */
  current() {
    return [...this.marked].filter((id) => this.audible(id));
  }

  async poll() {
    const peer = this.peer();
    if (!peer || this.reading) return;
    this.reading = true;
    let entries = [];
    try {
      entries = await peer.audioLevels();
    } catch {
      // A connection closing under the reading: the next one will tell.
    } finally {
      this.reading = false;
    }
    if (this.timer === null || peer !== this.peer()) return;
    const now = performance.now();
    const levels = new Map();
    const seen = new Set();
    for (const entry of entries) {
      const member = entry.local ? this.selfId() : entry.member;
      if (!member) continue;
      const key = `${entry.id} ${member}`;
      seen.add(key);
      const level = levelSince(entry, this.before.get(key));
      this.before.set(key, entry);
      levels.set(member, Math.max(levels.get(member) || 0, level));
    }
    for (const key of this.before.keys()) if (!seen.has(key)) this.before.delete(key);
    for (const [member, level] of levels) {
      if (level >= THRESHOLD && this.audible(member)) this.heardAt.set(member, now);
    }
    const speaking = new Set();
    for (const [member, at] of this.heardAt) {
      if (now - at <= HOLD_MS && this.audible(member)) speaking.add(member);
      else this.heardAt.delete(member);
    }
    this.levels = Object.fromEntries(levels);
    this.marked = speaking;
    this.mark(speaking); // every time: a tile made since the last reading is marked too
  }
}

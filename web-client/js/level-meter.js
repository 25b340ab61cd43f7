// A live microphone level: a Web Audio AnalyserNode on a stream's audio,
// read about twelve times a second into a <meter> (0-100, on a decibel
// scale, falling back slowly so that speech reads as a bar, not a flicker).
// It fires `heard` once, the first time the level is clearly above silence.

const INTERVAL_MS = 80;
const FLOOR_DB = -60; // quieter than this shows as 0
const HEARD_LEVEL = 25;
const FALL = 0.8; // each reading keeps this share of the last shown level

/** 0-100 for the root mean square of samples in [-1, 1]. */
export function levelOf(samples) {
  let sum = 0;
  for (let i = 0; i < samples.length; i += 1) sum += samples[i] * samples[i];
  const rms = Math.sqrt(sum / Math.max(1, samples.length));
  const db = 20 * Math.log10(Math.max(rms, 1e-9));
  return Math.max(0, Math.min(100, ((db - FLOOR_DB) / -FLOOR_DB) * 100));
}

export class LevelMeter extends EventTarget {
  /** `meter`: a <meter min="0" max="100">. */
  constructor(meter) {
    super();
    this.meter = meter;
    this.context = null;
    this.source = null;
    this.analyser = null;
    this.samples = null;
    this.timer = null;
    this.shown = 0;
    this.heard = false;
  }

  /** Measures the first audio track of `stream` (nothing if it has none). */
  start(stream) {
    this.stop();
    this.heard = false;
    if (!stream || stream.getAudioTracks().length === 0) return;
    const AudioContextClass = window.AudioContext || window.webkitAudioContext;
    if (!AudioContextClass) return;
    this.context = new AudioContextClass();
    this.source = this.context.createMediaStreamSource(stream);
    this.analyser = this.context.createAnalyser();
    this.analyser.fftSize = 1024;
    this.source.connect(this.analyser); // not to the speakers: no echo
    this.samples = new Float32Array(this.analyser.fftSize);
    // Started after a click (the check's button), the context may run; ask, in case it waits.
    this.context.resume().catch(() => {});
    this.timer = window.setInterval(() => this.read(), INTERVAL_MS);
  }

  read() {
    if (!this.analyser) return;
    this.analyser.getFloatTimeDomainData(this.samples);
    const level = levelOf(this.samples);
    this.shown = Math.max(level, this.shown * FALL);
    this.meter.value = Math.round(this.shown);
    if (!this.heard && level >= HEARD_LEVEL) {
      this.heard = true;
      this.dispatchEvent(new CustomEvent('heard'));
    }
  }

  stop() {
    if (this.timer !== null) window.clearInterval(this.timer);
    this.timer = null;
    if (this.source) this.source.disconnect();
    if (this.context) this.context.close().catch(() => {});
    this.context = null;
    this.source = null;
    this.analyser = null;
    this.shown = 0;
    this.meter.value = 0;
  }
}

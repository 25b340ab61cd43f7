// The camera and microphone check (`/device-check`), the last step before
// the waiting room. After a click (which also lets the browser start audio)
// it asks for the camera and microphone, shows the picture and a live
// microphone level, and offers a choice of devices when there is more than
// one. When something fails it explains, kindly and concretely, what to do:
// the permission was refused, there is no device, or it is busy. The party
// may try again, go on with sound only, or go on without either. The chosen
// devices are kept for this tab (device-choice.js) for the session page.

import { clearI18n, initI18n, setI18n } from './i18n.js';
import { clearMessage, showMessage } from './forms.js';
import { CLOSED_STATUSES, LIVE_STATUSES, loadParticipant } from './party-me.js';
import { canUseMedia, mediaConstraints, mediaErrorKind } from './media.js';
import { loadDeviceChoice, saveDeviceChoice } from './device-choice.js';
import { LevelMeter } from './level-meter.js';

initI18n();

const $ = (id) => document.getElementById(id);
const ui = {
  status: $('check-status'),
  reloadWrap: $('check-reload-wrap'),
  view: $('check-view'),
  start: $('check-start'),
  startWrap: $('check-start-wrap'),
  permissionHint: $('check-permission-hint'),
  live: $('check-live'),
  help: $('check-help'),
  helpHeading: $('check-help-heading'),
  audioOnly: $('check-audio-only'),
  devices: $('check-devices'),
  video: $('check-video'),
  noVideo: $('check-no-video'),
  videoHint: $('check-video-hint'),
  cameraField: $('check-camera-field'),
  camera: $('check-camera'),
  micField: $('check-mic-field'),
  mic: $('check-mic'),
  next: $('check-next'),
  notLive: $('check-not-live'),
  continue: $('check-continue'),
};

const HELP_HEADING = {
  denied: 'check.denied_heading',
  notfound: 'check.notfound_heading',
  busy: 'check.busy_heading',
  unsupported: 'check.unsupported_heading',
  other: 'check.other_heading',
};

const meter = new LevelMeter($('check-level'));
const heard = $('check-heard');
let me = null;
let stream = null;
let choice = loadDeviceChoice();
let running = false;

// For tests and diagnostics only.
window.accordDebug = {
  get stream() {
    return stream;
  },
  get choice() {
    return choice;
  },
};

function stopStream() {
  meter.stop();
  clearI18n(heard);
  if (stream) for (const track of stream.getTracks()) track.stop();
  stream = null;
  ui.video.srcObject = null;
}

function getMedia(video) {
  return navigator.mediaDevices.getUserMedia(mediaConstraints({ ...choice, video }));
}

/** Asks for the devices (camera too unless `video` is false) and shows what came of it. */
async function check({ video = true } = {}) {
  if (running) return;
  running = true;
  stopStream();
  ui.help.hidden = true;
  ui.startWrap.hidden = true;
  showMessage(ui.live, 'check.starting', 'info');
  try {
    if (!canUseMedia()) {
      showProblem('unsupported');
      return;
    }
    let cameraProblem = null;
    try {
      stream = await getMedia(video);
    } catch (err) {
      const kind = mediaErrorKind(err);
      // A refusal covers both devices; otherwise the microphone alone may still work.
      if (!video || kind === 'denied') {
        showProblem(kind);
        return;
      }
      try {
        stream = await getMedia(false);
        cameraProblem = kind;
      } catch (second) {
        showProblem(mediaErrorKind(second) === 'denied' ? 'denied' : kind);
        return;
      }
    }
    await showWorking(cameraProblem);
  } finally {
    running = false;
  }
}

/** Nothing could be used: the help for `kind`, with the ways on. */
function showProblem(kind) {
  stopStream();
  ui.devices.hidden = true;
  clearMessage(ui.live);
  showHelp(kind, false);
  // Without a camera or microphone one can still go in, see, hear and write.
  showNext();
  setI18n(ui.continue, 'check.continue_without');
}

function showHelp(kind, cameraOnly) {
  const known = Object.prototype.hasOwnProperty.call(HELP_HEADING, kind) ? kind : 'other';
  setI18n(ui.helpHeading, cameraOnly ? 'check.camera_problem_heading' : HELP_HEADING[known]);
  for (const part of ui.help.querySelectorAll('[data-help]')) part.hidden = part.dataset.help !== known;
  // "Sound only" helps when the camera is the problem and the microphone was not tried alone yet.
  ui.audioOnly.hidden = cameraOnly || known === 'denied' || known === 'unsupported';
  ui.help.querySelector('.help-skip').hidden = cameraOnly;
  ui.help.hidden = false;
  ui.helpHeading.focus();
}

async function showWorking(cameraProblem) {
  const hasVideo = stream.getVideoTracks().length > 0;
  ui.permissionHint.hidden = true; // the browser has answered
  ui.video.hidden = !hasVideo;
  ui.noVideo.hidden = hasVideo;
  ui.videoHint.hidden = !hasVideo;
  ui.video.srcObject = hasVideo ? stream : null;
  if (hasVideo) ui.video.play().catch(() => {});
  ui.devices.hidden = false;
  meter.start(stream);
  await fillPickers();
  showNext();
  setI18n(ui.continue, 'check.continue');
  if (cameraProblem) {
    showMessage(ui.live, 'check.works_audio_only', 'info');
    showHelp(cameraProblem, true);
  } else {
    ui.help.hidden = true;
    showMessage(ui.live, hasVideo ? 'check.works' : 'check.works_audio', 'success');
    // The start button has gone: keyboard focus goes on to what the check shows.
    if (!ui.devices.contains(document.activeElement)) $('check-devices-heading').focus();
  }
}

/** The device pickers, each shown when there is more than one device of its kind. */
async function fillPickers() {
  let devices = [];
  try {
    devices = await navigator.mediaDevices.enumerateDevices();
  } catch {
    devices = [];
  }
  const inUse = (kind) => {
    const track = stream && stream.getTracks().find((t) => t.kind === kind);
    return track && track.getSettings ? track.getSettings().deviceId || null : null;
  };
  fill(ui.camera, ui.cameraField, devices.filter((d) => d.kind === 'videoinput'), inUse('video'), 'check.camera_n');
  fill(ui.mic, ui.micField, devices.filter((d) => d.kind === 'audioinput'), inUse('audio'), 'check.mic_n');
}

function fill(select, field, devices, current, fallbackKey) {
  // "default" and "communications" are aliases of real devices in Chrome: list each device once.
  const real = devices.filter((d) => d.deviceId && d.deviceId !== 'default' && d.deviceId !== 'communications');
  const options = real.map((device, index) => {
    const option = document.createElement('option');
    option.value = device.deviceId;
    if (device.label) option.textContent = device.label;
    else setI18n(option, fallbackKey, { n: index + 1 });
    option.selected = device.deviceId === current;
    return option;
  });
  select.replaceChildren(...options);
  field.hidden = options.length < 2;
}

function showNext() {
  ui.next.hidden = false;
  const status = me.case.status;
  let key = null;
  if (CLOSED_STATUSES.has(status)) key = 'check.case_closed';
  else if (!LIVE_STATUSES.has(status)) key = 'check.case_not_started';
  if (key) setI18n(ui.notLive, key);
  ui.notLive.hidden = !key;
  ui.continue.hidden = Boolean(key);
}

/** Keeps what works for the session page, lets the devices go, and goes to the waiting room. */
function goToSession() {
  const track = (kind) => (stream ? stream.getTracks().find((t) => t.kind === kind) : null);
  const deviceOf = (kind) => {
    const t = track(kind);
    return t && t.getSettings ? t.getSettings().deviceId || null : null;
  };
  if (stream) {
    choice = saveDeviceChoice({
      audioDeviceId: deviceOf('audio'),
      videoDeviceId: deviceOf('video'),
      video: Boolean(track('video')),
    });
  } else {
    choice = saveDeviceChoice({ ...choice, video: true });
  }
  stopStream();
  window.location.assign(`/session?case=${encodeURIComponent(me.case.id)}`);
}

async function load() {
  showMessage(ui.status, 'common.loading', 'info');
  me = await loadParticipant({ status: ui.status, retry: ui.reloadWrap });
  if (!me) return;
  clearMessage(ui.status);
  ui.view.hidden = false;
  if (!canUseMedia()) showProblem('unsupported');
}

// ---------- Wiring ----------

meter.addEventListener('heard', () => setI18n(heard, 'check.heard'));
ui.start.addEventListener('click', () => check({ video: true }));
$('check-retry').addEventListener('click', () => check({ video: true }));
ui.audioOnly.addEventListener('click', () => check({ video: false }));
ui.continue.addEventListener('click', goToSession);
$('check-reload').addEventListener('click', load);
ui.camera.addEventListener('change', () => {
  choice = { ...choice, videoDeviceId: ui.camera.value, video: true };
  check({ video: true });
});
ui.mic.addEventListener('change', () => {
  choice = { ...choice, audioDeviceId: ui.mic.value };
  check({ video: Boolean(stream && stream.getVideoTracks().length > 0) });
});
// Leaving the page (back, another link) lets the camera go at once; coming back to it from the
// browser's history starts afresh.
window.addEventListener('pagehide', stopStream);
window.addEventListener('pageshow', (event) => {
  if (!event.persisted) return;
  ui.devices.hidden = true;
  ui.help.hidden = true;
  ui.next.hidden = true;
  ui.startWrap.hidden = false;
  ui.permissionHint.hidden = false;
  clearMessage(ui.live);
});

load();

// The live session page (`/session?case=<id>`): who one is, which case,
// then the waiting room or the room one was admitted to, with video tiles,
// one's own controls, the chat and, for mediators, the waiting queue and the
// rooms. The page controller: it wires signalling (signalling.js), media
// (media.js, with the devices picked in the device check) and the views
// (session-stage.js with video-tile.js and active-speaker.js, session-mediator.js,
// session-chat.js, session-notices.js, confirm-dialog.js, session-leave.js,
// session-ended.js, session-record.js for the agenda, notes and termination) together and keeps no state of its own beyond the last
// `state` from the server and what the user chose for their own camera and
// microphone. A participant who lacks a required consent is sent back to the
// consents page; a party who leaves says whether they withdraw (PML 23).

import { initI18n, plural, setI18n } from './i18n.js';
import { api, setCsrfToken } from './api.js';
import { describeError } from './errors.js';
import { clearMessage, showMessage } from './forms.js';
import { Signalling } from './signalling.js';
import { LocalMedia, PeerSession } from './media.js';
import { SOUND_BLOCKED } from './video-tile.js';
import { Stage } from './session-stage.js';
import { ActiveSpeaker } from './active-speaker.js';
import { MediatorPanels, roomLabel } from './session-mediator.js';
import { Chat } from './session-chat.js';
import { confirmDialog } from './confirm-dialog.js';
import { leaveDialog } from './session-leave.js';
import { WithdrawalNotices } from './session-notices.js';
import { loadDeviceChoice } from './device-choice.js';
import { withdrawConsent } from './consents-api.js';
import { EndedView } from './session-ended.js';
import { AgreementPanel } from './session-agreement.js';
import { initSessionRecord } from './session-record.js';

initI18n();

const $ = (id) => document.getElementById(id);
const ui = {
  status: $('session-status'),
  retryWrap: $('session-retry-wrap'),
  linkWrap: $('session-link-wrap'),
  link: $('session-link'),
  view: $('session-view'),
  caseNumber: $('session-case-number'),
  roomName: $('session-room-name'),
  connection: $('session-connection'),
  privateBanner: $('session-private-banner'),
  queueNotice: $('session-queue-notice'),
  queueLink: $('session-queue-link'),
  mediaProblem: $('session-media-problem'),
  waiting: $('session-waiting'),
  waitingReason: $('session-waiting-reason'),
  waitingPreview: $('session-waiting-preview'),
  room: $('session-room'),
  tiles: $('session-tiles'),
  soundWrap: $('session-sound-wrap'),
  mic: $('session-mic'),
  camera: $('session-camera'),
  hand: $('session-hand'),
  actionStatus: $('session-action-status'),
  people: $('session-people'),
  peopleList: $('session-people-list'),
  mediaCheck: $('session-media-check'),
};

/** Request refusals (accord.v1 error codes) and the message each gets. */
const ACTION_ERRORS = {
  not_a_mediator: 'session.error_not_a_mediator',
  not_admitted: 'session.error_not_admitted',
  unknown_member: 'session.error_unknown_member',
  not_waiting: 'session.error_not_waiting',
  unknown_room: 'session.error_unknown_room',
  bad_room_name: 'session.room_name_invalid',
  bad_chat_text: 'session.chat_failed',
  mediator_protected: 'session.error_mediator_protected',
  attendance_not_consented: 'session.error_attendance_not_consented',
  too_many_rooms: 'session.error_too_many_rooms',
  rate_limited: 'session.error_rate_limited',
  disconnected: 'session.error_disconnected',
  not_a_party: 'session.error_not_a_party',
};

/** Why the server said goodbye. */
const GOODBYE_TEXT = {
  denied: 'session.bye_denied',
  removed: 'session.bye_removed',
  ended: 'session.bye_ended',
  left: 'session.bye_left',
  withdrew: 'session.bye_withdrew',
  replaced: 'session.bye_replaced',
  locked: 'session.bye_locked',
  revoked: 'session.bye_revoked_signed_out',
};

/** What a `revoked` goodbye says, by the right that was taken away (its `cause`). */
const REVOKED_TEXT = {
  participant_removed: 'session.bye_revoked_participant_removed',
  invitation_revoked: 'session.bye_revoked_invitation_revoked',
  mediator_unassigned: 'session.bye_revoked_mediator_unassigned',
  account_disabled: 'session.bye_revoked_account_disabled',
  signed_out: 'session.bye_revoked_signed_out',
  consent_withdrawn: 'session.bye_revoked_consent_withdrawn',
  case_closed: 'session.bye_revoked_case_closed',
};

/** Why an admitted member was sent back to the waiting room (`returned_to_waiting`). */
const RETURN_TEXT = {
  attendance_withdrawn: 'session.returned_attendance_withdrawn',
  party_added: 'session.returned_party_added',
};

/** The final screen's heading for each goodbye. */
const GOODBYE_HEADING = {
  denied: 'session.ended_heading_refused',
  removed: 'session.ended_heading_removed',
  ended: 'session.ended_heading_ended',
  left: 'session.ended_heading',
  withdrew: 'session.ended_heading_withdrew',
  replaced: 'session.ended_heading_replaced',
  locked: 'session.ended_heading_locked',
  revoked: 'session.ended_heading_revoked',
};

/** Why the server would not take this browser in at all. */
const REFUSAL_TEXT = {
  unauthenticated: 'session.refused_unauthenticated',
  forbidden: 'session.refused_forbidden',
  not_found: 'session.refused_not_found',
  case_not_in_mediation: 'session.refused_not_in_mediation',
  cross_origin: 'session.refused_forbidden',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const local = new LocalMedia();
let localReady = null; // Promise of the local stream (or null)
let me = null; // /api/auth/me
let signalling = null;
let peer = null;
let welcome = null;
let state = null;
let mediaSettled = false; // the camera and microphone were granted or refused
let pushedMute = false; // the own mute state was told to the server on this connection
const want = { audio: true, video: true };
let lastRoomId = null;
let finished = false;
let agreement = null; // the agreement panel, once the case is known
let record = null; // the agenda, the notes, the termination (session-record.js)
const timings = { start: performance.now(), welcome: null, admitted: null };

const dialog = confirmDialog($('session-dialog'));
const leaveChoice = leaveDialog($('session-leave-dialog'));
const withdrawals = new WithdrawalNotices($('session-withdrawals'));
const ended = new EndedView({
  section: $('session-ended'),
  heading: $('session-ended-heading'),
  text: $('session-ended-text'),
  reason: $('session-ended-reason'),
  nextSteps: $('session-next-steps'),
  termination: $('session-termination'),
  link: $('session-ended-link'),
});
const stage = new Stage({ tiles: ui.tiles, waitingPreview: ui.waitingPreview, peopleList: ui.peopleList });
const speakers = new ActiveSpeaker({
  peer: () => peer,
  selfId: () => (state ? state.you.id : null),
  audible,
  mark: (ids) => stage.markSpeaking(ids),
});
const chat = new Chat({
  log: $('session-chat-log'),
  form: $('session-chat-form'),
  input: $('session-chat-input'),
  status: ui.actionStatus,
  send: (text) => signalling.request({ type: 'chat', text }),
});
const mediator = new MediatorPanels({
  queueSection: $('session-queue'),
  queueList: $('session-queue-list'),
  queueEmpty: $('session-queue-empty'),
  roomsSection: $('session-rooms'),
  roomsList: $('session-rooms-list'),
  roomForm: $('session-room-form'),
  returnAll: $('session-return-all'),
  endButton: $('session-end'),
  lockButton: $('session-lock'),
  act,
  dialog,
});

// For tests and diagnostics only: nothing of this is shown.
window.accordDebug = {
  get state() {
    return state;
  },
  get welcome() {
    return welcome;
  },
  get pc() {
    return peer ? peer.pc : null;
  },
  get connection() {
    return signalling ? signalling.status : 'idle';
  },
  timings,
  inboundVideo: () => (peer ? peer.inboundVideo() : Promise.resolve([])),
  /** Drops the WebSocket as a network failure would; the page reconnects. */
  dropConnection: () => signalling && signalling.socket && signalling.socket.close(4000, 'dropped for a test'),
  remoteStreams: () => (peer ? [...peer.streams.keys()] : []),
  /** Member ids whose tiles show them speaking now. */
  speaking: () => speakers.current(),
  /** The last audio levels (0-1) by member id. */
  audioLevels: () => ({ ...speakers.levels }),
};

// ---------- Loading: who, which case ----------

function showLink(key, href) {
  setI18n(ui.link, key);
  ui.link.href = href;
  ui.linkWrap.hidden = false;
}

async function load() {
  ui.retryWrap.hidden = true;
  ui.linkWrap.hidden = true;
  showMessage(ui.status, 'common.loading', 'info');
  try {
    me = await api.get('/api/auth/me');
  } catch (err) {
    if (err.status === 401) {
      showMessage(ui.status, 'session.signed_out', 'error');
      showLink('session.go_login', '/login');
      return;
    }
    showMessage(ui.status, describeError(err), 'error');
    ui.retryWrap.hidden = false;
    return;
  }
  setCsrfToken(me.csrf_token);
  let caseId;
  let caseNumber;
  try {
    ({ caseId, caseNumber } = await whichCase());
  } catch (err) {
    if (err && (err.status === 404 || err.status === 403)) {
      showMessage(ui.status, err.status === 404 ? 'session.refused_not_found' : 'session.refused_forbidden', 'error');
      showLink('session.back_console', '/console');
    } else {
      showMessage(ui.status, describeError(err), 'error');
      ui.retryWrap.hidden = false;
    }
    return;
  }
  if (!caseId) {
    if (me.kind === 'staff') {
      showMessage(ui.status, 'session.no_case', 'error');
      showLink('session.back_console', '/console');
    } else {
      showMessage(ui.status, 'session.no_case_participant', 'error');
      showLink('session.back_invitation', '/join');
    }
    return;
  }
  clearMessage(ui.status);
  agreement = new AgreementPanel({
    root: $('session-agreement'),
    caseId,
    confirm: dialog,
    editorDialog: $('agreement-editor'),
    signDialog: $('agreement-sign-dialog'),
  });
  agreement.load().catch((err) => console.error('accord: agreement', err));
  record = initSessionRecord({ caseId, participant: isParticipant(), caseNumber });
  if (caseNumber) setI18n(ui.caseNumber, 'session.case_heading', { number: caseNumber });
  else setI18n(ui.caseNumber, 'session.title_short');
  setI18n(ui.roomName, 'session.connecting');
  ui.view.hidden = false;
  localReady = local.start(loadDeviceChoice()).then((stream) => {
    mediaSettled = true;
    showMediaProblem();
    want.audio = local.has('audio');
    want.video = local.has('video');
    if (state) {
      syncOwnMute();
      renderStage();
    }
    renderControls();
    return stream;
  });
  connect(caseId);
}

/** The case of this page: the staff member's `?case=`, or the participant's own. */
async function whichCase() {
  const param = new URLSearchParams(window.location.search).get('case');
  if (me.kind === 'participant') {
    let theCase = me.case || {};
    if (!theCase.id) theCase = await api.get('/api/me/case');
    return { caseId: theCase.id || null, caseNumber: theCase.number || '' };
  }
  if (!param || !UUID.test(param)) return { caseId: null };
  const theCase = await api.get(`/api/cases/${encodeURIComponent(param)}`);
  return { caseId: theCase.id || param, caseNumber: theCase.number || '' };
}

function showMediaProblem() {
  const keys = { denied: 'session.media_denied', unavailable: 'session.media_unavailable', unsupported: 'session.media_unsupported' };
  if (local.problem && keys[local.problem]) {
    setI18n(ui.mediaProblem, keys[local.problem]);
    ui.mediaProblem.hidden = false;
  } else {
    ui.mediaProblem.hidden = true;
  }
  // The device check explains each problem step by step; it is the party's page.
  ui.mediaCheck.hidden = ui.mediaProblem.hidden || !isParticipant();
}

function isParticipant() {
  return Boolean(me && me.kind === 'participant');
}

/** Parties and agents take part in the mediation, and so may withdraw from it (PML 23). */
function mayWithdraw() {
  return isParticipant() && me.participant && ['party', 'agent'].includes(me.participant.role);
}

// ---------- Signalling ----------

function connect(caseId) {
  signalling = new Signalling(caseId);
  signalling.addEventListener('connection', (e) => renderConnection(e.detail));
  signalling.addEventListener('welcome', (e) => {
    welcome = e.detail;
    timings.welcome = timings.welcome || performance.now();
    pushedMute = false;
    closePeer(); // a new connection gets a new peer connection
    record.reconnected();
  });
  signalling.addEventListener('state', (e) => onState(e.detail));
  signalling.addEventListener('offer', (e) => {
    if (!peer) return;
    const session = peer;
    session.handleOffer(e.detail.sdp).catch((error) => {
      // An offer this connection cannot take leaves it deaf to every later change: start a
      // fresh one (the server replaces the old) rather than stay half-connected.
      console.error('accord: renegotiation failed', error);
      if (peer !== session) return;
      closePeer();
      syncPeer();
    });
  });
  signalling.addEventListener('candidate', (e) => {
    if (peer) peer.handleCandidate(e.detail.candidate);
  });
  signalling.addEventListener('chat', (e) => chat.add(e.detail, welcome && welcome.you));
  signalling.addEventListener('muted', (e) => {
    const kind = e.detail.kind === 'video' ? 'video' : 'audio';
    want[kind] = false;
    local.setEnabled(kind, false);
    renderControls();
    showMessage(ui.actionStatus, kind === 'audio' ? 'session.muted_mic_by_mediator' : 'session.muted_camera_by_mediator', 'info');
  });
  signalling.addEventListener('withdrawn', (e) => withdrawals.add(e.detail));
  signalling.addEventListener('attendance_withdrawn', (e) => withdrawals.addAttendance(e.detail));
  signalling.addEventListener('evicted', (e) => withdrawals.addEviction(e.detail));
  signalling.addEventListener('returned_to_waiting', (e) => {
    // The state that puts this page in the waiting room comes with it; this says why.
    showMessage(ui.waitingReason, RETURN_TEXT[e.detail.reason] || 'session.waiting_text', 'info');
  });
  signalling.addEventListener('record_changed', (e) => {
    record.changed(e.detail.part);
    if (e.detail.part === 'agreement' && agreement) agreement.load();
  });
  signalling.addEventListener('closed', (e) => onClosed(e.detail));
  signalling.addEventListener('refused', (e) => {
    if (e.detail.code === 'consents_missing' && isParticipant()) {
      // Not a dead end: the consents page shows what is missing, and leads back here.
      local.stop();
      window.location.replace('/consents?from=session');
      return;
    }
    finish('session.refused_heading', { key: REFUSAL_TEXT[e.detail.code] || 'session.refused_generic' });
  });
  signalling.start();
}

function renderConnection({ status }) {
  const keys = { connecting: 'session.status_connecting', reconnecting: 'session.status_reconnecting', open: 'session.status_connected' };
  ui.connection.className = `connection-badge is-${status}`;
  if (keys[status]) setI18n(ui.connection, keys[status]);
  if (status === 'reconnecting') {
    closePeer();
    ui.view.classList.add('is-reconnecting');
  } else {
    ui.view.classList.remove('is-reconnecting');
  }
  chat.setEnabled(status === 'open' && state && state.status === 'admitted');
}

/** Sends one request; shows what went wrong. Resolves to true if it was accepted. */
async function act(message) {
  clearMessage(ui.actionStatus);
  try {
    await signalling.request(message);
    return true;
  } catch (err) {
    showMessage(ui.actionStatus, ACTION_ERRORS[err.code] || 'session.action_failed', 'error');
    return false;
  }
}

// ---------- State ----------

function onState(next) {
  state = next;
  if (state.status === 'admitted' && !timings.admitted) timings.admitted = performance.now();
  const isMediator = state.you.role === 'mediator';

  ui.waiting.hidden = state.status !== 'waiting';
  if (state.status === 'admitted') clearMessage(ui.waitingReason);
  ui.room.hidden = state.status !== 'admitted';
  const roomName = state.status === 'admitted' ? roomLabel(state.room) : { key: 'session.waiting_heading' };
  setI18n(ui.roomName, roomName.key, roomName.params);
  const isPrivate = Boolean(state.room && state.room.private);
  ui.privateBanner.hidden = !isPrivate;
  ui.view.classList.toggle('is-private', isPrivate);

  // Chat belongs to a room: a move is noted in the log.
  const roomId = state.room ? state.room.id : null;
  if (roomId !== lastRoomId && roomId !== null && lastRoomId !== null) {
    chat.note('session.chat_moved', { room: roomLabel(state.room) });
  }
  lastRoomId = roomId;
  chat.setEnabled(state.status === 'admitted' && signalling.isOpen);

  mediator.show(isMediator && state.status === 'admitted');
  if (isMediator && state.status === 'admitted') mediator.render(state);
  renderQueueNotice(isMediator ? state.waiting : []);
  ui.people.hidden = isMediator || state.status !== 'admitted';
  record.show(state);

  syncOwnMute();
  renderStage();
  renderControls();
  syncPeer();
}

/**
 * Once per connection, brings the server and this page to the same mute
 * state: a mute the server remembers (a mediator's, or one's own before a
 * reload) is kept; otherwise the server learns the page's. After that the
 * page is the source of its own state, and a mediator's mute arrives as a
 * `muted` message (not read from `state`, which may predate one's own unmute).
 */
function syncOwnMute() {
  if (!mediaSettled || !signalling.isOpen || pushedMute) return;
  pushedMute = true;
  const you = state.you;
  for (const kind of ['audio', 'video']) {
    const serverMuted = kind === 'audio' ? you.audio_muted : you.video_muted;
    if (serverMuted && want[kind]) {
      want[kind] = false;
    } else if (!serverMuted && !want[kind]) {
      signalling.request({ type: 'mute_self', kind, muted: true }).catch(() => {});
    }
  }
  local.setEnabled('audio', want.audio);
  local.setEnabled('video', want.video);
}

async function syncPeer() {
  if (!state || state.status !== 'admitted') {
    closePeer();
    return;
  }
  if (peer || !welcome || !signalling.isOpen) return;
  const stream = await localReady;
  if (peer || !state || state.status !== 'admitted' || !signalling.isOpen || finished) return;
  const session = new PeerSession({ signalling, localStream: stream, iceServers: welcome.ice_servers });
  peer = session;
  speakers.start();
  session.addEventListener('streams', () => {
    if (peer === session) renderStage();
  });
  session.start().catch(() => {
    if (peer !== session) return;
    // The offer failed (the connection dropped, or the server refused it): a fresh try on the next state.
    closePeer();
    if (signalling.isOpen) showMessage(ui.actionStatus, 'session.media_failed', 'error');
  });
}

function closePeer() {
  if (!peer) return;
  const old = peer;
  peer = null;
  speakers.stop();
  old.close();
  renderStage();
}

/** Whether a member may be heard here now: in one's room and not muted (oneself: the own switch). */
function audible(id) {
  if (!state || state.status !== 'admitted' || finished) return false;
  if (id === state.you.id) return want.audio && local.isEnabled('audio');
  const member = state.members.find((m) => m.id === id);
  return Boolean(member && !member.audio_muted && (member.room === undefined || member.room === state.you.room));
}

// ---------- Views ----------

/** The tiles, the waiting preview and the people, from the state and the streams. */
function renderStage() {
  stage.render({
    state: finished ? null : state,
    localStream: local.stream,
    remote: peer ? peer.streams : null,
    want,
  });
}

/** Above everything, for a mediator: who is knocking (the queue itself may be far down on a phone). */
function renderQueueNotice(waiting) {
  ui.queueNotice.hidden = waiting.length === 0;
  if (waiting.length === 1) {
    setI18n(ui.queueLink, 'session.queue_notice_one', { name: waiting[0].name });
  } else if (waiting.length > 1) {
    const count = plural('session.queue_notice', waiting.length);
    setI18n(ui.queueLink, count.key, count.params);
  }
}

function renderControls() {
  const hasMic = local.has('audio');
  const hasCam = local.has('video');
  ui.mic.disabled = !hasMic;
  ui.camera.disabled = !hasCam;
  ui.mic.setAttribute('aria-pressed', String(!want.audio));
  ui.camera.setAttribute('aria-pressed', String(!want.video));
  setI18n(ui.mic, want.audio ? 'session.mic_mute' : 'session.mic_unmute');
  setI18n(ui.camera, want.video ? 'session.camera_off_action' : 'session.camera_on_action');
  const raised = Boolean(state && state.you.hand_raised);
  ui.hand.setAttribute('aria-pressed', String(raised));
  setI18n(ui.hand, raised ? 'session.lower_hand' : 'session.raise_hand');
}

function toggle(kind) {
  if (!local.has(kind)) return;
  want[kind] = !want[kind];
  local.setEnabled(kind, want[kind]);
  renderControls();
  renderStage();
  if (signalling && signalling.isOpen) {
    signalling.request({ type: 'mute_self', kind, muted: !want[kind] }).catch(() => {
      showMessage(ui.actionStatus, 'session.action_failed', 'error');
    });
  }
}

// ---------- Leaving and the end ----------

/**
 * Leaves the session. A party or agent is asked first whether they only leave for now or
 * withdraw from the mediation; staff and other participants just leave.
 */
async function leave() {
  if (finished) return;
  let withdraw = false;
  if (mayWithdraw()) {
    const choice = await leaveChoice.ask();
    if (!choice || finished) return;
    withdraw = choice === 'withdraw';
  }
  if (signalling && signalling.isOpen) {
    try {
      await signalling.request({ type: 'leave', withdraw });
      return; // the goodbye follows and ends the page
    } catch {
      // fall through: leave locally
    }
  }
  if (withdraw) {
    // No connection: the withdrawal must still be recorded, so it goes the other way.
    try {
      await withdrawConsent('voluntary_participation');
    } catch (err) {
      if (err.status !== 404) {
        showMessage(ui.actionStatus, 'session.withdraw_failed', 'error');
        return;
      }
    }
    finish(GOODBYE_HEADING.withdrew, { key: GOODBYE_TEXT.withdrew }, '', 'withdrew');
    return;
  }
  finish(GOODBYE_HEADING.left, { key: GOODBYE_TEXT.left }, '', 'left');
}

function onClosed({ code, goodbye }) {
  if (goodbye) {
    const message = typeof goodbye.message === 'string' ? goodbye.message.trim() : '';
    const showReason = (goodbye.reason === 'denied' || goodbye.reason === 'removed') && message !== '';
    const known = Object.prototype.hasOwnProperty.call(GOODBYE_TEXT, goodbye.reason) ? goodbye.reason : 'ended';
    const text = known === 'revoked' && Object.prototype.hasOwnProperty.call(REVOKED_TEXT, goodbye.cause)
      ? REVOKED_TEXT[goodbye.cause]
      : GOODBYE_TEXT[known];
    finish(GOODBYE_HEADING[known], { key: text }, showReason ? message : '', known);
    return;
  }
  const byCode = { 4401: 'revoked', 4403: 'removed', 4409: 'replaced', 4410: 'ended' };
  const reason = byCode[code] || 'left';
  finish(GOODBYE_HEADING[reason], { key: GOODBYE_TEXT[reason] }, '', reason);
}

/**
 * The final screen: why the session is over for this page (`heading` key, `message`, the
 * mediator's `reason`); media off. For a participant, `why` (a goodbye reason) picks what
 * happens next (next-steps.js).
 */
function finish(heading, message, reason = '', why = null) {
  if (finished) return;
  finished = true;
  dialog.close();
  leaveChoice.close();
  if (signalling) signalling.close();
  closePeer();
  local.stop();
  stage.clear();
  stage.renderPreview(null, null);
  ui.view.hidden = true;
  clearMessage(ui.status);
  ended.show({ heading, message, reason, why, me });
}

// ---------- Wiring ----------

ui.mic.addEventListener('click', () => toggle('audio'));
ui.camera.addEventListener('click', () => toggle('video'));
ui.hand.addEventListener('click', () => act({ type: 'raise_hand', raised: !(state && state.you.hand_raised) }));
$('session-leave').addEventListener('click', leave);
$('session-waiting-leave').addEventListener('click', leave);
$('session-retry').addEventListener('click', load);
ui.tiles.addEventListener(SOUND_BLOCKED, () => {
  ui.soundWrap.hidden = false;
});
$('session-sound').addEventListener('click', () => {
  ui.soundWrap.hidden = true;
  stage.playSound();
});
// Closing or reloading the page sends no `leave`: a reload within the grace period resumes
// one's place instead of knocking again.

load();

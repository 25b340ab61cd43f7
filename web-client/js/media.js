// The browser's side of a live session's media: the camera and microphone
// (LocalMedia, with the constraints and error kinds that the party's device
// check shares, so that both ask for the same devices), and one
// RTCPeerConnection to the server's SFU per admitted connection
// (PeerSession). The client offers first, publishing its camera
// and microphone; the server then offers again whenever it adds someone's
// media for us. Each forwarded MediaStream's id is its publisher's member
// id, which is how the page knows whose video it is.
//
// It knows the signalling only through `request()` and the events it is
// handed; it knows nothing of rooms or of the page.

/**
 * getUserMedia constraints for a choice of devices (see device-choice.js):
 * `audioDeviceId` and `videoDeviceId` are preferred (`ideal`: a device that
 * has gone is replaced by another, not an error); `video: false` asks for
 * the microphone alone.
 */
export function mediaConstraints({ audioDeviceId = null, videoDeviceId = null, video = true } = {}) {
  const audio = audioDeviceId ? { deviceId: { ideal: audioDeviceId } } : true;
  if (!video) return { audio, video: false };
  const camera = { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 20, max: 30 } };
  if (videoDeviceId) camera.deviceId = { ideal: videoDeviceId };
  return { audio, video: camera };
}

/**
 * Why getUserMedia failed, in the words the pages explain: `denied` (the
 * user or the browser said no), `notfound` (no such device), `busy` (another
 * program holds it), `unsupported` (no getUserMedia, e.g. an old in-app
 * browser or a page not served over HTTPS) or `other`.
 */
export function mediaErrorKind(err) {
  const name = err && err.name;
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') return 'notfound';
  if (name === 'NotReadableError' || name === 'AbortError' || name === 'TrackStartError') return 'busy';
  if (name === 'TypeError' && !canUseMedia()) return 'unsupported';
  return 'other';
}

/** Whether this browser can ask for a camera and microphone at all. */
export function canUseMedia() {
  return Boolean(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
}

/** Camera and microphone; the session goes on without them if they cannot be had. */
export class LocalMedia {
  constructor() {
    this.stream = null;
    /** Why there is no camera or microphone: null, `denied`, `unavailable` or `unsupported`. */
    this.problem = null;
    /** The finer reason of the last failure (see mediaErrorKind), or null. */
    this.errorKind = null;
  }

  /**
   * Asks for camera and microphone, then the microphone alone. `choice` (optional) names the
   * devices picked in the device check: `{ audioDeviceId, videoDeviceId, video }`, where
   * `video: false` means the party chose to take part with sound only. Resolves to the stream,
   * or null.
   */
  async start(choice = {}) {
    if (this.stream) return this.stream;
    if (!canUseMedia()) {
      this.problem = 'unsupported';
      this.errorKind = 'unsupported';
      return null;
    }
    const attempts = [mediaConstraints(choice)];
    if (choice.video !== false) attempts.push(mediaConstraints({ ...choice, video: false }));
    for (const constraints of attempts) {
      try {
        this.stream = await navigator.mediaDevices.getUserMedia(constraints);
        this.problem = null;
        this.errorKind = null;
        return this.stream;
      } catch (err) {
        this.errorKind = mediaErrorKind(err);
        this.problem = this.errorKind === 'denied' ? 'denied' : 'unavailable';
        if (this.problem === 'denied') break;
      }
    }
    return null;
  }

  track(kind) {
    return this.stream ? this.stream.getTracks().find((t) => t.kind === kind) || null : null;
  }

  has(kind) {
    return this.track(kind) !== null;
  }

  /** Turns the microphone (`audio`) or camera (`video`) on or off without renegotiating. */
  setEnabled(kind, enabled) {
    const track = this.track(kind);
    if (track) track.enabled = enabled;
  }

  isEnabled(kind) {
    const track = this.track(kind);
    return Boolean(track && track.enabled);
  }

  stop() {
    if (this.stream) for (const track of this.stream.getTracks()) track.stop();
    this.stream = null;
  }
}

/** Only the fields accord.v1 knows (an RTCIceCandidate's toJSON() has more). */
function candidateInit(candidate) {
  return { candidate: candidate.candidate, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex };
}

/**
 * One peer connection to the server. Events: `streams` (the map of remote
 * streams changed), `connectionstatechange` (`detail` is the state).
 */
export class PeerSession extends EventTarget {
  /**
   * `signalling` needs `request(message) → Promise`; `localStream` may be
   * null (receive only); `iceServers` come from the welcome.
   */
  constructor({ signalling, localStream, iceServers }) {
    super();
    this.signalling = signalling;
    this.localStream = localStream;
    this.closed = false;
    /** Remote streams by publisher (member id). */
    this.streams = new Map();
    /** Track id → member id, kept after a track ends, so that stats can be attributed. */
    this.trackOwners = new Map();
    /** Remote candidates that came before the remote description they belong to. */
    this.pendingCandidates = [];
    /** Negotiation steps run one after another, never interleaved. */
    this.queue = Promise.resolve();
    this.timings = { created: performance.now(), answered: null, firstTrack: null };

    this.pc = new RTCPeerConnection({ iceServers: (iceServers || []).map(toRtcIceServer), bundlePolicy: 'max-bundle' });
    this.pc.addEventListener('icecandidate', (event) => {
      const { candidate } = event;
      if (!candidate || !candidate.candidate || this.closed) return;
      this.signalling.request({ type: 'candidate', candidate: candidateInit(candidate) }).catch(() => {
        // A candidate the server refuses, or one sent as the connection dropped: ICE copes.
      });
    });
    this.pc.addEventListener('track', (event) => this.onTrack(event));
    this.pc.addEventListener('connectionstatechange', () => {
      this.dispatchEvent(new CustomEvent('connectionstatechange', { detail: this.pc.connectionState }));
    });
  }

  /** Publishes the local camera and microphone (send and receive) and sends the offer. */
  start() {
    return this.enqueue(async () => {
      for (const kind of ['audio', 'video']) {
        const track = this.localStream ? this.localStream.getTracks().find((t) => t.kind === kind) : null;
        if (track) this.pc.addTransceiver(track, { direction: 'sendrecv', streams: [this.localStream] });
        else this.pc.addTransceiver(kind, { direction: 'recvonly' });
      }
      const offer = await this.pc.createOffer();
      await this.pc.setLocalDescription(offer);
      const reply = await this.signalling.request({ type: 'offer', sdp: this.pc.localDescription.sdp });
      if (this.closed) return;
      await this.pc.setRemoteDescription({ type: 'answer', sdp: reply.sdp });
      this.timings.answered = performance.now();
      await this.flushCandidates();
    });
  }

  /** A server offer (it adds or changes forwarded media): answer it. */
  handleOffer(sdp) {
    return this.enqueue(async () => {
      await this.pc.setRemoteDescription({ type: 'offer', sdp });
      await this.flushCandidates();
      const answer = await this.pc.createAnswer();
      await this.pc.setLocalDescription(answer);
      await this.signalling.request({ type: 'answer', sdp: this.pc.localDescription.sdp });
    });
  }

  /** A server candidate: added at once, or kept until the remote description is there. */
  handleCandidate(candidate) {
    if (this.closed || !candidate) return;
    if (!this.pc.remoteDescription) {
      this.pendingCandidates.push(candidate);
      return;
    }
    this.pc.addIceCandidate(candidate).catch(() => {
      // One bad candidate does not spoil the others.
    });
  }

  async flushCandidates() {
    const waiting = this.pendingCandidates;
    this.pendingCandidates = [];
    for (const candidate of waiting) {
      try {
        await this.pc.addIceCandidate(candidate);
      } catch {
        // as above
      }
    }
  }

  enqueue(step) {
    const run = this.queue.then(() => (this.closed ? undefined : step()));
    this.queue = run.catch(() => {});
    return run;
  }

  onTrack(event) {
    const stream = event.streams && event.streams[0];
    if (!stream) return;
    const owner = stream.id;
    const { track } = event;
    if (this.timings.firstTrack === null) this.timings.firstTrack = performance.now();
    // A transceiver the server reuses for another publisher: the track changes hands.
    for (const [member, other] of this.streams) {
      if (member !== owner && other.getTracks().includes(track)) other.removeTrack(track);
    }
    this.trackOwners.set(track.id, owner);
    if (!this.streams.has(owner)) {
      this.streams.set(owner, stream);
      stream.addEventListener('removetrack', () => {
        if (stream.getTracks().length === 0 && this.streams.get(owner) === stream) {
          this.streams.delete(owner);
          this.changed();
        }
      });
    } else if (this.streams.get(owner) !== stream) {
      this.streams.set(owner, stream);
    }
    this.changed();
  }

  changed() {
    this.dispatchEvent(new CustomEvent('streams'));
  }

  /**
   * Inbound video statistics by publisher: `[{ member, trackId, framesDecoded,
   * bytesReceived, frameWidth }]`. For tests and diagnostics.
   */
  async inboundVideo() {
    const report = await this.pc.getStats();
    const out = [];
    const transceiverTrack = this.receiverTracks();
    report.forEach((stat) => {
      if (stat.type !== 'inbound-rtp' || stat.kind !== 'video') return;
      const trackId = stat.trackIdentifier || transceiverTrack.get(stat.mid) || null;
      out.push({
        member: (trackId && this.trackOwners.get(trackId)) || null,
        trackId,
        mid: stat.mid ?? null,
        framesDecoded: stat.framesDecoded || 0,
        bytesReceived: stat.bytesReceived || 0,
        frameWidth: stat.frameWidth || 0,
      });
    });
    return out;
  }

  /**
   * Audio levels, for the speaking cue (active-speaker.js): `[{ id, member, local,
   * audioLevel, totalAudioEnergy, totalSamplesDuration }]`, one per inbound audio stream
   * (`member`: its publisher) and one for the own microphone (`local: true`, `member` null).
   * Levels are linear, 0 to 1, as in WebRTC's statistics.
   */
  async audioLevels() {
    const report = await this.pc.getStats();
    const out = [];
    const transceiverTrack = this.receiverTracks();
    report.forEach((stat) => {
      if (stat.kind !== 'audio' || (stat.type !== 'inbound-rtp' && stat.type !== 'media-source')) return;
      const local = stat.type === 'media-source';
      const trackId = local ? null : stat.trackIdentifier || transceiverTrack.get(stat.mid) || null;
      out.push({
        id: stat.id,
        member: (trackId && this.trackOwners.get(trackId)) || null,
        local,
        audioLevel: stat.audioLevel || 0,
        totalAudioEnergy: stat.totalAudioEnergy || 0,
        totalSamplesDuration: stat.totalSamplesDuration || 0,
      });
    });
    return out;
  }

  /** Receiving track id by transceiver mid (for statistics that lack `trackIdentifier`). */
  receiverTracks() {
    return new Map(this.pc.getTransceivers().map((t) => [t.mid, t.receiver.track.id]));
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.pendingCandidates = [];
    this.pc.close();
    this.streams.clear();
    this.changed();
  }
}

function toRtcIceServer(server) {
  const out = { urls: server.urls };
  if (server.username) out.username = server.username;
  if (server.credential) out.credential = server.credential;
  return out;
}

// The WebSocket of a live session, speaking `accord.v1` (docs/signalling.md).
//
// It numbers requests and resolves each one's promise with the server's
// `ack` / `answer` (or rejects it with the `error`), turns every other server
// message into an event of its own type, and reconnects with backoff after
// an unexpected drop, so that a member keeps their place within the grace
// period. It never reconnects after a `goodbye`, nor when the server refused
// the connection for good (signed out, not this case's member, no session).
// It knows nothing of media or of the page.

export const SUBPROTOCOL = 'accord.v1';

/** Close codes after which coming back is pointless (docs/signalling.md). */
const FINAL_CLOSE_CODES = new Set([4401, 4403, 4409, 4410, 4423]);

/**
 * Refusals of the upgrade (probed over HTTP) that reconnecting cannot cure. A participant who
 * lacks a required consent (`consents_missing`) must give it first, on the consents page.
 */
const FINAL_REFUSALS = new Set([
  'unauthenticated',
  'forbidden',
  'not_found',
  'case_not_in_mediation',
  'cross_origin',
  'consents_missing',
]);

/** Server messages that become events of their own name. */
const EVENT_TYPES = new Set([
  'welcome', 'state', 'offer', 'candidate', 'chat', 'muted', 'withdrawn', 'attendance_withdrawn',
  'returned_to_waiting', 'record_changed', 'evicted', 'goodbye',
]);

/** A refusal from the server (an `error` reply), or the loss of the connection (`disconnected`). */
export class SignallingError extends Error {
  constructor(code, message = code) {
    super(message);
    this.name = 'SignallingError';
    this.code = code;
  }
}

/** Milliseconds to wait before reconnect attempt `attempt` (1, 2, …): 0.5 s doubling to 10 s, with jitter. */
export function backoffDelay(attempt, random = Math.random) {
  const base = Math.min(10_000, 500 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** `ws:`/`wss:` URL of a case's live session, on the page's own origin. */
export function liveUrl(caseId, location = window.location) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api/cases/${encodeURIComponent(caseId)}/live`;
}

/**
 * Events (all `CustomEvent`s, the message or a summary in `detail`):
 *   welcome, state, offer, candidate, chat, muted, withdrawn, attendance_withdrawn, returned_to_waiting,
 *     record_changed, goodbye: the server's messages;
 *   error: an `error` that answers no request of ours;
 *   connection: `{ status }`, one of `connecting`, `open`, `reconnecting` (with `attempt`, `delay`), `closed`;
 *   refused: `{ code, details }`, the server will not let this browser in (see FINAL_REFUSALS); no retry
 *     follows; `details` are the error's `[{ field, message }]` (e.g. each missing consent);
 *   closed: `{ code, reason }`, the connection is over for good (after a goodbye, a final close code, or close()).
 */
export class Signalling extends EventTarget {
  constructor(caseId, { url = liveUrl(caseId), probeUrl = `/api/cases/${encodeURIComponent(caseId)}/live` } = {}) {
    super();
    this.url = url;
    this.probeUrl = probeUrl;
    this.socket = null;
    this.nextId = 1;
    this.pending = new Map(); // id → { resolve, reject }
    this.attempt = 0;
    this.timer = null;
    this.finished = false;
    this.goodbye = null;
    this.status = 'idle';
    this.onOnline = () => {
      if (this.timer !== null) this.retryNow();
    };
  }

  /** Opens the connection (and keeps it open until a goodbye or close()). */
  start() {
    window.addEventListener('online', this.onOnline);
    this.open();
  }

  get isOpen() {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  /**
   * Sends a client message with the next request id. Resolves with the
   * server's `ack` or `answer`; rejects with a SignallingError for its
   * `error`, or `disconnected` if the connection drops first.
   */
  request(message) {
    if (!this.isOpen) return Promise.reject(new SignallingError('disconnected'));
    const id = this.nextId;
    this.nextId += 1;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        this.socket.send(JSON.stringify({ ...message, id }));
      } catch (err) {
        this.pending.delete(id);
        reject(new SignallingError('disconnected', String(err)));
      }
    });
  }

  /** Ends the connection for good, without a goodbye (e.g. the page is closing). */
  close() {
    if (this.finished) return;
    this.finish(1000, 'closed by the page');
    if (this.socket) {
      const socket = this.socket;
      this.detach(socket);
      socket.close(1000);
    }
  }

  // ---- internals ----

  setStatus(status, extra = {}) {
    this.status = status;
    this.dispatchEvent(new CustomEvent('connection', { detail: { status, ...extra } }));
  }

  open() {
    if (this.finished) return;
    this.timer = null;
    this.setStatus(this.attempt === 0 ? 'connecting' : 'reconnecting', { attempt: this.attempt });
    let socket;
    try {
      socket = new WebSocket(this.url, SUBPROTOCOL);
    } catch {
      this.scheduleReconnect(false);
      return;
    }
    this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
    };
    socket.onmessage = (event) => this.receive(event.data);
    socket.onclose = (event) => {
      this.detach(socket);
      this.socket = null;
      this.failPending();
      if (this.finished) return;
      if (this.goodbye || FINAL_CLOSE_CODES.has(event.code)) {
        this.finish(event.code, event.reason);
        return;
      }
      this.scheduleReconnect(opened);
    };
  }

  detach(socket) {
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
  }

  receive(data) {
    let message;
    try {
      message = JSON.parse(data);
    } catch {
      return; // accord.v1 is JSON only; ignore anything else
    }
    if (!message || typeof message.type !== 'string') return;
    const { type } = message;
    if (type === 'welcome') {
      // The server took us in: the next drop starts the backoff afresh.
      this.attempt = 0;
      this.setStatus('open');
    }
    if ((type === 'ack' || type === 'answer' || type === 'error') && this.pending.has(message.id)) {
      const { resolve, reject } = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (type === 'error') reject(new SignallingError(message.code || 'error', message.message));
      else resolve(message);
      return;
    }
    if (type === 'goodbye') this.goodbye = message;
    if (type === 'error') {
      this.dispatchEvent(new CustomEvent('error', { detail: message }));
      return;
    }
    if (EVENT_TYPES.has(type)) this.dispatchEvent(new CustomEvent(type, { detail: message }));
  }

  failPending() {
    for (const { reject } of this.pending.values()) reject(new SignallingError('disconnected'));
    this.pending.clear();
  }

  async scheduleReconnect(wasOpen) {
    // A connection that never opened may have been refused before the upgrade: the same
    // request without the upgrade says why (426 means it would have been let in).
    if (!wasOpen) {
      const { code, details } = await this.probe();
      if (this.finished) return;
      if (code && FINAL_REFUSALS.has(code)) {
        this.finished = true;
        window.removeEventListener('online', this.onOnline);
        this.setStatus('closed');
        this.dispatchEvent(new CustomEvent('refused', { detail: { code, details } }));
        return;
      }
    }
    this.attempt += 1;
    const delay = backoffDelay(this.attempt);
    this.setStatus('reconnecting', { attempt: this.attempt, delay });
    this.timer = window.setTimeout(() => this.open(), delay);
  }

  retryNow() {
    window.clearTimeout(this.timer);
    this.open();
  }

  /**
   * The error the server gives a plain GET of the live URL: `{ code, details }`, where `code`
   * is null after a network failure or an answer that is not JSON.
   */
  async probe() {
    try {
      const response = await fetch(this.probeUrl, {
        credentials: 'same-origin',
        cache: 'no-store',
        headers: { Accept: 'application/json' },
      });
      const body = await response.json();
      const code = body && typeof body.code === 'string' ? body.code : null;
      const details = body && Array.isArray(body.details) ? body.details : [];
      return { code, details };
    } catch {
      return { code: null, details: [] };
    }
  }

  finish(code, reason) {
    this.finished = true;
    window.removeEventListener('online', this.onOnline);
    if (this.timer !== null) window.clearTimeout(this.timer);
    this.timer = null;
    this.failPending();
    this.setStatus('closed');
    this.dispatchEvent(new CustomEvent('closed', { detail: { code, reason, goodbye: this.goodbye } }));
  }
}

// The case's record (GET /api/cases/{id}/events) as a readable timeline:
// what happened, when, and who did it, newest first, with whether the hash
// chain that links the entries still holds. Names are looked up in what the
// page knows and in the record itself (a removed participant keeps theirs).

import { formatList, setI18n } from './i18n.js';
import { labelParam, setLabel, shorten, timeElement } from './staff.js';
import { formatSeconds } from './agenda.js';

/** Entries shown before "show all". */
const FIRST_PAGE = 40;
const TEXT_LENGTH = 160;
/** The rights whose loss evicts a member from a live session (`Revocation` on the server). */
const EVICTION_CAUSES = new Set([
  'participant_removed', 'invitation_revoked', 'mediator_unassigned', 'account_disabled',
  'signed_out', 'consent_withdrawn', 'case_closed',
]);

/** What the page knows of people, rooms and links, for turning ids into names. */
function directory(page) {
  const { state } = page;
  const users = new Map();
  for (const u of state.users || []) users.set(u.id, u.display_name);
  for (const m of state.theCase.mediators || []) users.set(m.id, m.display_name);
  users.set(state.me.id, state.me.display_name);
  const participants = new Map();
  const invitations = new Map();
  const rooms = new Map();
  const agenda = new Map();
  for (const e of state.events?.events || []) {
    const p = e.payload || {};
    if (e.kind === 'agenda_item_added' || e.kind === 'agenda_item_edited') agenda.set(p.item, p.title);
    if (e.kind === 'participant_added' || e.kind === 'participant_edited') participants.set(p.participant, p.name);
    if (e.kind === 'invitation_issued') invitations.set(p.invitation, p.participant);
    if (e.kind === 'session_room_created') rooms.set(`${p.session}:${p.room}`, p.name);
  }
  for (const p of state.participants) participants.set(p.id, p.name);
  return { users, participants, invitations, rooms, agenda };
}

/** A name as an i18n parameter: the name, or "a staff member" / "a participant" when unknown. */
function personParam(dir, kind, id) {
  if (kind === 'user') return dir.users.get(id) || { key: 'timeline.someone_staff' };
  return dir.participants.get(id) || { key: 'timeline.someone_participant' };
}

/** `s-<user id>` / `p-<participant id>`: a live session's member. */
function memberParam(dir, member) {
  const text = String(member || '');
  if (text.startsWith('s-')) return personParam(dir, 'user', text.slice(2));
  if (text.startsWith('p-')) return personParam(dir, 'participant', text.slice(2));
  return { key: 'timeline.someone_participant' };
}

function roomParam(dir, session, room) {
  if (room === 0) return { key: 'session.joint_room' };
  const name = dir.rooms.get(`${session}:${room}`);
  return name ? { key: 'session.room_named', params: { name } } : { key: 'session.room_unknown' };
}

/** `user:<id>`, `participant:<id>`, `operator`, `system`. */
function actorParam(dir, actor) {
  const text = String(actor || '');
  if (text.startsWith('user:')) return personParam(dir, 'user', text.slice(5));
  if (text.startsWith('participant:')) return personParam(dir, 'participant', text.slice(12));
  if (text === 'operator') return { key: 'timeline.actor_operator' };
  return { key: 'timeline.actor_system' };
}

/** The detail line of an entry: `{ key, params }`, or null. */
function detail(dir, e) {
  const p = e.payload || {};
  const person = (id) => personParam(dir, 'participant', id);
  const member = () => memberParam(dir, p.member);
  const agendaItem = () => dir.agenda.get(p.item) || { key: 'timeline.agenda_item' };
  switch (e.kind) {
    case 'case_registered':
      return {
        key: 'timeline.detail_registered',
        params: { number: p.number || '', type: labelParam('dispute_type.', p.dispute_type), source: labelParam('case_source.', p.source) },
      };
    case 'details_edited':
      return { key: 'timeline.detail_text', params: { text: shorten(p.summary, TEXT_LENGTH) } };
    case 'status_changed':
      return { key: 'timeline.detail_status', params: { from: labelParam('case_status.', p.from), to: labelParam('case_status.', p.to) } };
    case 'mediators_assigned': {
      const names = (p.mediators || []).map((id) => dir.users.get(id)).filter(Boolean);
      return names.length > 0 ? { key: 'timeline.detail_text', params: { text: formatList(names) } } : null;
    }
    case 'participant_added':
      return {
        key: p.side ? 'timeline.detail_person_side' : 'timeline.detail_person_role',
        params: { name: p.name || '', role: labelParam('participant_role.', p.role), side: labelParam('side.', p.side) },
      };
    case 'participant_edited':
    case 'participant_removed':
    case 'invitation_redeemed':
      return { key: 'timeline.detail_person', params: { name: person(p.participant) } };
    case 'invitation_issued':
    case 'invitation_revoked': {
      const who = p.participant || dir.invitations.get(p.invitation);
      return who ? { key: 'timeline.detail_for', params: { name: person(who) } } : null;
    }
    case 'session_knocked':
    case 'session_admitted':
    case 'session_left':
    case 'session_returned_to_waiting':
      return { key: 'timeline.detail_person', params: { name: member() } };
    case 'session_joined':
    case 'session_resumed':
    case 'session_moved':
      return { key: 'timeline.detail_person_room', params: { name: member(), room: roomParam(dir, p.session, p.room) } };
    case 'session_evicted':
      return EVICTION_CAUSES.has(p.cause)
        ? { key: `timeline.detail_evicted_${p.cause}`, params: { name: member() } }
        : { key: 'timeline.detail_person', params: { name: member() } };
    case 'session_denied':
    case 'session_removed':
      return p.reason
        ? { key: 'timeline.detail_person_reason', params: { name: member(), reason: shorten(p.reason, TEXT_LENGTH) } }
        : { key: 'timeline.detail_person', params: { name: member() } };
    case 'session_locked':
      return { key: p.locked ? 'timeline.detail_locked' : 'timeline.detail_unlocked' };
    case 'session_room_created':
      return { key: 'timeline.detail_text', params: { text: p.name || '' } };
    case 'chat_posted':
      return {
        key: 'timeline.detail_chat',
        params: { name: member(), room: roomParam(dir, p.session, p.room), text: shorten(e.text || '', TEXT_LENGTH) },
      };
    case 'agenda_item_added':
    case 'agenda_item_edited':
    case 'agenda_item_started':
    case 'agenda_item_deleted':
      return { key: 'timeline.detail_text', params: { text: agendaItem() } };
    case 'agenda_item_finished':
    case 'agenda_item_skipped':
      return { key: 'timeline.detail_agenda_time', params: { title: agendaItem(), time: formatSeconds(p.seconds_spent) } };
    case 'notes_saved':
      return { key: 'timeline.detail_notes', params: { version: p.version } };
    case 'mediation_terminated': {
      const reasons = p.reasons || [];
      if (reasons.length === 0) return null;
      const reason = labelParam('termination_reason.', reasons[0]);
      return reasons.length === 1
        ? { key: 'timeline.detail_text', params: { text: reason } }
        : { key: 'timeline.detail_reasons_more', params: { reason, n: reasons.length - 1 } };
    }
    case 'consent_given':
    case 'consent_withdrawn':
      return { key: 'timeline.detail_consent', params: { name: person(p.participant), consent: labelParam('consent_kind.', p.kind) } };
    default:
      return null;
  }
}

function entry(dir, e) {
  const li = document.createElement('li');
  li.className = 'timeline-item';
  li.dataset.kind = e.kind;
  li.dataset.seq = String(e.seq);
  const when = document.createElement('p');
  when.className = 'timeline-when';
  when.append(timeElement(e.at));
  const title = document.createElement('p');
  title.className = 'timeline-title';
  setLabel(title, 'event_kind.', e.kind);
  li.append(when, title);
  const more = detail(dir, e);
  if (more) {
    const p = document.createElement('p');
    p.className = 'timeline-detail';
    setI18n(p, more.key, more.params);
    li.append(p);
  }
  const by = document.createElement('p');
  by.className = 'timeline-actor';
  setI18n(by, 'timeline.by', { name: actorParam(dir, e.actor) });
  li.append(by);
  return li;
}

export function initTimeline(page) {
  const list = document.getElementById('timeline-list');
  const chain = document.getElementById('timeline-chain');
  const moreWrap = document.getElementById('timeline-more-wrap');
  const moreButton = document.getElementById('timeline-more');
  let showAll = false;

  function render() {
    const log = page.state.events;
    if (!log || !page.state.theCase) return;
    const p = document.createElement('p');
    p.className = `chain ${log.chain_intact ? 'is-intact' : 'is-broken'}`;
    p.dataset.chainIntact = String(Boolean(log.chain_intact));
    setI18n(p, log.chain_intact ? 'timeline.chain_intact' : 'timeline.chain_broken');
    chain.replaceChildren(p);

    const dir = directory(page);
    const events = [...(log.events || [])].sort((a, b) => b.seq - a.seq);
    const shown = showAll ? events : events.slice(0, FIRST_PAGE);
    list.replaceChildren(...shown.map((e) => entry(dir, e)));
    list.start = events.length;
    moreWrap.hidden = shown.length >= events.length;
    if (!moreWrap.hidden) setI18n(moreButton, 'timeline.show_all', { n: events.length });
  }

  moreButton.addEventListener('click', () => {
    showAll = true;
    render();
    list.querySelector(`li:nth-child(${FIRST_PAGE + 1})`)?.setAttribute('tabindex', '-1');
    list.querySelector(`li:nth-child(${FIRST_PAGE + 1})`)?.focus();
  });

  return { render };
}

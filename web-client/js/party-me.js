// Who the party pages are for: the participant signed in in this browser
// (by redeeming their invitation link on /join), with the few facts of
// their case that /api/auth/me gives them. A page that finds no participant
// says why, in the status region, and offers the way back.

import { api, setCsrfToken } from './api.js';
import { describeError } from './errors.js';
import { showMessage } from './forms.js';

/** Case statuses with a live session (docs/signalling.md). */
export const LIVE_STATUSES = new Set(['accepted', 'in_mediation', 'agreed']);

/** Case statuses after which there is nothing left to join. */
export const CLOSED_STATUSES = new Set(['refused', 'effective', 'terminated', 'archived']);

/** The mediators' names of a `me.case`, as an array of non-empty strings. */
export function mediatorNames(theCase) {
  const list = theCase && Array.isArray(theCase.mediators) ? theCase.mediators : [];
  return list.filter((m) => typeof m === 'string' && m !== '');
}

/**
 * Resolves to /api/auth/me of the participant (with the CSRF token set), or
 * to null after showing in `status` why not; `retry` (a button's wrapper)
 * is shown when trying again may help.
 */
export async function loadParticipant({ status, retry }) {
  if (retry) retry.hidden = true;
  let me;
  try {
    me = await api.get('/api/auth/me');
  } catch (err) {
    if (err.status === 401) {
      showMessage(status, 'party.signed_out', 'error');
    } else {
      showMessage(status, describeError(err), 'error');
      if (retry) retry.hidden = false;
    }
    return null;
  }
  if (!me || me.kind !== 'participant' || !me.case || !me.participant) {
    showMessage(status, me && me.kind === 'staff' ? 'join.staff_session' : 'party.signed_out', 'error');
    return null;
  }
  setCsrfToken(me.csrf_token);
  return me;
}

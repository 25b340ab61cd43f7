// The record of the mediation on the live session page. Everyone admitted reads the agenda, which
// is fetched again whenever the server says it changed (`record_changed`); the mediator keeps it,
// takes the notes of this sitting (调解笔录, never shown to participants) and may end a failed
// mediation (PML 26), after which the server ends the session for everyone.

import { askTermination } from './termination-dialog.js';
import './agenda.js';
import './notes.js';

/**
 * `{ show(state), changed(part), reconnected() }`: `show` after every `state` from the server,
 * `changed` for each `record_changed`, `reconnected` on each new connection (changes made while
 * it was down were announced to nobody here). `caseNumber` names the case in the dialog.
 */
export function initSessionRecord({ caseId, participant, caseNumber }) {
  const agendaSection = document.getElementById('session-agenda');
  const agenda = document.getElementById('session-agenda-list');
  const notesSection = document.getElementById('session-notes');
  const notes = document.getElementById('session-notes-editor');
  const terminate = document.getElementById('session-terminate');
  let shownAs = null; // 'participant' or 'mediator', once admitted

  agenda.configure({ url: participant ? '/api/me/agenda' : `/api/cases/${encodeURIComponent(caseId)}/agenda`, editable: !participant });
  notes.configure({ caseId, editable: true, live: true });
  terminate.addEventListener('click', () => askTermination({ caseId, number: caseNumber }));

  return {
    show(state) {
      const admitted = state.status === 'admitted';
      const mediator = admitted && state.you.role === 'mediator';
      agendaSection.hidden = !admitted;
      notesSection.hidden = !mediator;
      const as = admitted ? (mediator ? 'mediator' : 'participant') : null;
      if (as && as !== shownAs) {
        // Newly admitted (or back after a reconnect): what changed meanwhile was not announced.
        agenda.reload();
        if (mediator) notes.reload();
      }
      shownAs = as;
    },
    changed(part) {
      if (part === 'agenda' && shownAs) agenda.reload();
    },
    reconnected() {
      shownAs = null;
    },
  };
}

// The record of the mediation on the case page: the agenda, the mediator's notes of each sitting
// (调解笔录) and, once the mediation was terminated, the termination with the notice the parties
// were given (PML 26). The case's own mediators keep them; an admin reads them. The lifecycle's
// "terminate" step opens the termination dialog, which records the reasons with it.

import { api } from './api.js';
import { askTermination } from './termination-dialog.js';
import './agenda.js';
import './notes.js';
import './termination-view.js';

export function initRecord(page) {
  const agenda = document.getElementById('case-agenda-list');
  const notes = document.getElementById('case-notes-editor');
  const terminationCard = document.getElementById('case-termination');
  const termination = document.getElementById('case-termination-view');
  let configuredFor = null;

  async function loadTermination() {
    if (page.state.theCase.status !== 'terminated' && page.state.theCase.status !== 'archived') {
      terminationCard.hidden = true;
      return;
    }
    try {
      termination.show(await api.get(page.caseUrl('/termination')));
      terminationCard.hidden = false;
    } catch {
      terminationCard.hidden = true; // archived without a termination: refused or effective
    }
  }

  /** After the case (re)loaded: who may write, and the termination if there is one. */
  async function render() {
    const editable = page.isAssigned() && !page.frozen();
    const key = `${editable}`;
    if (configuredFor !== key) {
      configuredFor = key;
      agenda.configure({ url: page.caseUrl('/agenda'), editable });
      notes.configure({ caseId: page.caseId, editable });
      await Promise.all([agenda.reload(), notes.reload()]);
    }
    await loadTermination();
  }

  /** The terminate step: resolves to the termination, or null when cancelled. */
  async function terminate() {
    const recorded = await askTermination({ caseId: page.caseId, number: page.state.theCase.number });
    if (!recorded) return null;
    await page.reloadCase().catch(() => {}); // recorded all the same; the page catches up later
    return recorded;
  }

  return { render, terminate };
}

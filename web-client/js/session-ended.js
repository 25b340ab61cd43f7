// The session page's last screen: why the session is over for this page
// (the goodbye, or a refusal), the mediator's reason when they gave one,
// and, for a participant, what happens next (next-steps.js) and, when the
// mediation was terminated, the termination with the notice of other routes
// (PML 26, termination-view.js). Staff go back to the console, participants
// to their invitation.

import { setI18n } from './i18n.js';
import { mediatorNames } from './party-me.js';
import './next-steps.js';
import './termination-view.js';

/** Endings that are the party's own choice or the normal course: shown calmly. */
const CALM_ENDINGS = new Set(['left', 'withdrew', 'ended']);

export class EndedView {
  constructor({ section, heading, text, reason, nextSteps, termination, link }) {
    Object.assign(this, { section, heading, text, reason, nextSteps, termination, link });
  }

  /**
   * `heading`: a key; `message`: `{ key, params }`; `reason`: the mediator's words or '';
   * `why`: the goodbye reason (null for a refusal); `me`: /api/auth/me.
   */
  show({ heading, message, reason = '', why = null, me = null }) {
    const participant = Boolean(me && me.kind === 'participant');
    setI18n(this.heading, heading);
    setI18n(this.text, message.key, message.params);
    this.reason.hidden = !reason;
    if (reason) setI18n(this.reason, 'session.bye_reason', { reason });

    // A participant reads what happens next; where that says it all, the short text goes.
    const next = Boolean(why && participant && me.case);
    this.nextSteps.hidden = !next;
    const committee = participant && me.case ? me.case.committee_name || '' : '';
    const mediators = participant ? mediatorNames(me.case) : [];
    if (next) this.nextSteps.update({ reason: why, committee, mediators });
    // Ended, or refused because the case is no longer in mediation: it may have been terminated.
    this.termination.hidden = true;
    if (participant) {
      this.termination.loadMine().then((terminated) => {
        if (!terminated) return;
        // Not a refusal to be alarmed by: the mediation is over, and this is what comes next.
        setI18n(this.heading, 'session.ended_heading_ended');
        this.section.classList.remove('notice');
        this.text.hidden = true;
        this.nextSteps.hidden = false;
        this.nextSteps.update({ reason: 'terminated', committee, mediators });
      });
    }
    this.text.hidden = next && CALM_ENDINGS.has(why);
    // Leaving, withdrawing and the end of a session are nobody's failure: no alarm colours.
    this.section.classList.toggle('notice', !CALM_ENDINGS.has(why));

    const staff = Boolean(me && me.kind === 'staff');
    setI18n(this.link, staff ? 'session.back_console' : 'session.back_invitation');
    this.link.href = staff ? '/console' : '/join';
    this.section.hidden = false;
    this.heading.focus();
  }
}

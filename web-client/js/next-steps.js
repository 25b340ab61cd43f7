// <accord-next-steps>: what happens next, in plain words, for a party whose
// session is over for now: after leaving, after withdrawing from the
// mediation, after the mediator ended the session or the whole mediation
// (terminated: the notice of other routes is shown beside it, so the routes
// are not repeated here). The committee's name and
// the mediators come from the page (/api/auth/me); the rest is the law a
// party should know: mediation is free (PML 4), a party may end it at any
// time (PML 23), an agreement is signed later in this browser, and other
// routes stay open if mediation fails (PML 26).
//
//   el.update({ reason: 'left' | 'withdrew' | 'ended' | …, committee, mediators: [names] })

import { formatList, onLanguageChange, setI18n } from './i18n.js';

/** The opening paragraph for each way a session ends for the party. */
const OPENING = {
  left: 'next.opening_left',
  withdrew: 'next.opening_withdrew',
  ended: 'next.opening_ended',
  terminated: 'next.opening_terminated',
  denied: 'next.opening_questions',
  removed: 'next.opening_questions',
  replaced: 'next.opening_replaced',
  locked: 'next.opening_locked',
  revoked: 'next.opening_revoked',
};

function node(tag, key, params) {
  const el = document.createElement(tag);
  if (key) setI18n(el, key, params);
  return el;
}

export class NextSteps extends HTMLElement {
  connectedCallback() {
    this.classList.add('next-steps');
    // The list of mediators is joined with the language's separator: join it again.
    this.unsubscribe = onLanguageChange(() => {
      if (this.last) this.update(this.last);
    });
  }

  disconnectedCallback() {
    if (this.unsubscribe) this.unsubscribe();
  }

  update({ reason = 'left', committee = '', mediators = [] } = {}) {
    this.last = { reason, committee, mediators };
    const parts = [];
    parts.push(node('p', OPENING[reason] || OPENING.left));

    parts.push(node('h3', 'next.free_heading'));
    parts.push(
      committee
        ? node('p', 'next.free_text', { committee })
        : node('p', 'next.free_text_unnamed'),
    );

    // Someone whose right to take part was taken away is promised no agreement to sign.
    if (reason !== 'withdrew' && reason !== 'terminated' && reason !== 'revoked') {
      parts.push(node('h3', 'next.agreement_heading'));
      parts.push(node('p', 'next.agreement_text'));
    }

    if (reason !== 'terminated') {
      parts.push(node('h3', 'next.routes_heading'));
      parts.push(node('p', 'next.routes_text'));
      const routes = node('ul');
      routes.className = 'routes';
      for (const key of ['next.route_arbitration', 'next.route_administrative', 'next.route_court']) {
        routes.append(node('li', key));
      }
      parts.push(routes);
    }

    parts.push(node('h3', 'next.contact_heading'));
    const names = mediators.filter((m) => typeof m === 'string' && m !== '');
    parts.push(names.length > 0 ? node('p', 'next.contact_text', { mediators: formatList(names) }) : node('p', 'next.contact_text_unnamed'));
    this.replaceChildren(...parts);
  }
}

if (!customElements.get('accord-next-steps')) customElements.define('accord-next-steps', NextSteps);

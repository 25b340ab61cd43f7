// The consents of the participant signed in in this browser: the exact texts
// the server serves (in zh-CN or en, with their version), giving one, and
// withdrawing one. The server records the kind, the version, the language and
// a hash of the text shown, with the time.

import { api } from './api.js';

/** Withdrawing these ends the party's participation in the mediation (PML 23; DOMAIN.md). */
export const ENDS_PARTICIPATION = new Set(['voluntary_participation', 'online_mode']);

/** `{ version, language, consents: [{ kind, title, text, required, given_at }] }`. */
export function listConsents(language) {
  return api.get(`/api/me/consents?lang=${encodeURIComponent(language)}`);
}

/** Records consent to `kind`, as shown in `version` and `language`. Rejects with `consent_text_outdated` (409) when the texts changed. */
export function giveConsent({ kind, version, language }) {
  return api.post('/api/me/consents', { kind, version, language });
}

/** Withdraws consent to `kind` (404 when it was not in force). */
export function withdrawConsent(kind) {
  return api.post(`/api/me/consents/${encodeURIComponent(kind)}/withdraw`);
}

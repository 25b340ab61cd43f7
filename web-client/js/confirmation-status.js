// The status line of a judicial-confirmation application (PML 33), shared by the console's case
// page and the party's consents page: where it stands, and what the court answered.

import { setI18n } from './i18n.js';

/** Puts the application's status line into `node`; `application` is null when there is none. */
export function showStatus(node, application) {
  if (!application || !application.status) {
    setI18n(node, 'confirmation.none');
    return;
  }
  const court = application.court_name || '';
  setI18n(node, `confirmation.status_${application.status}`, {
    court,
    number: application.court_case_number || '',
    reason: application.court_reason || '',
  });
}

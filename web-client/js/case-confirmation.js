// Judicial confirmation on the console's case page: the 30-day deadline with its badge, warned
// 7 and 2 days before (PML 33), the application's status, consents and delivery.

import { api } from './api.js';
import { formatDate, setI18n } from './i18n.js';
import { showStatus } from './confirmation-status.js';

export function initConfirmation(page) {
  const card = document.getElementById('case-confirmation');
  const badge = document.getElementById('case-confirmation-badge');
  const deadline = document.getElementById('case-confirmation-deadline');
  const status = document.getElementById('case-confirmation-status');
  const detail = document.getElementById('case-confirmation-detail');

  async function render() {
    let view;
    try {
      view = await api.get(page.caseUrl('/confirmation'));
    } catch {
      card.hidden = true;
      return;
    }
    if (!view.effective_at) {
      card.hidden = true;
      return;
    }
    card.hidden = false;
    badge.className = `badge warning-${view.warning}`;
    setI18n(badge, `confirmation.warning_${view.warning}`);
    setI18n(deadline, 'confirmation.deadline', { date: formatDate(view.deadline) });
    const application = view.application;
    if (!view.courts_configured && !application) {
      setI18n(status, 'confirmation.no_courts');
      detail.textContent = '';
      return;
    }
    showStatus(status, application);
    if (!application) {
      detail.textContent = '';
    } else if (application.status === 'prepared') {
      const count = application.consents.filter((c) => c.given_at).length;
      setI18n(detail, 'confirmation.consents', { count, total: application.consents.length });
    } else if (application.delivered_at) {
      setI18n(detail, 'confirmation.delivered');
    } else {
      setI18n(detail, 'confirmation.delivery_pending', { count: application.delivery_attempts });
    }
  }

  return { render };
}

// Consent 11 on the party's consents page: the joint application for judicial confirmation
// (PML 33), with the exact text naming the court, and the court's answers as a status line.

import { api } from './api.js';
import { describeError } from './errors.js';
import { getLanguage, setI18n } from './i18n.js';
import { setBusy, showMessage } from './forms.js';
import { showStatus } from './confirmation-status.js';

export class ConfirmationConsent {
  constructor(section) {
    this.section = section;
    this.status = section.querySelector('#consents-confirmation-status');
    this.title = section.querySelector('#consents-confirmation-title');
    this.text = section.querySelector('#consents-confirmation-text');
    this.button = section.querySelector('#consents-confirmation-give');
    this.message = section.querySelector('#consents-confirmation-message');
    this.button.addEventListener('click', () => this.give());
  }

  /** Shows the application of the participant's case, if one has been prepared. */
  async load() {
    try {
      this.mine = await api.get(`/api/me/confirmation?lang=${encodeURIComponent(getLanguage())}`);
    } catch {
      this.section.hidden = true;
      return;
    }
    const mine = this.mine;
    this.section.hidden = !mine.application_id;
    if (!mine.application_id) return;
    showStatus(this.status, mine);
    const asking = mine.status === 'prepared' && mine.may_consent;
    this.title.textContent = asking ? mine.title : '';
    this.text.textContent = asking ? mine.text : '';
    this.button.hidden = !asking || mine.consented;
    if (asking && mine.consented) setI18n(this.message, 'confirmation.consented');
  }

  async give() {
    const mine = this.mine;
    setBusy(this.button, true);
    try {
      await api.post('/api/me/confirmation/consent', {
        application_id: mine.application_id,
        language: mine.language,
        text_hash: mine.text_hash,
      });
      await this.load();
    } catch (error) {
      showMessage(this.message, describeError(error));
    } finally {
      setBusy(this.button, false);
    }
  }
}

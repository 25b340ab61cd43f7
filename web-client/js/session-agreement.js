// The agreement panel of the session page: the latest version as a document, who has signed,
// the comments; for a signer, their key and the signing itself; for the mediator, drafting,
// finalising and the identity check that binds a party's key. It reloads whenever the server
// says the agreement changed (`record_changed`), so everyone sees the same version.

import { formatDate, getLanguage, setI18n } from './i18n.js';
import { api } from './api.js';
import { describeError } from './errors.js';
import { setBusy, showMessage } from './forms.js';
import { renderAgreement } from './agreement-document.js';
import { AgreementEditor } from './agreement-editor.js';
import { canSign, sha256Hex, sha256HexOfBytes, signingKey } from './signing-key.js';

const ERRORS = {
  key_not_bound: 'agreement.error_key_not_bound',
  parties_sign_first: 'agreement.error_parties_first',
  not_this_version: 'agreement.error_changed',
  not_open_for_signing: 'agreement.error_changed',
  sign_on_paper: 'agreement.error_paper',
  no_signing_authority: 'agreement.error_no_authority',
  already_signed: 'agreement.error_already_signed',
  mediation_not_started: 'agreement.error_not_started',
  agreement_effective: 'agreement.error_effective',
  invalid_input: 'agreement.error_signature',
};

function el(tag, className, key, params) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (key) setI18n(node, key, params);
  return node;
}

/** ESL 3: an agreement on a personal relationship is signed and sealed on paper. */
function onPaper(latest) {
  return Boolean(latest && latest.form === 'written' && latest.agreement.content.personal_relationship);
}

function button(key, className = 'button') {
  const node = el('button', className, key);
  node.type = 'button';
  return node;
}

export class AgreementPanel {
  /** `confirm` is the page's confirmDialog; `dialogs` the editor and signing `<dialog>`s. */
  constructor({ root, caseId, confirm, editorDialog, signDialog }) {
    this.root = root;
    this.caseId = caseId;
    this.confirm = confirm;
    this.signDialog = signDialog;
    this.status = root.querySelector('#agreement-status');
    this.body = root.querySelector('#agreement-body');
    this.editor = new AgreementEditor(editorDialog, caseId, (version) => {
      showMessage(this.status, { key: 'editor.saved', params: { n: version } }, 'success');
    });
    this.key = null;
    this.loading = null;
    signDialog.querySelector('#agreement-sign-cancel').addEventListener('click', () => signDialog.close());
  }

  path(rest = '') {
    return `/api/cases/${this.caseId}/agreement${rest}`;
  }

  /** Fetches and renders the agreement again; calls made meanwhile coalesce into one more. */
  load() {
    if (this.loading) {
      this.again = true;
      return this.loading;
    }
    this.loading = this.fetchAndRender().finally(() => {
      this.loading = null;
      if (this.again) {
        this.again = false;
        this.load();
      }
    });
    return this.loading;
  }

  async fetchAndRender() {
    let agreement;
    try {
      agreement = await api.get(this.path());
    } catch (err) {
      // Observers and invited people have no part in the agreement: no panel for them.
      this.root.hidden = true;
      if (err.status !== 403 && err.status !== 404) console.error('accord: agreement', err);
      return;
    }
    this.agreement = agreement;
    this.root.hidden = false;
    await this.ensureKey(agreement);
    const history = agreement.latest ? await api.get(this.path('/versions')) : { comments: [] };
    this.render(agreement, history.comments);
  }

  /** Makes this signer's key on first visit and registers it, before the identity check. */
  async ensureKey(agreement) {
    if (!agreement.you) return;
    if (!canSign()) {
      showMessage(this.status, 'agreement.no_key_support', 'error');
      return;
    }
    if (!this.key) this.key = await signingKey(this.caseId, agreement.you);
    const me = agreement.signers.find((s) => s.signer === agreement.you);
    if (me && me.key_thumbprint && this.registered) return;
    await api.put(this.path('/key'), { public_key: this.key.publicJwk });
    this.registered = true;
  }

  isMediator() {
    return Boolean(this.agreement && this.agreement.you && this.agreement.you.startsWith('s-'));
  }

  render(agreement, comments) {
    const latest = agreement.latest;
    const parts = [];
    if (!latest) {
      parts.push(el('p', 'muted', 'agreement.none'), this.signers(agreement));
    } else {
      const stage = el('p', 'agreement-stage');
      stage.append(el('span', null, 'agreement.version', { n: latest.version }), ' · ', el('strong', null, `agreement.stage_${latest.stage}`));
      if (latest.effective_at) stage.append(' · ', el('span', null, 'agreement.effective_at', { date: formatDate(latest.effective_at) }));
      const details = el('details', 'agreement-details');
      details.append(el('summary', null, 'agreement.show_text'), renderAgreement(latest.signed_text, latest.agreement_hash));
      parts.push(stage, details, this.signers(agreement));
    }
    parts.push(this.actions(agreement));
    if (latest) parts.push(this.comments(latest, comments));
    this.body.replaceChildren(...parts);
  }

  signers(agreement) {
    const wrap = el('div', 'agreement-signers');
    const list = el('ul', 'people');
    const byId = new Map(agreement.signers.map((s) => [s.signer, s]));
    // A party signs in person or through their agent: whoever signed first signed for both.
    const agentOf = (party) => agreement.signers.find((s) => s.signs_for === party.signer && s.signed_at);
    for (const signer of agreement.signers) {
      const item = el('li', 'agreement-signer');
      item.dataset.signer = signer.signer;
      const who = el('span', 'person-name');
      who.textContent = signer.name;
      item.append(who, ' ', el('span', 'muted small', `agreement.role_${signer.role}`), ' ');
      const principal = signer.signs_for && byId.get(signer.signs_for);
      if (principal) item.append(el('span', 'muted small', 'agreement.signs_for', { name: principal.name }), ' ');
      const byAgent = signer.role === 'party' && agentOf(signer);
      let state = 'agreement.signer_waiting';
      let params;
      if (signer.signed_at) {
        state = 'agreement.signer_signed';
        params = { date: formatDate(signer.signed_at) };
      } else if (byAgent) {
        state = 'agreement.signer_signed_by_agent';
        params = { name: byAgent.name, date: formatDate(byAgent.signed_at) };
      } else if (principal && principal.signed_at) state = 'agreement.signer_principal_signed';
      else if (signer.role !== 'mediator' && !signer.key_thumbprint) state = 'agreement.signer_no_key';
      else if (!signer.key_bound) state = 'agreement.signer_key_unbound';
      else if (!signer.authority_checked) state = 'agreement.signer_no_authority';
      else if (agreement.latest && agreement.latest.stage === 'signing') state = 'agreement.signer_ready';
      item.append(el('span', 'signer-state', state, params));
      if (this.isMediator() && signer.role !== 'mediator' && signer.key_thumbprint && !signer.key_bound) {
        const verify = button('agreement.verify_identity', 'button small');
        verify.dataset.verifyOf = signer.signer;
        verify.addEventListener('click', () => this.verifyIdentity(signer, verify));
        item.append(' ', verify);
      }
      if (this.isMediator() && signer.role === 'agent' && !signer.authority_checked) {
        const authority = button('agreement.check_authority', 'button small');
        authority.dataset.authorityOf = signer.signer;
        authority.addEventListener('click', () => this.checkAuthority(signer, principal, authority));
        item.append(' ', authority);
      }
      list.append(item);
    }
    wrap.append(el('h3', null, 'agreement.signers'), list);
    return wrap;
  }

  actions(agreement) {
    const row = el('div', 'actions');
    const latest = agreement.latest;
    const stage = latest ? latest.stage : 'none';
    if (this.isMediator() && stage !== 'effective') {
      const edit = button('agreement.edit');
      edit.id = 'agreement-edit';
      edit.addEventListener('click', () => this.editor.open(latest ? latest.agreement : null).catch((err) => {
        showMessage(this.status, describeError(err), 'error');
      }));
      row.append(edit);
      if (stage === 'draft') {
        const finalise = button('agreement.finalise', 'button primary');
        finalise.id = 'agreement-finalise';
        finalise.addEventListener('click', () => this.finalise(latest, finalise));
        row.append(finalise);
      }
    }
    const me = agreement.you && agreement.signers.find((s) => s.signer === agreement.you);
    if (onPaper(latest)) {
      row.append(this.paperRoute(latest));
    } else if (stage === 'signing' && me && this.maySignNow(agreement, me)) {
      const sign = button('agreement.sign', 'button primary');
      sign.id = 'agreement-sign';
      sign.addEventListener('click', () => this.openSigning(latest));
      row.append(sign);
    }
    if (latest) {
      const pdf = el('a', 'button', 'agreement.pdf');
      pdf.id = 'agreement-pdf';
      pdf.href = this.path(`/document.pdf?lang=${encodeURIComponent(getLanguage())}`);
      pdf.target = '_blank';
      pdf.rel = 'noopener';
      row.append(pdf);
    }
    if (stage === 'effective' && latest.form === 'written' && !onPaper(latest)) {
      const link = el('a', 'button', 'agreement.download');
      link.id = 'agreement-download';
      link.href = this.path('/package');
      link.download = `agreement-v${latest.version}.json`;
      row.append(link);
    }
    return row;
  }

  /** The paper route (ESL 3): everyone reads how it is signed; while it waits, the mediator
   *  records that the printed agreement was signed and sealed, with the hash of its scan
   *  (computed here: the scan itself stays with the committee). */
  paperRoute(latest) {
    const wrap = el('div', 'agreement-paper');
    wrap.id = 'agreement-paper';
    if (latest.stage === 'effective') {
      wrap.append(el('p', 'message is-success', 'agreement.paper_done'));
      return wrap;
    }
    wrap.append(el('p', 'message is-info', 'agreement.paper_how'));
    if (!this.isMediator() || latest.stage !== 'signing') return wrap;
    const label = el('label', null, 'agreement.paper_scan');
    label.htmlFor = 'agreement-paper-scan';
    const scan = document.createElement('input');
    scan.type = 'file';
    scan.id = 'agreement-paper-scan';
    scan.accept = 'application/pdf,image/*';
    const record = button('agreement.paper_record', 'button primary');
    record.id = 'agreement-paper-record';
    record.addEventListener('click', () => this.recordPaper(latest, scan, record));
    const field = el('div', 'field');
    field.append(label, scan);
    wrap.append(field, record);
    return wrap;
  }

  async recordPaper(latest, scan, trigger) {
    const file = scan.files && scan.files[0];
    if (!file) {
      showMessage(this.status, 'agreement.paper_scan_missing', 'error');
      scan.focus();
      return;
    }
    const answer = await this.confirm.ask({
      heading: { key: 'agreement.paper_heading', params: { n: latest.version } },
      text: { key: 'agreement.paper_text' },
      confirmKey: 'agreement.paper_record',
    });
    if (!answer) return;
    setBusy(trigger, true);
    try {
      const scanSha256 = await sha256HexOfBytes(await file.arrayBuffer());
      await api.post(this.path('/paper'), {
        version: latest.version,
        agreement_hash: latest.agreement_hash,
        scan_sha256: scanSha256,
      });
      showMessage(this.status, 'agreement.paper_recorded', 'success');
    } catch (err) {
      setBusy(trigger, false);
      showMessage(this.status, describeError(err, ERRORS), 'error');
    }
  }

  comments(latest, comments) {
    const wrap = el('div', 'agreement-comments');
    const list = el('ol', 'chat-log');
    for (const comment of comments) {
      const item = el('li', null, 'agreement.comment_line', { name: comment.author_name, n: comment.version, text: comment.text });
      list.append(item);
    }
    wrap.append(el('h3', null, 'agreement.comments'), list);
    if (latest.stage === 'effective') return wrap;
    const form = el('form', 'chat-form');
    form.noValidate = true;
    const label = el('label', 'visually-hidden', 'agreement.comment_label');
    label.htmlFor = 'agreement-comment-input';
    const input = document.createElement('input');
    input.id = 'agreement-comment-input';
    input.type = 'text';
    input.maxLength = 2000;
    input.required = true;
    const send = el('button', 'button', 'agreement.comment_send');
    send.type = 'submit';
    form.append(label, input, send);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const text = input.value.trim();
      if (!text) return;
      try {
        await api.post(this.path('/comments'), { version: latest.version, text });
        input.value = '';
      } catch (err) {
        showMessage(this.status, describeError(err, ERRORS), 'error');
      }
    });
    wrap.append(form);
    return wrap;
  }

  /** Whether `me` can sign now: key bound, authority checked (an agent), and nobody has
   *  signed yet for the party they are or represent. */
  maySignNow(agreement, me) {
    if (me.signed_at || !me.key_bound || !me.authority_checked || !this.key) return false;
    const party = me.signs_for || (me.role === 'party' ? me.signer : null);
    if (!party) return true;
    return !agreement.signers.some((s) => (s.signer === party || s.signs_for === party) && s.signed_at);
  }

  async checkAuthority(agent, principal, trigger) {
    const answer = await this.confirm.ask({
      heading: { key: 'agreement.authority_heading', params: { name: agent.name } },
      text: { key: 'agreement.authority_text', params: { party: principal ? principal.name : '' } },
      confirmKey: 'agreement.check_authority',
    });
    if (!answer) return;
    setBusy(trigger, true);
    try {
      const participant = agent.signer.replace(/^p-/, '');
      await api.post(`/api/cases/${this.caseId}/participants/${participant}/signing-authority`, {});
      showMessage(this.status, 'agreement.authority_checked', 'success');
    } catch (err) {
      setBusy(trigger, false);
      showMessage(this.status, describeError(err, ERRORS), 'error');
    }
  }

  async verifyIdentity(signer, trigger) {
    const answer = await this.confirm.ask({
      heading: { key: 'agreement.verify_heading', params: { name: signer.name } },
      text: { key: 'agreement.verify_text' },
      confirmKey: 'agreement.verify_confirm',
    });
    if (!answer) return;
    setBusy(trigger, true);
    try {
      const participant = signer.signer.replace(/^p-/, '');
      await api.post(`/api/cases/${this.caseId}/participants/${participant}/identity`, { method: 'document_on_camera' });
      showMessage(this.status, 'agreement.verified', 'success');
    } catch (err) {
      setBusy(trigger, false);
      showMessage(this.status, describeError(err, ERRORS), 'error');
    }
  }

  async finalise(latest, trigger) {
    const answer = await this.confirm.ask({
      heading: { key: 'agreement.finalise_heading', params: { n: latest.version } },
      text: { key: latest.form === 'oral' ? 'agreement.finalise_oral_text' : 'agreement.finalise_text' },
      confirmKey: 'agreement.finalise',
    });
    if (!answer) return;
    setBusy(trigger, true);
    try {
      await api.post(this.path('/finalise'), { version: latest.version });
      showMessage(this.status, 'agreement.finalised', 'success');
    } catch (err) {
      setBusy(trigger, false);
      showMessage(this.status, describeError(err, ERRORS), 'error');
    }
  }

  /** Shows exactly what is signed — the document parsed from the signed bytes, and their hash
   *  computed here — and signs those bytes once the signer confirms. */
  async openSigning(latest) {
    const dialog = this.signDialog;
    const hash = await sha256Hex(latest.signed_text);
    if (hash !== latest.agreement_hash) {
      showMessage(this.status, 'agreement.error_changed', 'error');
      return;
    }
    setI18n(dialog.querySelector('#agreement-sign-heading'), 'agreement.sign_heading', { n: latest.version });
    setI18n(dialog.querySelector('#agreement-sign-text'), 'agreement.sign_text', { hash });
    dialog.querySelector('#agreement-sign-document').replaceChildren(renderAgreement(latest.signed_text, hash));
    const status = dialog.querySelector('#agreement-sign-status');
    status.replaceChildren();
    const confirm = dialog.querySelector('#agreement-sign-confirm');
    const fresh = confirm.cloneNode(true);
    confirm.replaceWith(fresh);
    fresh.addEventListener('click', async () => {
      setBusy(fresh, true);
      try {
        const signature = await this.key.sign(latest.signed_text);
        const result = await api.post(this.path('/signatures'), { version: latest.version, agreement_hash: hash, signature });
        dialog.close();
        showMessage(this.status, result.sealed ? 'agreement.sealed' : 'agreement.signed', 'success');
      } catch (err) {
        setBusy(fresh, false);
        showMessage(status, describeError(err, ERRORS), 'error');
      }
    });
    dialog.showModal();
  }
}

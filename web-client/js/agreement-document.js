// Renders one agreement version as a document (调解协议书, PML 29) from the exact canonical
// JSON that is signed: what the signer reads is parsed from the very bytes they sign.

import { setI18n } from './i18n.js';
import { fenToYuan } from './money.js';

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function translated(tag, key, params, className) {
  const node = el(tag, className);
  setI18n(node, key, params);
  return node;
}

function section(headingKey, text) {
  const part = el('section', 'agreement-part');
  part.append(translated('h4', headingKey), el('p', 'agreement-text', text));
  return part;
}

function partyLine(party) {
  const item = el('li');
  item.append(el('strong', null, party.name));
  const facts = [];
  if (party.sex) facts.push(translated('span', `agreement.sex_${party.sex}`));
  if (party.age != null) facts.push(translated('span', 'agreement.age', { n: party.age }));
  for (const plain of [party.ethnicity, party.occupation, party.address, party.contact]) {
    if (plain) facts.push(el('span', null, plain));
  }
  for (const fact of facts) item.append(el('span', 'agreement-sep', '，'), fact);
  return item;
}

function termItem(term, names) {
  const item = el('li');
  item.append(el('p', 'agreement-text', term.text));
  const details = el('ul', 'agreement-term-details');
  if (term.obligor && names.has(term.obligor)) {
    details.append(translated('li', 'agreement.term_obligor', { name: names.get(term.obligor) }));
  }
  details.append(translated('li', 'agreement.term_manner', { text: term.manner }));
  if (term.deadline) details.append(translated('li', 'agreement.term_deadline', { date: term.deadline }));
  if (term.amount_fen != null) {
    details.append(translated('li', 'agreement.term_amount', { yuan: fenToYuan(term.amount_fen) }));
  }
  item.append(details);
  return item;
}

/** The document of `signedText` (a version's `signed_text`), with `hash` shown under it. */
export function renderAgreement(signedText, hash) {
  const body = JSON.parse(signedText);
  const content = body.content;
  const doc = el('article', 'agreement-document');
  doc.lang = 'zh-CN';
  const head = el('header', 'agreement-head');
  head.append(
    translated('h3', 'agreement.doc_title'),
    el('p', 'agreement-committee', body.committee),
    translated('p', 'agreement.number', { number: body.case_number }, 'agreement-number'),
  );
  doc.append(head);
  if (body.form === 'oral') doc.append(translated('p', 'agreement.form_oral', null, 'agreement-note'));
  if (content.personal_relationship) {
    doc.append(translated('p', 'agreement.personal_notice', null, 'message is-error'));
  }
  const parties = el('section', 'agreement-part');
  const list = el('ul', 'agreement-parties');
  for (const party of content.parties) list.append(partyLine(party));
  parties.append(translated('h4', 'agreement.parties'), list);
  doc.append(
    parties,
    section('agreement.facts', content.facts),
    section('agreement.issues', content.issues),
    section('agreement.responsibilities', content.responsibilities),
  );
  const names = new Map(content.parties.map((p) => [p.participant, p.name]));
  const terms = el('section', 'agreement-part');
  const termList = el('ol', 'agreement-terms');
  for (const term of content.terms) termList.append(termItem(term, names));
  terms.append(translated('h4', 'agreement.terms'), termList);
  doc.append(terms);
  const foot = el('p', 'agreement-hash');
  foot.append(translated('span', 'agreement.hash'), el('span', 'agreement-sep', '：'), el('code', null, hash));
  doc.append(foot);
  return doc;
}

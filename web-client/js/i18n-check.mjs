#!/usr/bin/env node
// Checks the web client's translations. Node 20, no dependencies.
//
//   node web-client/js/i18n-check.mjs
//
// Fails (exit 1) and says what is wrong if:
//   - the zh-CN and en dictionaries do not have the same keys,
//   - a value is empty or not a string,
//   - a pair of translations does not use the same {placeholders},
//   - an HTML file uses a data-i18n / data-i18n-attr key that does not exist,
//   - a label is missing for a code of the API (dispute types, case statuses,
//     participant roles and sides, staff roles, committee kinds) or of the
//     live-session protocol (goodbye reasons, request errors),
//   - a JS file calls t('key') (or setI18n/showMessage/… with a literal key,
//     or mentions any literal 'namespace.key' of a known namespace) with a
//     key that does not exist.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const jsDir = dirname(fileURLToPath(import.meta.url));
const root = dirname(jsDir); // web-client/
const selfName = 'i18n-check.mjs';

const { dictionaries, parseAttrSpec } = await import('./i18n.js');

const problems = [];
const problem = (text) => problems.push(text);

function walk(dir, accept) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.') || name === 'node_modules') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path, accept));
    else if (accept(name)) out.push(path);
  }
  return out;
}

function lineOf(text, index) {
  return text.slice(0, index).split('\n').length;
}

// ---- 1. The dictionaries themselves ----

const languages = Object.keys(dictionaries);
if (languages.length !== 2 || !languages.includes('zh-CN') || !languages.includes('en')) {
  problem(`expected dictionaries "zh-CN" and "en", found: ${languages.join(', ')}`);
}
const zh = dictionaries['zh-CN'] || {};
const en = dictionaries.en || {};
const allKeys = new Set([...Object.keys(zh), ...Object.keys(en)]);

for (const key of [...allKeys].sort()) {
  const inZh = Object.prototype.hasOwnProperty.call(zh, key);
  const inEn = Object.prototype.hasOwnProperty.call(en, key);
  if (!inZh) problem(`key "${key}" is in en but missing from zh-CN`);
  if (!inEn) problem(`key "${key}" is in zh-CN but missing from en`);
  for (const [lang, dict, present] of [['zh-CN', zh, inZh], ['en', en, inEn]]) {
    if (!present) continue;
    const value = dict[key];
    if (typeof value !== 'string') problem(`${lang} "${key}" is not a string`);
    else if (value.trim() === '') problem(`${lang} "${key}" is empty`);
  }
  if (inZh && inEn && typeof zh[key] === 'string' && typeof en[key] === 'string') {
    const names = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(', ');
    if (names(zh[key]) !== names(en[key])) {
      problem(`"${key}" uses placeholders {${names(zh[key])}} in zh-CN but {${names(en[key])}} in en`);
    }
  }
}

const known = (key) => Object.prototype.hasOwnProperty.call(zh, key) && Object.prototype.hasOwnProperty.call(en, key);
const namespaces = new Set([...allKeys].map((key) => key.split('.')[0]));
let usedCount = 0;

/** The snake_case kinds of `CaseEvent` in server/src/domain/events.rs: the timeline titles each. */
function caseEventKinds() {
  const source = readFileSync(join(dirname(root), 'server', 'src', 'domain', 'events.rs'), 'utf8');
  const start = source.indexOf('pub enum CaseEvent {');
  if (start < 0) {
    problem('server/src/domain/events.rs: no "pub enum CaseEvent" to read the event kinds from');
    return [];
  }
  const body = source.slice(start, source.indexOf('\n}\n', start));
  return [...body.matchAll(/^ {4}([A-Z][A-Za-z]*)\s*[{(,]/gm)]
    .map((m) => m[1].replace(/(?<!^)([A-Z])/g, '_$1').toLowerCase());
}

// Labels the pages look up by the API's codes (`'dispute_type.' + code`),
// which no literal in the code names.
const API_CODES = {
  committee_kind: ['street_town', 'village_community', 'industry_professional', 'court_annexed'],
  dispute_type: [
    'marriage_family', 'neighbour', 'housing_homestead', 'contract', 'business', 'damages',
    'forest_land', 'requisition_demolition', 'pollution', 'labour', 'consumer', 'medical',
    'road_traffic', 'property_management', 'intellectual_property', 'internet', 'other',
  ],
  case_status: ['registered', 'accepted', 'refused', 'in_mediation', 'agreed', 'effective', 'terminated', 'archived'],
  participant_role: ['party', 'agent', 'invited', 'observer', 'interpreter'],
  side: ['applicant', 'respondent'],
  staff_role: ['admin', 'mediator'],
  // The staff console (js/strings/console.js): labels it looks up by the API's codes.
  case_source: ['party_application', 'committee_initiative', 'court_entrustment', 'police_referral', 'government_assignment'],
  case_explain: ['registered', 'accepted', 'refused', 'in_mediation', 'agreed', 'effective', 'terminated', 'archived'],
  person_kind: ['natural', 'legal'],
  invitation_state: ['pending', 'redeemed', 'expired', 'revoked'],
  // Every kind of event the case's record holds, read from the Rust enum itself.
  event_kind: caseEventKinds(),
  // The record of a mediation (js/strings/record.js).
  agenda_status: ['pending', 'in_progress', 'done', 'skipped'],
  termination_reason: ['party_refused', 'party_withdrew', 'no_agreement', 'other_proceedings', 'other'],
  consent_kind: [
    'voluntary_participation', 'rights_notice', 'online_mode', 'mediator_acceptance', 'confidentiality',
    'recording', 'identity_verification', 'electronic_signature', 'personal_information', 'service_address',
    'judicial_confirmation',
  ],
};
for (const [prefix, codes] of Object.entries(API_CODES)) {
  for (const code of codes) {
    if (!known(`${prefix}.${code}`)) problem(`no label "${prefix}.${code}" for API code ${code}`);
  }
}

// Codes of the live-session protocol (docs/signalling.md) whose messages the
// session page picks from tables; `{code}` in the pattern is the code.
const LIVE_CODES = {
  'session.bye_{code}': ['denied', 'removed', 'ended', 'left', 'withdrew', 'replaced', 'locked'],
  'session.error_{code}': [
    'not_a_mediator', 'not_admitted', 'unknown_member', 'not_waiting', 'unknown_room',
    'mediator_protected', 'too_many_rooms', 'rate_limited', 'disconnected', 'not_a_party',
  ],
  // Why an admitted member was sent back to the waiting room (`returned_to_waiting`).
  'session.returned_{code}': ['attendance_withdrawn', 'party_added'],
  // The party's device check explains each getUserMedia failure (media.js mediaErrorKind).
  'check.{code}_heading': ['denied', 'notfound', 'busy', 'unsupported', 'other'],
  // What happens next, by how the session ended for the party (next-steps.js).
  'next.opening_{code}': ['left', 'withdrew', 'ended', 'terminated', 'questions', 'replaced', 'locked'],
  'session.refused_{code}': ['unauthenticated', 'forbidden', 'not_found', 'generic'],
  'session.status_{code}': ['connecting', 'reconnecting', 'connected'],
};
for (const [pattern, codes] of Object.entries(LIVE_CODES)) {
  for (const code of codes) {
    const key = pattern.replace('{code}', code);
    if (!known(key)) problem(`no label "${key}" for live-session code ${code}`);
  }
}

// ---- 2. Keys used in HTML ----

const htmlFiles = walk(root, (name) => name.endsWith('.html'));
for (const file of htmlFiles) {
  const text = readFileSync(file, 'utf8');
  const where = (index) => `${relative(root, file)}:${lineOf(text, index)}`;
  for (const m of text.matchAll(/\sdata-i18n\s*=\s*(["'])(.*?)\1/g)) {
    usedCount += 1;
    const key = m[2].trim();
    if (!known(key)) problem(`${where(m.index)}: data-i18n key "${key}" is not in the dictionaries`);
  }
  for (const m of text.matchAll(/\sdata-i18n-attr\s*=\s*(["'])(.*?)\1/g)) {
    const pairs = parseAttrSpec(m[2]);
    if (pairs.length === 0) problem(`${where(m.index)}: data-i18n-attr="${m[2]}" has no "attr:key" pair`);
    for (const { attr, key } of pairs) {
      usedCount += 1;
      if (!known(key)) problem(`${where(m.index)}: data-i18n-attr ${attr} key "${key}" is not in the dictionaries`);
    }
  }
  // Elements whose text is translated must not contain other elements: the
  // translation would wipe them out.
  for (const m of text.matchAll(/<(\w+)\b[^>]*\sdata-i18n\s*=\s*["'][^"']*["'][^>]*>([^]*?)<\/\1>/g)) {
    if (/<\w/.test(m[2])) problem(`${where(m.index)}: element with data-i18n contains markup, which translation would remove`);
  }
}

// ---- 3. Keys used in JS ----

const jsFiles = walk(root, (name) => /\.(m?js)$/.test(name) && name !== selfName);
// Functions that take a translation key, and which argument it is.
const KEY_ARGUMENT = { t: 0, setI18n: 1, showMessage: 1, setFieldError: 2, setBusy: 2 };
const PLURAL_ARGUMENT = { plural: 0 };
const callStart = /\b(t|setI18n|showMessage|setFieldError|setBusy|plural)\(/g;
const dottedLiteral = /(['"])([a-z][a-z0-9_]*\.[a-z0-9_.]*[a-z0-9_])\1/g;

/** Splits the arguments of the call whose "(" is at `open`; returns their source texts. */
function callArguments(text, open) {
  const args = [];
  let depth = 0;
  let quote = null;
  let start = open + 1;
  for (let i = open + 1; i < text.length; i += 1) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i += 1;
      else if (c === quote) quote = null;
    } else if (c === "'" || c === '"' || c === '`') {
      quote = c;
    } else if ('([{'.includes(c)) {
      depth += 1;
    } else if (')]}'.includes(c)) {
      if (depth === 0) {
        args.push(text.slice(start, i).trim());
        return args;
      }
      depth -= 1;
    } else if (c === ',' && depth === 0) {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  return args;
}

function stringLiteral(source) {
  const m = /^(['"])([^'"\n]*)\1$/.exec(source || '');
  return m ? m[2] : null;
}

for (const file of jsFiles) {
  const text = readFileSync(file, 'utf8');
  const where = (index) => `${relative(root, file)}:${lineOf(text, index)}`;
  const checkedLiterals = new Set(); // "line:key", so a literal is reported once
  for (const m of text.matchAll(callStart)) {
    const name = m[1];
    const args = callArguments(text, m.index + m[0].length - 1);
    if (name in PLURAL_ARGUMENT) {
      const base = stringLiteral(args[PLURAL_ARGUMENT[name]]);
      if (base === null) continue;
      checkedLiterals.add(`${lineOf(text, m.index)}:${base}`);
      usedCount += 1;
      for (const form of ['one', 'other']) {
        if (!known(`${base}_${form}`)) problem(`${where(m.index)}: plural("${base}") needs key "${base}_${form}"`);
      }
      continue;
    }
    const key = stringLiteral(args[KEY_ARGUMENT[name]]);
    if (key === null) continue; // not a literal: checked where the literal is written, if anywhere
    checkedLiterals.add(`${lineOf(text, m.index)}:${key}`);
    usedCount += 1;
    if (!known(key)) problem(`${where(m.index)}: ${name}(… "${key}" …) is not in the dictionaries`);
  }
  // Any other literal that looks like a key of a known namespace (e.g. in a
  // table of codes → keys) must exist too. Field paths such as
  // "admin.password" use namespaces that the dictionaries do not have.
  // (i18n.js is skipped here: its dictionaries define the keys.)
  if (file === join(jsDir, 'i18n.js')) continue;
  for (const m of text.matchAll(dottedLiteral)) {
    const key = m[2];
    if (checkedLiterals.has(`${lineOf(text, m.index)}:${key}`)) continue;
    const ns = key.split('.')[0];
    if (!namespaces.has(ns)) continue;
    const isPluralBase = known(`${key}_one`) && known(`${key}_other`);
    if (!known(key) && !isPluralBase) problem(`${where(m.index)}: literal "${key}" looks like a key but is not in the dictionaries`);
  }
}

// ---- Report ----

if (problems.length > 0) {
  console.error(`i18n check failed: ${problems.length} problem(s)`);
  for (const text of problems) console.error(`  - ${text}`);
  process.exit(1);
}
console.log(
  `i18n check passed: ${allKeys.size} keys in zh-CN and en, ` +
    `${usedCount} uses in ${htmlFiles.length} HTML and ${jsFiles.length} JS files`,
);

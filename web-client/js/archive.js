// The archive: archived dossiers found by number, party name, dispute type, registration date
// and outcome (GET /api/dossiers); each links to its case page, which shows the dossier.

import { initI18n, plural } from './i18n.js';
import { api } from './api.js';
import { showMessage } from './forms.js';
import { DISPUTE_TYPES, addOptions, errorMessage, setLabel, signedInStaff } from './staff.js';
import './staff-bar.js';

initI18n();

const $ = (id) => document.getElementById(id);
const form = $('archive-form');
const status = $('archive-status');
const list = $('archive-list');
addOptions($('archive-type'), 'dispute_type.', DISPUTE_TYPES);

function item(found) {
  const row = document.createElement('li');
  row.dataset.case = found.id;
  const link = document.createElement('a');
  link.href = `/case?id=${encodeURIComponent(found.id)}`;
  link.textContent = found.number;
  const type = document.createElement('span');
  type.className = 'muted small';
  setLabel(type, 'dispute_type.', found.dispute_type);
  row.append(link, ' ', type);
  return row;
}

async function search() {
  const params = new URLSearchParams();
  for (const control of form.querySelectorAll('input, select')) {
    if (control.value.trim()) params.set(control.name, control.value.trim());
  }
  try {
    const found = await api.get(`/api/dossiers?${params}`);
    list.replaceChildren(...found.map(item));
    if (found.length === 0) showMessage(status, 'archive.none', 'info');
    else showMessage(status, plural('archive.found', found.length), 'info');
  } catch (err) {
    showMessage(status, errorMessage(err), 'error');
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  search();
});

signedInStaff()
  .then((me) => me && search())
  .catch((err) => showMessage(status, errorMessage(err), 'error'));


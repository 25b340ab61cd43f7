// The dossier (卷宗) card of the case page: each numbered item, whether it is required, and
// whether the record holds it; and the dossier as one file for the archive.

import { getLanguage, onLanguageChange, setI18n } from './i18n.js';
import { api } from './api.js';

function el(tag, className, key, params) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (key) setI18n(node, key, params);
  return node;
}

export function initDossier(page) {
  const list = document.getElementById('case-dossier-list');
  const summary = document.getElementById('case-dossier-summary');
  const exportLink = document.getElementById('case-dossier-export');
  let last = null;

  function render() {
    if (!last) return;
    const zh = getLanguage() === 'zh-CN';
    list.replaceChildren(...last.items.map((item) => {
      const row = el('li', item.present ? 'is-present' : 'is-missing');
      row.dataset.item = String(item.number);
      const title = el('span');
      title.textContent = `${item.number}. ${zh ? item.title_zh : item.title_en}`;
      row.append(title, ' ');
      row.append(el('span', 'muted small', item.present ? 'dossier.present' : 'dossier.absent'));
      if (item.required) row.append(' ', el('span', 'badge', 'dossier.required'));
      return row;
    }));
    setI18n(summary, last.complete ? 'dossier.complete' : 'dossier.incomplete', {
      items: last.missing.join(zh ? '、' : ', '),
    });
  }

  async function reload() {
    last = await api.get(page.caseUrl('/dossier'));
    exportLink.href = page.caseUrl('/dossier/export');
    render();
  }

  onLanguageChange(render);
  return { reload };
}

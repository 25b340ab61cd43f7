// Drawing figures (报表): totals as tiles, groups as horizontal bars (accepted, with the
// successful share drawn inside). Shared by the committee's page and the supervisors' page.

import { setI18n } from './i18n.js';
import { setLabel } from './staff.js';

export function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

/** The period a report page opens with: 1 January to today. */
export function thisYear(from, to) {
  const today = new Date();
  from.value = isoDay(new Date(Date.UTC(today.getFullYear(), 0, 1)));
  to.value = isoDay(today);
}

export function percent(rate) {
  return rate == null ? '—' : `${(rate * 100).toFixed(1)}%`;
}

function total(key, value) {
  const wrap = document.createElement('div');
  const term = document.createElement('dt');
  setI18n(term, key);
  const detail = document.createElement('dd');
  detail.textContent = value;
  wrap.append(term, detail);
  return wrap;
}

/** Fills a `<dl>` with a report's totals. */
export function totals(list, figures) {
  list.replaceChildren(
    total('stats.accepted', String(figures.accepted)),
    total('stats.successful', String(figures.successful)),
    total('stats.terminated', String(figures.terminated)),
    total('stats.difficult', String(figures.difficult)),
    total('stats.confirmed', String(figures.judicially_confirmed)),
    total('stats.success_rate', percent(figures.success_rate)),
    total('stats.amount', (figures.amount_fen / 100).toFixed(2)),
    total('stats.performance_rate', percent(figures.performance_rate)),
    total('stats.prevented_criminal', String(figures.prevented_criminal)),
    total('stats.prevented_mass_petition', String(figures.prevented_mass_petition)),
    total('stats.screening_rounds', String(figures.screening_rounds)),
    total('stats.disputes_found', String(figures.disputes_found)),
  );
}

/**
 * One bar per group. `groups` is a list of `{ code, counts, name }`: a group is labelled
 * `prefix + code` from the dictionaries, or by its `name` as it is (a committee's name).
 */
export function bars(container, groups, prefix = '') {
  const most = Math.max(1, ...groups.map((g) => g.counts.accepted));
  container.replaceChildren(...groups.map(({ code, counts, name }) => {
    const row = document.createElement('div');
    row.className = 'stats-bar';
    row.dataset.code = code;
    const label = document.createElement('span');
    label.className = 'stats-bar-name';
    if (name == null) setLabel(label, prefix, code);
    else label.textContent = name;
    const track = document.createElement('span');
    track.className = 'stats-bar-track';
    const accepted = document.createElement('span');
    accepted.className = 'stats-bar-accepted';
    accepted.style.width = `${(counts.accepted / most) * 100}%`;
    const successful = document.createElement('span');
    successful.className = 'stats-bar-successful';
    successful.style.width = `${counts.accepted ? (counts.successful / counts.accepted) * 100 : 0}%`;
    accepted.append(successful);
    track.append(accepted);
    const figure = document.createElement('span');
    figure.className = 'stats-bar-figure';
    setI18n(figure, 'stats.bar_figure', { accepted: counts.accepted, successful: counts.successful });
    row.append(label, track, figure);
    return row;
  }));
}

/** `{ code: counts }` as the list `bars` takes. */
export function groupsOf(byCode) {
  return Object.entries(byCode).map(([code, counts]) => ({ code, counts }));
}

// <accord-staff-bar current="cases|archive|users|statistics">: the console's navigation under
// the site header, with who is signed in (name, role, committee) and the
// logout button. Light DOM, so app.css and console.css style it. The page sets
// `bar.user` once it knows the staff member (staff.js does).

import { setI18n } from './i18n.js';
import { api } from './api.js';
import { describeError } from './errors.js';
import { clearMessage, setBusy, showMessage } from './forms.js';
import { setI18nAttr, setLabel } from './staff.js';

const LINKS = [
  { id: 'cases', href: '/console', key: 'console.nav_cases', adminOnly: false },
  { id: 'archive', href: '/archive', key: 'console.nav_archive', adminOnly: false },
  { id: 'users', href: '/users', key: 'console.nav_users', adminOnly: true },
  { id: 'statistics', href: '/statistics', key: 'console.nav_statistics', adminOnly: true },
];

class StaffBar extends HTMLElement {
  connectedCallback() {
    if (this.built) return;
    this.built = true;
    const nav = document.createElement('nav');
    nav.className = 'staff-bar';
    setI18nAttr(nav, 'aria-label', 'console.nav_label');
    const inner = document.createElement('div');
    inner.className = 'staff-bar-inner';

    const list = document.createElement('ul');
    list.className = 'staff-nav';
    this.adminItems = [];
    const current = this.getAttribute('current');
    for (const link of LINKS) {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = link.href;
      a.id = `staff-nav-${link.id}`;
      setI18n(a, link.key);
      if (link.id === current) {
        a.classList.add('is-current');
        if (window.location.pathname === link.href) a.setAttribute('aria-current', 'page');
      }
      li.append(a);
      if (link.adminOnly) {
        li.hidden = true;
        this.adminItems.push(li);
      }
      list.append(li);
    }

    const who = document.createElement('div');
    who.className = 'staff-user';
    this.nameEl = document.createElement('span');
    this.nameEl.className = 'staff-user-name';
    this.roleEl = document.createElement('span');
    this.roleEl.className = 'staff-user-role';
    this.logoutButton = document.createElement('button');
    this.logoutButton.type = 'button';
    this.logoutButton.id = 'staff-logout';
    this.logoutButton.className = 'button compact';
    setI18n(this.logoutButton, 'console.logout');
    this.logoutButton.addEventListener('click', () => this.logout());
    who.append(this.nameEl, this.roleEl, this.logoutButton);

    this.status = document.createElement('div');
    this.status.className = 'live staff-bar-status';
    this.status.setAttribute('aria-live', 'polite');

    inner.append(list, who);
    nav.append(inner, this.status);
    this.replaceChildren(nav);
  }

  set user(user) {
    this.connectedCallback();
    this.nameEl.textContent = user.display_name || user.username || '';
    setLabel(this.roleEl, 'staff_role.', user.role);
    for (const li of this.adminItems) li.hidden = user.role !== 'admin';
  }

  async logout() {
    clearMessage(this.status);
    setBusy(this.logoutButton, true, 'console.logging_out');
    try {
      await api.post('/api/auth/logout', {});
    } catch (err) {
      if (err.status !== 401) {
        setBusy(this.logoutButton, false);
        const message = describeError(err);
        showMessage(this.status, message.key === 'error.generic' ? 'console.logout_failed' : message, 'error');
        this.logoutButton.focus();
        return;
      }
      // 401: the session had already ended; nothing left to log out of.
    }
    window.location.replace('/login');
  }
}

customElements.define('accord-staff-bar', StaffBar);

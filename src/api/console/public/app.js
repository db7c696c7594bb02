// The console: who is logged in, and which page the address shows (#/calls, #/calls/<id>, #/admin).
import { api, handleUnauthorized, setCsrfToken } from './api.js';
import { h, render, toast } from './dom.js';
import { showAdmin } from './views/admin.js';
import { showCallDetail } from './views/call-detail.js';
import { showCallsList } from './views/calls-list.js';
import { showLogin } from './views/login.js';

const state = { me: null };

function setSession(me) {
  state.me = me;
  setCsrfToken(me?.csrfToken ?? null);
  const topbar = document.getElementById('topbar');
  topbar.hidden = !me;
  document.getElementById('whoami-label').textContent = me
    ? `${me.user.label} · ${me.user.role}`
    : '';
  document.querySelector('[data-nav="admin"]').hidden = !me?.permissions.viewAudit;
}

function parseHash() {
  const [path, query = ''] = window.location.hash.replace(/^#/, '').split('?');
  return { parts: path.split('/').filter(Boolean), params: new URLSearchParams(query) };
}

function markNav(section) {
  for (const link of document.querySelectorAll('[data-nav]')) {
    if (link.dataset.nav === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

async function route() {
  if (!state.me) return showLogin({ onLoggedIn });
  const { parts, params } = parseHash();
  const context = { me: state.me, params };
  try {
    if (parts[0] === 'calls' && parts[1]) {
      markNav('calls');
      return await showCallDetail(decodeURIComponent(parts[1]), context);
    }
    if (parts[0] === 'admin' && state.me.permissions.viewAudit) {
      markNav('admin');
      return await showAdmin(context);
    }
    markNav('calls');
    return await showCallsList(context);
  } catch (error) {
    if (error.status === 401) return undefined;
    render(h('h1', {}, 'Something went wrong'), h('p', { class: 'error' }, error.message));
    return undefined;
  }
}

function onLoggedIn(me) {
  setSession(me);
  if (!window.location.hash || window.location.hash === '#/login') window.location.hash = '#/calls';
  else route();
}

async function logout() {
  try {
    await api('/api/auth/logout', { method: 'POST' });
  } catch {
    // Already logged out (expired): the login page is where we want to be anyway.
  }
  setSession(null);
  window.location.hash = '#/login';
  toast('Logged out.');
  route();
}

handleUnauthorized(() => {
  if (!state.me) return;
  setSession(null);
  toast('Your session ended. Please log in again.');
  route();
});

async function start() {
  document.getElementById('logout').addEventListener('click', logout);
  window.addEventListener('hashchange', route);
  try {
    setSession(await api('/api/auth/me'));
  } catch {
    setSession(null);
  }
  route();
}

start();

import { api } from '../api.js';
import { h, render, toast } from '../dom.js';
import { formatDateTime, humanize } from '../format.js';
import { AUDIT_ACTIONS, ROLES } from '../vocabulary.js';

function roleSelect(id, value) {
  return h(
    'select',
    { id, name: 'role' },
    ROLES.map((r) => h('option', { value: r, selected: r === value }, humanize(r))),
  );
}

async function auditSection(params) {
  const action = params.get('action') ?? '';
  const cursors = (params.get('pages') ?? '').split(',').filter(Boolean);
  const page = await api('/api/audit', { query: { action, limit: 50, cursor: cursors.at(-1) } });
  const hash = (next) => {
    const q = new URLSearchParams();
    if (action) q.set('action', action);
    if (next.length) q.set('pages', next.join(','));
    return `#/admin${q.size ? `?${q}` : ''}`;
  };
  const filter = h(
    'select',
    { id: 'audit-action', name: 'action' },
    h('option', { value: '' }, 'All actions'),
    AUDIT_ACTIONS.map((a) => h('option', { value: a, selected: a === action }, a)),
  );
  filter.addEventListener('change', () => {
    const q = new URLSearchParams();
    if (filter.value) q.set('action', filter.value);
    window.location.hash = `#/admin${q.size ? `?${q}` : ''}`;
  });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'audit-title' },
    h('h2', { id: 'audit-title' }, 'Audit log'),
    h('div', { class: 'field inline' }, h('label', { for: 'audit-action' }, 'Action'), filter),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'audit' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Time', 'Action', 'Who', 'Target', 'Address'].map((c) => h('th', { scope: 'col' }, c)),
          ),
        ),
        h(
          'tbody',
          {},
          page.items.map((e) =>
            h(
              'tr',
              {},
              h('td', { 'data-label': 'Time' }, formatDateTime(e.at)),
              h(
                'td',
                { 'data-label': 'Action', class: 'mono' },
                e.action,
                e.details?.reason ? ` (${e.details.reason})` : '',
              ),
              h('td', { 'data-label': 'Who' }, e.actor.label ?? e.actor.type),
              h(
                'td',
                { 'data-label': 'Target', class: 'mono' },
                e.target ? `${e.target.type} ${e.target.id}` : '—',
              ),
              h('td', { 'data-label': 'Address', class: 'mono' }, e.ip ?? '—'),
            ),
          ),
        ),
      ),
    ),
    h(
      'nav',
      { class: 'pager', 'aria-label': 'Audit pages' },
      cursors.length
        ? h('a', { class: 'button-quiet', href: hash(cursors.slice(0, -1)) }, '← Newer')
        : null,
      page.nextCursor
        ? h('a', { class: 'button-quiet', href: hash([...cursors, page.nextCursor]) }, 'Older →')
        : null,
    ),
  );
}

async function usersSection(me, refresh) {
  const { items } = await api('/api/users');
  const rows = items.map((user) => {
    const role = roleSelect(`role-${user.id}`, user.role);
    role.setAttribute('aria-label', `Role of ${user.email}`);
    role.addEventListener('change', async () => {
      try {
        await api(`/api/users/${user.id}`, { method: 'PATCH', body: { role: role.value } });
        toast(`${user.email} is now ${role.value}.`);
      } catch (error) {
        toast(error.message);
        role.value = user.role;
      }
    });
    const toggle = h(
      'button',
      { type: 'button', class: 'button-quiet' },
      user.disabled ? 'Enable' : 'Disable',
    );
    toggle.addEventListener('click', async () => {
      try {
        await api(`/api/users/${user.id}`, { method: 'PATCH', body: { disabled: !user.disabled } });
        refresh();
      } catch (error) {
        toast(error.message);
      }
    });
    return h(
      'tr',
      {},
      h('td', { 'data-label': 'Email' }, user.email, user.id === me.user.id ? ' (you)' : ''),
      h('td', { 'data-label': 'Role' }, role),
      h('td', { 'data-label': 'Status' }, user.disabled ? 'Disabled' : 'Active'),
      h('td', { 'data-label': 'Last login' }, formatDateTime(user.lastLoginAt)),
      h('td', {}, toggle),
    );
  });
  const form = h(
    'form',
    { class: 'inline-form', 'aria-label': 'Add a user' },
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'new-email' }, 'Email'),
      h('input', {
        id: 'new-email',
        name: 'email',
        type: 'email',
        required: true,
        autocomplete: 'off',
      }),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'new-password' }, 'Password (12+ characters)'),
      h('input', {
        id: 'new-password',
        name: 'password',
        type: 'password',
        minlength: 12,
        required: true,
        autocomplete: 'new-password',
      }),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'new-role' }, 'Role'),
      roleSelect('new-role', 'viewer'),
    ),
    h('button', { type: 'submit' }, 'Add user'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    try {
      await api('/api/users', { method: 'POST', body: Object.fromEntries(data) });
      toast(`Added ${data.get('email')}.`);
      refresh();
    } catch (error) {
      toast(error.message);
    }
  });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'users-title' },
    h('h2', { id: 'users-title' }, 'Users'),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Email', 'Role', 'Status', 'Last login', ''].map((c) => h('th', { scope: 'col' }, c)),
          ),
        ),
        h('tbody', {}, rows),
      ),
    ),
    form,
  );
}

async function tokensSection(refresh) {
  const { items } = await api('/api/tokens');
  const shown = h('div', { class: 'token-once', role: 'status', 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'inline-form', 'aria-label': 'Create an API token' },
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'token-name' }, 'Name'),
      h('input', {
        id: 'token-name',
        name: 'name',
        required: true,
        maxlength: 100,
        autocomplete: 'off',
      }),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'token-role' }, 'Role'),
      roleSelect('token-role', 'viewer'),
    ),
    h('button', { type: 'submit' }, 'Create token'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const created = await api('/api/tokens', {
        method: 'POST',
        body: Object.fromEntries(new FormData(form)),
      });
      shown.replaceChildren(
        h('p', {}, 'Copy this token now; it is not shown again:'),
        h('code', { class: 'mono secret' }, created.token),
      );
    } catch (error) {
      toast(error.message);
    }
  });
  const rows = items.map((t) => {
    const revoke = t.revokedAt
      ? null
      : h('button', { type: 'button', class: 'button-quiet' }, 'Revoke');
    revoke?.addEventListener('click', async () => {
      if (!window.confirm(`Revoke the token "${t.name}"? Clients using it stop working.`)) return;
      await api(`/api/tokens/${t.id}`, { method: 'DELETE' }).catch((e) => toast(e.message));
      refresh();
    });
    return h(
      'tr',
      {},
      h('td', { 'data-label': 'Name' }, t.name),
      h('td', { 'data-label': 'Role' }, humanize(t.role)),
      h('td', { 'data-label': 'Token', class: 'mono' }, `${t.prefix}…`),
      h(
        'td',
        { 'data-label': 'Last used' },
        t.revokedAt ? `Revoked ${formatDateTime(t.revokedAt)}` : formatDateTime(t.lastUsedAt),
      ),
      h('td', {}, revoke),
    );
  });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'tokens-title' },
    h('h2', { id: 'tokens-title' }, 'API tokens'),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Name', 'Role', 'Token', 'Last used', ''].map((c) => h('th', { scope: 'col' }, c)),
          ),
        ),
        h('tbody', {}, rows),
      ),
    ),
    form,
    shown,
  );
}

/** Admins: the audit log, users and API tokens. */
export async function showAdmin({ me, params }) {
  const refresh = () => showAdmin({ me, params });
  const [audit, users, tokens] = await Promise.all([
    auditSection(params),
    usersSection(me, refresh),
    tokensSection(refresh),
  ]);
  render(h('h1', {}, 'Admin'), audit, users, tokens);
}

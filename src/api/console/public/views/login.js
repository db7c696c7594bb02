import { api, ApiError } from '../api.js';
import { h, render } from '../dom.js';

/** The login form; calls `onLoggedIn(me)` with the session's user, permissions and CSRF token. */
export function showLogin({ onLoggedIn }) {
  const error = h('p', { class: 'error', role: 'alert', id: 'login-error' });
  const email = h('input', {
    id: 'email',
    name: 'email',
    type: 'email',
    autocomplete: 'username',
    required: true,
  });
  const password = h('input', {
    id: 'password',
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const submit = h('button', { type: 'submit' }, 'Log in');
  const form = h(
    'form',
    { class: 'login card', 'aria-describedby': 'login-error' },
    h('h1', {}, 'Staff console'),
    h('p', { class: 'muted' }, 'Review calls and listen to recordings.'),
    h('label', { for: 'email' }, 'Email'),
    email,
    h('label', { for: 'password' }, 'Password'),
    password,
    error,
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    submit.disabled = true;
    try {
      const me = await api('/api/auth/login', {
        method: 'POST',
        body: { email: email.value, password: password.value },
      });
      onLoggedIn(me);
    } catch (e) {
      error.textContent =
        e instanceof ApiError && e.status === 401 ? 'Wrong email or password.' : e.message;
      password.select();
    } finally {
      submit.disabled = false;
    }
  });
  render(h('div', { class: 'login-page' }, form));
  email.focus();
}

// Talks to the API with the session cookie; state-changing requests carry the CSRF token.

/** Raised for a non-2xx answer; `status` and the API's message are kept. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

let csrfToken = null;
let onUnauthorized = () => {};

/** Remembers the CSRF token from login or /api/auth/me. */
export function setCsrfToken(token) {
  csrfToken = token;
}

/** What to do when the session is gone (401): the app shows the login page. */
export function handleUnauthorized(callback) {
  onUnauthorized = callback;
}

/** Fetches JSON from the API; throws ApiError on failure. */
export async function api(path, { method = 'GET', body, query } = {}) {
  const url = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, value);
  }
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (response.status === 204) return null;
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    if (response.status === 401 && !path.endsWith('/auth/login')) onUnauthorized();
    throw new ApiError(response.status, data.message ?? response.statusText);
  }
  return data;
}

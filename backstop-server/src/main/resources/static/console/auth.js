// The session: an access token in sessionStorage (gone when the tab closes), never the secret.
// The token's claims are decoded only to decide what to show; the server authorizes every call.

const TOKEN_KEY = 'backstop.console.token';
const FLASH_KEY = 'backstop.console.flash';

/** Exchanges client credentials for a token (OAuth 2 client credentials, form-encoded). */
export async function signIn(clientId, clientSecret) {
  let response;
  try {
    response = await fetch('/oauth/token', {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
      cache: 'no-store',
    });
  } catch (e) {
    throw new Error(`Backstop could not be reached (${e.message}).`);
  }
  const body = await response.json().catch(() => ({}));
  if (response.status === 401 || response.status === 400) {
    throw new Error('Sign-in failed: unknown client id or wrong secret.');
  }
  if (!response.ok || typeof body.access_token !== 'string') {
    throw new Error(`Sign-in failed (HTTP ${response.status}).`);
  }
  sessionStorage.setItem(TOKEN_KEY, body.access_token);
}

export function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  if (message) sessionStorage.setItem(FLASH_KEY, message);
}

/** The token as stored, expired or not (to tell whether a 401 is about the current session). */
export function storedToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** The token, or null when there is none or it has expired. */
export function token() {
  const value = sessionStorage.getItem(TOKEN_KEY);
  if (!value) return null;
  const payload = claimsOf(value);
  if (!payload || (typeof payload.exp === 'number' && payload.exp * 1000 <= Date.now())) {
    signOut('Your session has expired. Sign in again.');
    return null;
  }
  return value;
}

/** The message left for the sign-in page (why the session ended), read once. */
export function takeFlash() {
  const message = sessionStorage.getItem(FLASH_KEY);
  sessionStorage.removeItem(FLASH_KEY);
  return message;
}

/** The JWT payload: sub (client id), permissions, org, exp. */
export function claimsOf(jwt) {
  try {
    const part = jwt.split('.')[1];
    const base64 = part.replaceAll('-', '+').replaceAll('_', '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}

export function claims() {
  const value = token();
  return value ? claimsOf(value) : null;
}

export function permissions() {
  const payload = claims();
  return Array.isArray(payload?.permissions) ? payload.permissions : [];
}

export function isAdmin() {
  return permissions().includes('admin');
}

/** Whether to offer an action needing this permission (the operator's admin has them all). */
export function may(permission) {
  const granted = permissions();
  return granted.includes('admin') || granted.includes(permission);
}

// Backstop's API, as documented (shared/docs/product.md): JSON, errors as problem+json.
import { signOut, storedToken, token } from './auth.js';

/** An answer other than 2xx: status, the problem's title/detail/errors, Retry-After in seconds. */
export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.title = problem?.title ?? null;
    this.detail = problem?.detail ?? null;
    this.fieldErrors = Array.isArray(problem?.errors) ? problem.errors : [];
    this.retryAfter = retryAfter;
  }

  /** The problem's detail (or title) with its status, for people. */
  describe() {
    const what = this.detail || this.title || 'The request failed.';
    return this.status ? `${what} (HTTP ${this.status})` : what;
  }
}

/** Raised after a 401: the session is over, the console is on its way to the sign-in page. */
export class SessionEnded extends ApiError {}

/** Calls the API with the session's token. body: an object sent as JSON, or undefined for none. */
export async function call(method, path, body, { signal } = {}) {
  const bearer = token();
  if (!bearer) {
    // No session, or it expired (token() then left the sign-in page a message): sign in first.
    window.location.hash = '#/signin';
    throw new SessionEnded(401, { title: 'Unauthenticated', detail: 'Sign in first.' });
  }
  const headers = { Accept: 'application/json, application/problem+json', Authorization: `Bearer ${bearer}` };
  const init = { method, headers, cache: 'no-store', signal };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, { title: 'Network error', detail: `Backstop could not be reached (${e.message}).` });
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (response.status === 401) {
    // Several requests may be refused at once: the first ends the session, the others find it ended.
    if (storedToken() === bearer) {
      signOut('Your session ended: Backstop no longer accepts its token (HTTP 401). Sign in again.');
      window.location.hash = '#/signin';
    }
    throw new SessionEnded(401, data);
  }
  if (!response.ok) {
    const retryAfter = response.headers.get('Retry-After');
    throw new ApiError(response.status, data, retryAfter === null ? null : Number(retryAfter));
  }
  return data;
}

export const get = (path, options) => call('GET', path, undefined, options);
export const post = (path, body, options) => call('POST', path, body, options);
export const put = (path, body, options) => call('PUT', path, body, options);
export const del = (path, options) => call('DELETE', path, undefined, options);

/** GET that answers null on 404 (e.g. a cluster without a schedule). */
export async function getOrNull(path, options) {
  try {
    return await get(path, options);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

/** Path segment encoding for ids taken from the URL or the server. */
export const seg = value => encodeURIComponent(String(value));

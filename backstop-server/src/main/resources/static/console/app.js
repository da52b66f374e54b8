// The console's shell: hash routes (deep links work with any static hosting), the navigation, the
// session, and the lifetime of each view's timers and requests.
import { claims, isAdmin, may, signOut, token } from './auth.js';
import { h, replace } from './dom.js';
import { refreshTimes } from './format.js';
import { renderSignIn } from './views/signin.js';
import { renderOverview } from './views/overview.js';
import { renderCluster } from './views/cluster.js';
import { renderAudit } from './views/audit.js';
import { renderAdmin } from './views/admin.js';

const routes = [
  { pattern: /^\/signin$/, view: renderSignIn, public: true },
  { pattern: /^\/(clusters)?$/, view: renderOverview, nav: 'clusters' },
  { pattern: /^\/clusters\/([^/]+)$/, view: renderCluster, nav: 'clusters' },
  { pattern: /^\/clusters\/([^/]+)\/restores\/([^/]+)$/, view: renderCluster, nav: 'clusters' },
  { pattern: /^\/audit$/, view: renderAudit, nav: 'audit' },
  { pattern: /^\/admin$/, view: renderAdmin, nav: 'admin', admin: true },
];

/**
 * What a view is given to live by: timers and requests registered here end when the view is left,
 * so a poll never outlives its page.
 */
class ViewScope {
  constructor() {
    this.active = true;
    this.timers = new Set();
    this.controller = new AbortController();
    this.cleanups = [];
  }

  get signal() {
    return this.controller.signal;
  }

  /** Runs fn every ms milliseconds while the view is shown. */
  every(ms, fn) {
    const id = setInterval(() => this.active && fn(), ms);
    this.timers.add(id);
    return () => {
      clearInterval(id);
      this.timers.delete(id);
    };
  }

  /** Runs fn once after ms milliseconds, unless the view was left. */
  after(ms, fn) {
    const id = setTimeout(() => {
      this.timers.delete(id);
      if (this.active) fn();
    }, ms);
    this.timers.add(id);
    return () => {
      clearTimeout(id);
      this.timers.delete(id);
    };
  }

  onLeave(fn) {
    this.cleanups.push(fn);
  }

  leave() {
    this.active = false;
    for (const id of this.timers) {
      clearInterval(id);
      clearTimeout(id);
    }
    this.timers.clear();
    this.controller.abort();
    this.cleanups.forEach(fn => fn());
  }
}

let scope = null;

function currentPath() {
  const hash = window.location.hash;
  return hash.startsWith('#/') ? hash.slice(1) : '/';
}

function renderNav(active) {
  const nav = document.getElementById('nav');
  const session = document.getElementById('session');
  const signedIn = token() !== null;
  if (!signedIn) {
    nav.replaceChildren();
    session.replaceChildren();
    return;
  }
  const link = (href, text, name) => h('li', {}, h('a', { href, text, 'aria-current': active === name ? 'page' : null }));
  replace(nav, h('ul', {},
    link('#/clusters', 'Clusters', 'clusters'),
    may('audit:read') ? link('#/audit', 'Audit trail', 'audit') : null,
    isAdmin() ? link('#/admin', 'Administration', 'admin') : null));
  const signOutButton = h('button', { type: 'button', class: 'secondary', text: 'Sign out' });
  signOutButton.addEventListener('click', () => {
    signOut('You signed out.');
    window.location.hash = '#/signin';
  });
  replace(session, h('span', {}, 'Signed in as ', h('strong', { class: 'mono', text: claims()?.sub ?? '?' })), signOutButton);
}

async function route() {
  scope?.leave();
  scope = new ViewScope();
  const path = currentPath();
  const main = document.getElementById('main');
  const match = routes.map(r => ({ route: r, groups: path.match(r.pattern) })).find(m => m.groups);
  if (!match) {
    renderNav(null);
    replace(main, h('h1', { tabindex: '-1', text: 'Page not found' }), h('p', {}, h('a', { href: '#/clusters', text: 'Back to the clusters' })));
    focusHeading(main, 'Page not found');
    return;
  }
  if (!match.route.public && token() === null) {
    window.location.hash = '#/signin';
    return;
  }
  if (match.route.public && token() !== null) {
    window.location.hash = '#/clusters';
    return;
  }
  renderNav(match.route.nav);
  main.replaceChildren();
  if (match.route.admin && !isAdmin()) {
    append403(main);
    return;
  }
  const params = match.groups.slice(1).map(p => (p === undefined ? undefined : decodeURIComponent(p)));
  const title = match.route.view(main, scope, ...params);
  focusHeading(main, title);
}

function append403(main) {
  main.append(h('h1', { tabindex: '-1', text: 'Not allowed' }), h('p', { text: 'This page is for the operator (permission admin).' }));
  focusHeading(main, 'Not allowed');
}

/** After a route change, focus goes to the page's heading and the title names the page. */
function focusHeading(main, title) {
  document.title = title ? `${title} · Backstop console` : 'Backstop console';
  const heading = main.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: false });
  }
}

document.querySelector('.skip-link')?.addEventListener('click', event => {
  event.preventDefault();
  document.getElementById('main').focus();
});
window.addEventListener('hashchange', route);
setInterval(() => refreshTimes(), 5_000);
route();

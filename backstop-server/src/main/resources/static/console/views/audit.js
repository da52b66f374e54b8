// The audit trail: who did what, when, to which cluster, backup or restore (GET /audit).
import { ApiError, get } from '../api.js';
import { alertBox, badge, field, h, replace, showError } from '../dom.js';
import { timeElement } from '../format.js';

export function renderAudit(main, scope) {
  const cluster = h('select', { id: 'audit-cluster', name: 'clusterId' }, h('option', { value: '', text: 'All clusters' }));
  const from = h('input', { type: 'datetime-local', id: 'audit-from', name: 'from' });
  const to = h('input', { type: 'datetime-local', id: 'audit-to', name: 'to' });
  const limit = h('input', { type: 'number', id: 'audit-limit', name: 'limit', min: '1', max: '500', props: { value: '50' } });
  const show = h('button', { type: 'submit', text: 'Show' });
  const form = h('form', { id: 'audit-form', class: 'row' },
    field('Cluster', cluster), field('From (your local time)', from), field('To (your local time)', to), field('Entries per page', limit),
    h('div', { class: 'actions' }, show));
  const error = alertBox();
  const status = h('p', { role: 'status', class: 'muted' });
  const results = h('div', { id: 'audit-results' });
  const more = h('button', { type: 'button', class: 'secondary', id: 'audit-more', text: 'Load more', hidden: true });
  main.append(
    h('h1', { text: 'Audit trail' }),
    h('p', { class: 'lead', text: 'Every backup, restore, schedule and administration action, newest first, with who did it and how it ended.' }),
    form, error, status, results, more);

  const names = new Map();
  get('/clusters', { signal: scope.signal })
    .then(clusters => {
      for (const c of clusters) {
        names.set(c.uuid, c.name);
        cluster.append(h('option', { value: c.uuid, text: c.name }));
      }
    })
    .catch(() => { /* the filter then offers all clusters only */ });

  let cursor = null;
  let rows = null;

  const query = () => {
    const params = new URLSearchParams();
    if (cluster.value) params.set('clusterId', cluster.value);
    if (from.value) params.set('from', new Date(from.value).toISOString());
    if (to.value) params.set('to', new Date(to.value).toISOString());
    if (limit.value) params.set('limit', limit.value);
    if (cursor) params.set('cursor', cursor);
    return `/audit?${params}`;
  };

  const load = async append => {
    showError(error, null);
    if (!append) cursor = null;
    status.textContent = 'Loading…';
    try {
      const page = await get(query(), { signal: scope.signal });
      const items = Array.isArray(page?.items) ? page.items : [];
      if (!append || !rows) {
        rows = h('tbody');
        replace(results, h('div', { class: 'table-wrap' }, h('table', { id: 'audit-table' },
          h('caption', { text: 'Audit entries, newest first' }),
          h('thead', {}, h('tr', {}, ['When', 'Actor', 'Action', 'Cluster', 'Backup', 'Restore', 'Outcome', 'Detail'].map(t => h('th', { scope: 'col', text: t })))),
          rows)));
      }
      rows.append(...items.map(item => entry(item, names)));
      cursor = page?.nextCursor ?? null;
      more.hidden = !cursor;
      const shown = rows.children.length;
      status.textContent = shown === 0 ? 'No entries match.' : `${shown} entr${shown === 1 ? 'y' : 'ies'} shown${cursor ? '; more are available' : ''}.`;
    } catch (e) {
      if (e.name === 'AbortError') return;
      status.textContent = '';
      more.hidden = true;
      if (e instanceof ApiError && e.status === 404) {
        replace(results, h('p', { id: 'audit-unavailable', class: 'message info', text: 'The audit trail is not available on this Backstop server yet (GET /audit answered 404).' }));
      } else {
        showError(error, e, 'The audit trail could not be loaded');
      }
    }
  };

  form.addEventListener('submit', event => {
    event.preventDefault();
    load(false);
  });
  more.addEventListener('click', () => load(true));
  load(false);
  return 'Audit trail';
}

function entry(item, names) {
  const clusterName = item.clusterId ? names.get(item.clusterId) ?? item.clusterId : null;
  return h('tr', {},
    h('td', { class: 'nowrap' }, timeElement(item.at)),
    h('td', { class: 'mono', text: item.actor ?? '' }),
    h('td', { text: item.action ?? '' }),
    h('td', {}, item.clusterId ? h('a', { href: `#/clusters/${encodeURIComponent(item.clusterId)}`, text: clusterName }) : '—'),
    h('td', { class: 'mono', text: item.backupId ?? '—' }),
    h('td', { class: 'mono' }, item.restoreId && item.clusterId
      ? h('a', { href: `#/clusters/${encodeURIComponent(item.clusterId)}/restores/${encodeURIComponent(item.restoreId)}`, text: item.restoreId })
      : '—'),
    h('td', {}, item.outcome ? badge(item.outcome, outcomeTone(item.outcome)) : '—'),
    h('td', { text: item.detail ?? '' }));
}

function outcomeTone(outcome) {
  const o = String(outcome).toUpperCase();
  if (['SUCCESS', 'SUCCEEDED', 'OK', 'COMPLETED', 'ACCEPTED'].includes(o)) return 'ok';
  if (['FAILURE', 'FAILED', 'ERROR'].includes(o)) return 'bad';
  if (['REJECTED', 'DENIED', 'REFUSED', 'SKIPPED'].includes(o)) return 'warn';
  return 'neutral';
}


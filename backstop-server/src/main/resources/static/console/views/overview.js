// The organization's clusters and their health at a glance.
import { ApiError, get, getOrNull, seg } from '../api.js';
import { alertBox, badge, h, keepingFocus, replace, showError } from '../dom.js';
import { secondsBetween, timeElement, words } from '../format.js';
import { describe as describeSchedule } from '../schedule.js';

const STALE_AFTER_SECONDS = 24 * 3600;
const ACTIVE_RESTORE = ['REQUESTED', 'RUNNING', 'WAITING'];

export function renderOverview(main, scope) {
  const error = alertBox();
  const status = h('p', { class: 'muted', role: 'status', text: 'Loading clusters…' });
  const body = h('div');
  const refresh = h('button', { type: 'button', class: 'secondary', text: 'Refresh' });
  main.append(
    h('h1', { text: 'Clusters' }),
    h('p', { class: 'lead', text: 'Every cluster of your organization: its last good backup, where its newest backup is kept, its schedule and what runs now. Clusters whose last completed backup is older than 24 hours, or that have none, are marked “Needs attention”.' }),
    h('div', { class: 'actions' }, refresh),
    error, status, body);

  let loading = false;
  let shown = null;
  const load = async () => {
    if (loading) return;
    loading = true;
    try {
      const clusters = await get('/clusters', { signal: scope.signal });
      const rows = await Promise.all(clusters.map(cluster => health(cluster, scope.signal)));
      showError(error, null);
      const text = JSON.stringify(rows.map(r => [r.cluster, r.backups.value, r.schedule.value, r.restores.value, r.backups.reason?.message, r.schedule.reason?.message, r.restores.reason?.message]));
      if (text !== shown) { // re-rendered only when something changed
        shown = text;
        keepingFocus(body, () => replace(body, table(rows)));
      }
      status.textContent = `${clusters.length} cluster${clusters.length === 1 ? '' : 's'}, updated ${new Date().toLocaleTimeString()}.`;
    } catch (e) {
      if (e.name !== 'AbortError') showError(error, e, 'The clusters could not be loaded');
    } finally {
      loading = false;
    }
  };
  refresh.addEventListener('click', load);
  load();
  scope.every(10_000, load);
  return 'Clusters';
}

/** Everything the row shows; parts the caller may not read are shown as such, not as failures of the page. */
async function health(cluster, signal) {
  const base = `/clusters/${seg(cluster.uuid)}`;
  const settle = promise => promise.then(value => ({ value }), reason => ({ reason }));
  const [backups, schedule, restores] = await Promise.all([
    settle(get(`${base}/backups`, { signal })),
    settle(getOrNull(`${base}/backup-schedule`, { signal })),
    settle(get(`${base}/restores`, { signal })),
  ]);
  for (const part of [backups, schedule, restores]) {
    if (part.reason?.name === 'AbortError' || part.reason?.status === 401) throw part.reason;
  }
  return { cluster, backups, schedule, restores };
}

function table(rows) {
  if (rows.length === 0) {
    return h('p', { text: 'Your organization has no cluster registered yet (POST /clusters).' });
  }
  return h('div', { class: 'table-wrap' },
    h('table', { id: 'clusters-table' },
      h('caption', { text: 'Clusters and their backup health' }),
      h('thead', {}, h('tr', {},
        ['Cluster', 'Location', 'Last good backup', 'Newest backup’s replication', 'Schedule', 'Running now'].map(t => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, rows.map(row))));
}

function row({ cluster, backups, schedule, restores }) {
  const list = backups.value ?? [];
  // A completed backup that verification found damaged is no good backup.
  const lastGood = list.find(b => b.state === 'COMPLETED' && b.verification?.state !== 'DAMAGED');
  const stale = backups.value !== undefined && (!lastGood || secondsBetween(lastGood.completed ?? lastGood.created) > STALE_AFTER_SECONDS);
  const tr = h('tr', { class: stale ? 'attention' : null, 'data-cluster-id': cluster.uuid },
    h('th', { scope: 'row' },
      h('a', { href: `#/clusters/${encodeURIComponent(cluster.uuid)}`, 'data-key': `cluster-${cluster.uuid}`, text: cluster.name }),
      h('div', { class: 'muted', text: `Camunda ${cluster.generation}` })),
    h('td', {}, location(cluster)),
    h('td', { class: 'last-good' }, lastGoodCell(backups, lastGood, stale)),
    h('td', {}, replicationCell(cluster, backups)),
    h('td', {}, scheduleCell(schedule)),
    h('td', { class: 'running' }, runningCell(backups, restores)));
  return tr;
}

function location(cluster) {
  const type = cluster.backupLocation?.type;
  return type === 'DUAL_REGION'
    ? [h('span', { text: cluster.region }), ' → ', h('span', { text: cluster.backupLocation.secondaryRegion }), h('div', { class: 'muted', text: 'Dual region' })]
    : [h('span', { text: cluster.region }), h('div', { class: 'muted', text: 'Same region' })];
}

function unavailable(reason) {
  if (reason instanceof ApiError && reason.status === 403) return h('span', { class: 'muted', text: 'Not visible to this client' });
  return h('span', { class: 'muted', text: `Unavailable (${reason?.message ?? 'error'})` });
}

function lastGoodCell(backups, lastGood, stale) {
  if (backups.reason) return unavailable(backups.reason);
  const attention = stale ? h('div', {}, badge('Needs attention', 'warn')) : null;
  if (!lastGood) return [h('span', { text: 'No completed backup' }), attention];
  return [timeElement(lastGood.completed ?? lastGood.created), h('div', { class: 'muted', text: `Backup ${lastGood.backupId}` }), attention];
}

function replicationCell(cluster, backups) {
  if (backups.reason) return unavailable(backups.reason);
  const newest = backups.value.find(b => b.state !== 'DELETING');
  if (!newest) return h('span', { class: 'muted', text: '—' });
  const replication = newest.location?.replication;
  if (replication === 'NOT_REQUIRED' || !replication) return h('span', { class: 'muted', text: 'Not required (same region)' });
  return [badge(replication), h('div', { class: 'muted', text: `Backup ${newest.backupId} to ${newest.location.secondaryRegion}` })];
}

function scheduleCell(schedule) {
  if (schedule.reason) return unavailable(schedule.reason);
  if (!schedule.value) return h('span', { class: 'muted', text: 'No schedule' });
  const s = schedule.value;
  return [h('span', { text: describeSchedule(s) }), s.nextRunAt ? h('div', { class: 'muted' }, 'Next run ', timeElement(s.nextRunAt)) : null];
}

function runningCell(backups, restores) {
  const items = [];
  for (const b of backups.value ?? []) {
    if (b.state === 'IN_PROGRESS') items.push(h('li', {}, badge('IN_PROGRESS'), ` Backup ${b.backupId}`));
  }
  for (const r of restores.value ?? []) {
    if (ACTIVE_RESTORE.includes(r.state)) items.push(h('li', {}, badge(r.state), ` Restore of backup ${r.backupId}: ${words(r.phase)}`));
  }
  if (restores.reason && !(restores.reason instanceof ApiError && restores.reason.status === 403)) items.push(h('li', {}, unavailable(restores.reason)));
  return items.length ? h('ul', {}, items) : h('span', { class: 'muted', text: 'Nothing' });
}

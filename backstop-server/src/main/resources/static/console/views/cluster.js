// One cluster: its backups (with a running backup's live progress), restores and schedule.
import { ApiError, del, get, post, seg } from '../api.js';
import { may } from '../auth.js';
import { alertBox, announce, badge, confirmDialog, field, h, keepingFocus, replace, showError } from '../dom.js';
import { bytes, exactDuration, roughDuration, secondsBetween, timeElement, words } from '../format.js';
import { restoresSection } from './restores.js';
import { scheduleSection } from './schedule-editor.js';

/** The procedure's order: the web apps together, then the exported records, then Zeebe. */
const COMPONENT_ORDER = ['OPERATE', 'TASKLIST', 'OPTIMIZE', 'ZEEBE_RECORDS', 'ZEEBE'];
const COMPONENT_NAMES = {
  OPERATE: 'Operate', TASKLIST: 'Tasklist', OPTIMIZE: 'Optimize', ZEEBE_RECORDS: 'Exported records', ZEEBE: 'Zeebe',
};

export function renderCluster(main, scope, clusterId, restoreId) {
  const base = `/clusters/${seg(clusterId)}`;
  const heading = h('h1', { text: 'Cluster' });
  const pageError = alertBox();
  const facts = h('div');
  main.append(h('p', {}, h('a', { href: '#/clusters', text: '← All clusters' })), heading, pageError, facts);

  get(base, { signal: scope.signal })
    .then(cluster => {
      heading.textContent = cluster.name;
      document.title = `${cluster.name} · Backstop console`;
      replace(facts, clusterFacts(cluster));
      const context = { cluster, clusterId, base, scope, backups: [] };
      const restores = restoresSection(context, restoreId);
      main.append(backupsSection(context), restores.element, scheduleSection(context));
      if (restoreId) restores.focusDetail();
    })
    .catch(e => {
      if (e.name === 'AbortError') return;
      if (e instanceof ApiError && e.status === 404) heading.textContent = 'Cluster not found';
      showError(pageError, e, 'The cluster could not be loaded');
    });
  return 'Cluster';
}

function clusterFacts(cluster) {
  const location = cluster.backupLocation?.type === 'DUAL_REGION'
    ? `${cluster.region}, copied to ${cluster.backupLocation.secondaryRegion} (dual region)`
    : `${cluster.region} (same region)`;
  const components = Object.keys(cluster.components ?? {}).filter(c => c !== 'search').map(words).join(', ');
  return h('dl', { class: 'facts' },
    h('dt', { text: 'Camunda' }), h('dd', { text: cluster.generation }),
    h('dt', { text: 'Backups kept in' }), h('dd', { text: location }),
    h('dt', { text: 'Components' }), h('dd', { text: `${components}; search engine at ${cluster.components?.search?.url ?? '?'}` }),
    h('dt', { text: 'Restores run' }), h('dd', { text: cluster.runtime?.type === 'LOCAL_PROCESS' ? 'by Backstop (local processes)' : 'by you (manual runtime: Backstop says what to do and waits)' }),
    h('dt', { text: 'Registered' }), h('dd', {}, timeElement(cluster.createdAt)));
}

// ------------------------------------------------------------------------------------- backups

function backupsSection(context) {
  const { base, scope, clusterId, cluster } = context;
  const canWrite = may('backups:write');
  const error = alertBox();
  error.id = 'backup-error';
  const countdown = h('p', { id: 'create-countdown', class: 'countdown', role: 'timer', tabindex: '-1' });
  const nameInput = h('input', { type: 'text', id: 'backup-name', maxlength: '100', autocomplete: 'off' });
  const create = h('button', { type: 'submit', id: 'create-backup', text: 'Create backup' });
  const progressArea = h('div', { id: 'backup-progress-area' });
  const tableArea = h('div', { id: 'backups' }, h('p', { class: 'muted', text: 'Loading backups…' }));

  const form = canWrite
    ? h('form', { id: 'create-backup-form', class: 'row' },
      field('Name (optional)', nameInput, 'Up to 100 characters, e.g. before-upgrade.'),
      h('div', { class: 'actions' }, create))
    : h('p', { class: 'muted', text: 'This API client may not create or delete backups (it lacks backups:write).' });

  const section = h('section', { id: 'backups-section', 'aria-labelledby': 'backups-heading' },
    h('h2', { id: 'backups-heading', text: 'Backups' }),
    form, countdown, error, progressArea, tableArea);

  // The rate limit's window survives a reload of the page (until it has passed).
  const limitKey = `backstop.console.rateLimit.${clusterId}`;
  let stopTicking = null;
  const endCountdown = () => {
    stopTicking?.();
    stopTicking = null;
    sessionStorage.removeItem(limitKey);
    countdown.textContent = '';
    create.disabled = false;
  };
  const startCountdown = untilMs => {
    sessionStorage.setItem(limitKey, String(untilMs));
    stopTicking?.();
    create.disabled = true;
    const tick = () => {
      const left = (untilMs - Date.now()) / 1000;
      if (left <= 0) {
        endCountdown();
        announce('A manual backup is possible again.');
        return;
      }
      countdown.textContent = `Next manual backup possible in ${exactDuration(left)}`;
    };
    stopTicking = scope.every(1000, tick);
    tick();
  };
  const storedLimit = Number(sessionStorage.getItem(limitKey));
  if (storedLimit > Date.now()) startCountdown(storedLimit);

  // Live progress of the running backup, polled every second.
  let tracked = null;
  const track = backup => {
    if (tracked?.id === backup.backupId) return;
    tracked?.stop();
    const panel = progressPanel();
    replace(progressArea, panel.element);
    panel.update(backup);
    let previous = backup;
    let polling = false;
    const finish = latest => {
      stop();
      const reason = latest.failureReason ? `: ${latest.failureReason}` : '';
      announce(`Backup ${latest.backupId} ${latest.state === 'COMPLETED' ? 'completed' : latest.state.toLowerCase()}${reason}.`);
      refreshList();
    };
    const stop = scope.every(1000, async () => {
      if (polling) return;
      polling = true;
      try {
        const latest = await get(`${base}/backups/${seg(backup.backupId)}`, { signal: scope.signal });
        panel.update(latest);
        const changes = changedComponents(previous, latest);
        if (changes.length && latest.state === 'IN_PROGRESS') announce(`Backup ${latest.backupId}: ${changes.join(', ')}.`);
        previous = latest;
        if (latest.state !== 'IN_PROGRESS') finish(latest);
      } catch (e) {
        if (e.name === 'AbortError') return;
        if (e instanceof ApiError && e.status === 404) {
          stop();
          panel.gone();
        } else {
          panel.problem(e);
        }
      } finally {
        polling = false;
      }
    });
    tracked = { id: backup.backupId, stop };
    if (backup.state !== 'IN_PROGRESS') stop();
  };

  let listing = false;
  let shown = null;
  const refreshList = async () => {
    if (listing) return;
    listing = true;
    try {
      const backups = await get(`${base}/backups`, { signal: scope.signal });
      context.backups = backups;
      const text = JSON.stringify(backups);
      if (text !== shown) { // re-rendered only when something changed: no flicker, no lost hover or focus
        shown = text;
        keepingFocus(tableArea, () => replace(tableArea, backupsTable(backups, cluster, { onDelete: deleteBackup, onRestore: startRestore })));
      }
      const running = backups.find(b => b.state === 'IN_PROGRESS');
      if (running) {
        track(running);
      } else if (tracked && !backups.some(b => b.backupId === tracked.id && b.state !== 'DELETING')) {
        // the backup followed last is being deleted or gone: its steps no longer matter
        tracked.stop();
        tracked = null;
        progressArea.replaceChildren();
      }
    } catch (e) {
      if (e.name !== 'AbortError') showError(error, e, 'The backups could not be loaded');
    } finally {
      listing = false;
    }
  };

  if (canWrite) {
    form.addEventListener('submit', async event => {
      event.preventDefault();
      if (create.disabled) return;
      showError(error, null);
      create.disabled = true;
      const name = nameInput.value.trim();
      try {
        const backup = await post(`${base}/backups`, name ? { name } : undefined);
        nameInput.value = '';
        create.disabled = false;
        announce(`Backup ${backup.backupId} started.`);
        track(backup);
        refreshList();
      } catch (e) {
        if (e instanceof ApiError && e.status === 429) {
          const seconds = Number.isFinite(e.retryAfter) && e.retryAfter > 0 ? e.retryAfter : 60;
          showError(error, e, 'Rate limit');
          startCountdown(Date.now() + seconds * 1000);
          countdown.focus(); // the button is disabled now: keep the keyboard focus near it
          announce(`Rate limit: next manual backup possible in ${exactDuration(seconds)}.`);
        } else {
          create.disabled = false;
          showError(error, e, 'The backup could not be started');
        }
      }
    });
  }

  async function deleteBackup(backup) {
    const confirmed = await confirmDialog({
      title: `Delete backup ${backup.backupId}?`,
      body: h('p', { text: `Backup ${backup.backupId}${backup.name && backup.name !== String(backup.backupId) ? ` (“${backup.name}”)` : ''} will be removed from every component and region that holds it. This cannot be undone.` }),
      confirmLabel: 'Delete backup',
      danger: true,
    });
    if (!confirmed) return;
    showError(error, null);
    try {
      await del(`${base}/backups/${seg(backup.backupId)}`);
      // Deleting the backup that holds the rate limit's window frees it: let the server say again.
      if (backup.type === 'MANUAL') endCountdown();
      announce(`Backup ${backup.backupId} is being deleted.`);
      refreshList();
    } catch (e) {
      showError(error, e, `Backup ${backup.backupId} could not be deleted`);
    }
  }

  async function startRestore(backup) {
    const dual = cluster.backupLocation?.type === 'DUAL_REGION';
    const body = [h('p', { text: `The whole cluster ${cluster.name} will be put back to backup ${backup.backupId}, taken ${new Date(backup.created).toLocaleString()}: Zeebe, Operate, Tasklist and Optimize are stopped, their data replaced by the backup's, and started again. Work done since the backup is lost.` })];
    let region = null;
    if (dual) {
      const secondary = cluster.backupLocation.secondaryRegion;
      const replicated = backup.location?.replication === 'COMPLETED';
      region = h('select', { id: 'restore-source-region' },
        h('option', { value: cluster.region, text: `${cluster.region} (the cluster's region)` }),
        h('option', { value: secondary, disabled: !replicated, text: `${secondary} (secondary${replicated ? '' : ': not replicated'})` }));
      body.push(field('Read the backup from', region, 'Choose the secondary region when the primary one is lost.'));
    }
    const confirmed = await confirmDialog({ title: `Restore backup ${backup.backupId}?`, body, confirmLabel: 'Start restore', danger: true });
    if (!confirmed) return;
    showError(error, null);
    try {
      const payload = region && region.value !== cluster.region ? { sourceRegion: region.value } : undefined;
      const restore = await post(`${base}/backups/${seg(backup.backupId)}/restore`, payload);
      announce(`Restore of backup ${backup.backupId} requested.`);
      window.location.hash = `#/clusters/${encodeURIComponent(clusterId)}/restores/${encodeURIComponent(restore.id)}`;
    } catch (e) {
      showError(error, e, `The restore of backup ${backup.backupId} could not be started`);
    }
  }

  refreshList();
  scope.every(3000, refreshList);
  return section;
}

function changedComponents(before, after) {
  const old = Object.fromEntries((before.components ?? []).map(c => [c.component, c.state]));
  return (after.components ?? [])
    .filter(c => old[c.component] !== c.state)
    .map(c => `${COMPONENT_NAMES[c.component] ?? words(c.component)} ${words(c.state).toLowerCase()}`);
}

function sortedComponents(components) {
  return [...(components ?? [])].sort((a, b) => COMPONENT_ORDER.indexOf(a.component) - COMPONENT_ORDER.indexOf(b.component));
}

/** The running (or just ended) backup, step by step. */
function progressPanel() {
  const title = h('span');
  const stateBadge = h('span');
  const elapsed = h('p', { class: 'muted' });
  const steps = h('ol', { class: 'steps', 'aria-label': 'Steps' });
  const failure = h('p', { class: 'message error' });
  const note = h('p', { class: 'muted' });
  const element = h('section', { id: 'backup-progress', class: 'panel', 'aria-labelledby': 'backup-progress-heading' },
    h('h3', { id: 'backup-progress-heading' }, title, ' ', stateBadge),
    elapsed, steps, failure, note);
  return {
    element,
    update(backup) {
      element.dataset.backupId = String(backup.backupId);
      element.dataset.state = backup.state;
      title.textContent = `Backup ${backup.backupId}${backup.state === 'IN_PROGRESS' ? ' in progress' : ''}`;
      replace(stateBadge, badge(backup.state));
      const seconds = secondsBetween(backup.created, backup.completed ?? undefined);
      elapsed.textContent = backup.state === 'IN_PROGRESS'
        ? `Started ${roughDuration(seconds)} ago. The web apps are backed up together, then the exported records, then Zeebe, with exporting paused only for the last two.`
        : `Took ${roughDuration(seconds)}.`;
      replace(steps, sortedComponents(backup.components).map(c =>
        h('li', { 'data-component': c.component, 'data-state': c.state },
          h('span', { class: 'name', text: COMPONENT_NAMES[c.component] ?? words(c.component) }),
          h('span', { class: 'state' }, badge(c.state)),
          h('span', { class: 'detail', text: c.detail || '' }))));
      failure.textContent = backup.failureReason ?? '';
      note.textContent = backup.exportingPaused ? 'Exporting may still be paused: Backstop keeps resuming it until Zeebe confirms.' : '';
    },
    gone() {
      note.textContent = 'This backup no longer exists.';
    },
    problem(e) {
      note.textContent = `Progress could not be read: ${e.describe ? e.describe() : e.message}. Trying again.`;
    },
  };
}

function backupsTable(backups, cluster, actions) {
  if (backups.length === 0) {
    return h('p', { id: 'no-backups', text: 'This cluster has no backup yet.' });
  }
  const canWrite = may('backups:write');
  const canRestore = may('backups:restore');
  return h('div', { class: 'table-wrap' },
    h('table', { id: 'backups-table' },
      h('caption', { text: `Backups of ${cluster.name}, newest first` }),
      h('thead', {}, h('tr', {}, ['Backup', 'Type', 'State', 'Components', 'Replication', 'Created', 'Duration', 'Actions'].map(t => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, backups.map(backup => backupRow(backup, { canWrite, canRestore, ...actions })))));
}

function backupRow(backup, { canWrite, canRestore, onDelete, onRestore }) {
  const id = backup.backupId;
  const name = backup.name && backup.name !== String(id) ? backup.name : null;
  const actions = [];
  if (canRestore && backup.state === 'COMPLETED') {
    actions.push(h('button', { type: 'button', class: 'secondary', 'data-key': `restore-${id}`, 'aria-label': `Restore backup ${id}`, text: 'Restore…', onClick: () => onRestore(backup) }));
  }
  if (canWrite && backup.state !== 'IN_PROGRESS' && backup.state !== 'DELETING') {
    actions.push(h('button', { type: 'button', class: 'secondary', 'data-key': `delete-${id}`, 'aria-label': `Delete backup ${id}`, text: 'Delete…', onClick: () => onDelete(backup) }));
  }
  return h('tr', { 'data-backup-id': String(id), 'data-state': backup.state },
    h('th', { scope: 'row' }, h('span', { class: 'mono', text: String(id) }), name ? h('div', { class: 'muted', text: name }) : null),
    h('td', { text: words(backup.type) }),
    h('td', { class: 'state' }, badge(backup.state), backup.failureReason ? h('div', { class: 'muted', text: backup.failureReason }) : null,
      backup.retry?.nextAttemptAt ? h('div', { class: 'muted' }, `Retrying (${backup.retry.attempts} failed): next `, timeElement(backup.retry.nextAttemptAt)) : null,
      backup.verification ? h('div', { class: 'muted verification', text: `Verification: ${backup.verification.state}${backup.verification.detail ? ` (${backup.verification.detail})` : ''}` }) : null),
    h('td', {}, h('ul', {}, sortedComponents(backup.components).map(c =>
      h('li', { 'data-component': c.component }, `${COMPONENT_NAMES[c.component] ?? words(c.component)}: `, h('span', { class: 'component-state', text: words(c.state) }))))),
    h('td', {}, replication(backup)),
    h('td', { class: 'nowrap' }, timeElement(backup.created)),
    h('td', { class: 'nowrap', text: backup.completed ? roughDuration(secondsBetween(backup.created, backup.completed)) : '—' }),
    h('td', {}, h('div', { class: 'actions' }, actions)));
}

function replication(backup) {
  const location = backup.location ?? {};
  if (!location.replication || location.replication === 'NOT_REQUIRED') {
    return h('span', { class: 'muted', text: `${location.primaryRegion ?? ''} only` });
  }
  const detail = location.replicationDetail;
  return [
    badge(location.replication),
    h('div', { class: 'muted', text: `to ${location.secondaryRegion}` }),
    detail ? h('div', { class: 'muted', text: `${detail.objects} objects, ${bytes(detail.bytes)} copied` }) : null,
    detail?.failureReason ? h('div', { class: 'muted', text: detail.failureReason }) : null,
  ];
}


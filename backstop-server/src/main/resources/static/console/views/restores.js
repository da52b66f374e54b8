// A cluster's restores: the one being followed, phase by phase, with what the operator must do
// when a manual runtime waits, and the list of all of them.
import { ApiError, get, post, seg } from '../api.js';
import { may } from '../auth.js';
import { alertBox, announce, badge, confirmDialog, h, keepingFocus, replace, showError } from '../dom.js';
import { timeElement, words } from '../format.js';

const ACTIVE = ['REQUESTED', 'RUNNING', 'WAITING'];
const PHASES = ['PREFLIGHT', 'STOP_COMPONENTS', 'DELETE_INDICES', 'RESTORE_SNAPSHOTS', 'RESTORE_ZEEBE', 'START_COMPONENTS', 'VERIFY'];
const NAMES = {
  PREFLIGHT: 'Preflight', STOP_COMPONENTS: 'Stop components', DELETE_INDICES: 'Delete indices', RESTORE_SNAPSHOTS: 'Restore snapshots',
  RESTORE_ZEEBE: 'Restore Zeebe', START_COMPONENTS: 'Start components', VERIFY: 'Verify',
};
const phaseName = phase => NAMES[phase] ?? phaseName(phase);
const WHAT = {
  PREFLIGHT: 'Check that every part of the backup is present and complete',
  STOP_COMPONENTS: 'Stop Zeebe and the web apps (the search engine stays up)',
  DELETE_INDICES: 'Delete the components’ indices',
  RESTORE_SNAPSHOTS: 'Restore the search snapshots',
  RESTORE_ZEEBE: 'Restore each Zeebe broker with the restore tool',
  START_COMPONENTS: 'Start Zeebe, then the web apps',
  VERIFY: 'Verify the cluster: partitions led, exporting, web apps caught up',
};

/** The section; focusDetail() moves the keyboard focus to the followed restore once it is shown. */
export function restoresSection(context, restoreId) {
  const { base, scope, clusterId } = context;
  const error = alertBox();
  error.id = 'restore-error';
  const detailArea = h('div', { id: 'restore-detail-area' });
  const listArea = h('div', { id: 'restores-list' }, h('p', { class: 'muted', text: 'Loading restores…' }));
  const element = h('section', { id: 'restores', 'aria-labelledby': 'restores-heading' },
    h('h2', { id: 'restores-heading', text: 'Restores' }),
    h('p', { class: 'lead', text: 'Start a restore from a completed backup in the table above (“Restore…”).' }),
    error, detailArea, listArea);

  let followed = null; // { id, stop }
  let focusWanted = false;
  let lastShown = '';

  const follow = id => {
    if (followed?.id === id) return;
    followed?.stop();
    lastShown = '';
    let previous = null;
    let polling = false;
    const poll = async () => {
      if (polling) return;
      polling = true;
      try {
        const restore = await get(`${base}/restores/${seg(id)}`, { signal: scope.signal });
        const text = JSON.stringify(restore);
        if (text !== lastShown) {
          lastShown = text;
          keepingFocus(detailArea, () => replace(detailArea, restoreDetail(restore, confirm)));
          announceChanges(previous, restore);
          if (previous) refreshList(); // the list shows the same restore: keep them in step
          previous = restore;
        }
        if (focusWanted) {
          focusWanted = false;
          const heading = detailArea.querySelector('#restore-heading');
          heading?.focus();
          heading?.scrollIntoView({ block: 'start' });
        }
        if (!ACTIVE.includes(restore.state)) stop();
      } catch (e) {
        if (e.name === 'AbortError') return;
        if (e instanceof ApiError && e.status === 404) {
          stop();
          replace(detailArea, h('p', { class: 'message error', text: `There is no restore ${id} of this cluster.` }));
        } else {
          showError(error, e, 'The restore could not be read');
        }
      } finally {
        polling = false;
      }
    };
    const stop = scope.every(1500, poll);
    followed = { id, stop };
    poll();
  };

  const confirm = async (restore, phase) => {
    const confirmed = await confirmDialog({
      title: `Confirm “${phaseName(phase)}”?`,
      body: h('p', { text: phase === 'STOP_COMPONENTS'
        ? 'Confirm only once every component named in the instructions is stopped. Backstop then checks that none of them answers; a stop confirmed while one still answers fails the restore.'
        : 'Confirm only once you have done what the instructions say; the restore then carries on with the next phase.' }),
      confirmLabel: `Confirm ${phaseName(phase).toLowerCase()}`,
    });
    if (!confirmed) return;
    showError(error, null);
    try {
      await post(`${base}/restores/${seg(restore.id)}/confirm`, { phase });
      announce(`${phaseName(phase)} confirmed; the restore carries on.`);
      lastShown = '';
    } catch (e) {
      showError(error, e, `${phaseName(phase)} could not be confirmed`);
    }
  };

  let listing = false;
  let shownList = null;
  const refreshList = async () => {
    if (listing) return;
    listing = true;
    try {
      const restores = await get(`${base}/restores`, { signal: scope.signal });
      const text = JSON.stringify(restores);
      if (text !== shownList) {
        shownList = text;
        keepingFocus(listArea, () => replace(listArea, restoresTable(restores, clusterId)));
      }
      if (!followed) {
        const active = restores.find(r => ACTIVE.includes(r.state));
        if (active) follow(active.id);
      }
    } catch (e) {
      if (e.name !== 'AbortError') showError(error, e, 'The restores could not be loaded');
    } finally {
      listing = false;
    }
  };

  if (restoreId) follow(restoreId);
  refreshList();
  scope.every(5000, refreshList);
  return {
    element,
    focusDetail() {
      focusWanted = true;
    },
  };
}

function announceChanges(previous, restore) {
  if (!previous) {
    announce(`Restore of backup ${restore.backupId}: ${words(restore.state).toLowerCase()}, phase ${phaseName(restore.phase).toLowerCase()}.`);
    return;
  }
  const before = Object.fromEntries(previous.phases.map(p => [p.name, p.state]));
  const changes = restore.phases.filter(p => before[p.name] !== p.state).map(p => `${phaseName(p.name)} ${words(p.state).toLowerCase()}`);
  let message = changes.length ? `Restore: ${changes.join(', ')}.` : '';
  if (restore.state === 'WAITING' && previous.state !== 'WAITING') message += ` Action needed: ${phaseName(restore.phase)}.`;
  if (restore.state === 'FAILED') message += ` The restore failed: ${restore.failureReason ?? ''}`;
  if (restore.state === 'COMPLETED') message += ' The restore completed.';
  if (message) announce(message.trim());
}

function restoreDetail(restore, confirm) {
  const phases = new Map(restore.phases.map(p => [p.name, p]));
  const names = [...PHASES, ...restore.phases.map(p => p.name).filter(n => !PHASES.includes(n))];
  const waiting = restore.state === 'WAITING' && restore.waitingFor;
  const canConfirm = may('backups:restore');
  return h('section', { id: 'restore-detail', class: 'panel', 'aria-labelledby': 'restore-heading', 'data-restore-id': restore.id, 'data-state': restore.state },
    h('h3', { id: 'restore-heading', tabindex: '-1' }, `Restore of backup ${restore.backupId} `, badge(restore.state)),
    h('dl', { class: 'facts' },
      h('dt', { text: 'Restore' }), h('dd', { class: 'mono', text: restore.id }),
      h('dt', { text: 'Source region' }), h('dd', { text: restore.sourceRegion ?? '—' }),
      h('dt', { text: 'Current phase' }), h('dd', { id: 'restore-phase', text: phaseName(restore.phase) }),
      h('dt', { text: 'Requested' }), h('dd', {}, timeElement(restore.requestedAt)),
      restore.endedAt ? [h('dt', { text: 'Ended' }), h('dd', {}, timeElement(restore.endedAt))] : null),
    waiting
      ? h('div', { id: 'restore-waiting', class: 'callout', role: 'region', 'aria-labelledby': 'restore-waiting-heading' },
        h('h3', { id: 'restore-waiting-heading', text: `Action needed: ${phaseName(restore.phase)}` }),
        h('p', { class: 'instructions', id: 'restore-instructions', text: restore.waitingFor }),
        canConfirm
          ? h('button', { type: 'button', id: 'confirm-phase', 'data-phase': restore.phase, text: `I have done this: confirm ${phaseName(restore.phase).toLowerCase()}`, onClick: () => confirm(restore, restore.phase) })
          : h('p', { class: 'muted', text: 'Confirming needs the permission backups:restore.' }))
      : null,
    restore.failureReason ? h('p', { id: 'restore-failure', class: 'message error', text: restore.failureReason }) : null,
    h('div', { class: 'table-wrap' },
      h('table', { id: 'restore-phases' },
        h('caption', { text: 'Phases, in the order they run' }),
        h('thead', {}, h('tr', {}, ['Phase', 'State', 'Started', 'Ended', 'Detail'].map(t => h('th', { scope: 'col', text: t })))),
        h('tbody', {}, names.map(name => {
          const phase = phases.get(name) ?? { name, state: 'PENDING' };
          return h('tr', { 'data-phase': name, 'data-state': phase.state, 'aria-current': name === restore.phase && ACTIVE.includes(restore.state) ? 'step' : null },
            h('th', { scope: 'row' }, phaseName(name), h('div', { class: 'muted', text: WHAT[name] ?? '' })),
            h('td', { class: 'state' }, badge(phase.state)),
            h('td', { class: 'nowrap' }, timeElement(phase.startedAt)),
            h('td', { class: 'nowrap' }, timeElement(phase.endedAt)),
            h('td', { class: 'detail', text: phase.detail ?? '' }));
        })))));
}

function restoresTable(restores, clusterId) {
  if (restores.length === 0) return h('p', { text: 'No restore of this cluster yet.' });
  return h('div', { class: 'table-wrap' },
    h('table', { id: 'restores-table' },
      h('caption', { text: 'Restores of this cluster' }),
      h('thead', {}, h('tr', {}, ['Restore', 'Backup', 'State', 'Phase', 'Requested', 'Ended'].map(t => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, restores.map(r => h('tr', { 'data-restore-id': r.id },
        h('th', { scope: 'row' }, h('a', { href: `#/clusters/${encodeURIComponent(clusterId)}/restores/${encodeURIComponent(r.id)}`, class: 'mono', 'data-key': `restore-link-${r.id}`, text: r.id })),
        h('td', { class: 'mono', text: String(r.backupId) }),
        h('td', {}, badge(r.state)),
        h('td', { text: phaseName(r.phase) }),
        h('td', { class: 'nowrap' }, timeElement(r.requestedAt)),
        h('td', { class: 'nowrap' }, timeElement(r.endedAt)))))));
}

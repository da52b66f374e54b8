// A cluster's backup schedule: the editor, the next runs in the schedule's own time zone, and the
// recent runs.
import { ApiError, del, get, getOrNull, put } from '../api.js';
import { may } from '../auth.js';
import { alertBox, announce, badge, confirmDialog, field, h, replace, showError, uid } from '../dom.js';
import { timeElement, words } from '../format.js';
import { DAYS_OF_WEEK, describe, formatInZone, isZone, nextRuns, zones } from '../schedule.js';

const RUNS_SHOWN = 5;

export function scheduleSection(context) {
  const { base, scope } = context;
  const canWrite = may('backups:write');
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

  const summary = h('p', { id: 'schedule-summary', text: 'Loading the schedule…' });
  const frequency = h('select', { id: 'schedule-frequency', name: 'frequency' },
    h('option', { value: 'DAILY', text: 'Daily' }), h('option', { value: 'WEEKLY', text: 'Weekly' }));
  const day = h('select', { id: 'schedule-day', name: 'dayOfWeek' }, DAYS_OF_WEEK.map(d => h('option', { value: d, text: words(d) })));
  const time = h('input', { type: 'text', id: 'schedule-time', name: 'time', inputmode: 'numeric', autocomplete: 'off', placeholder: '02:30', pattern: '([01][0-9]|2[0-3]):[0-5][0-9]', required: true, props: { value: '02:30' } });
  const zoneListId = uid('zones');
  const zone = h('input', { type: 'text', id: 'schedule-zone', name: 'timeZone', list: zoneListId, autocomplete: 'off', spellcheck: 'false', required: true, props: { value: browserZone } });
  const enabled = h('input', { type: 'checkbox', id: 'schedule-enabled', name: 'enabled', props: { checked: true } });
  const save = h('button', { type: 'submit', id: 'save-schedule', text: 'Save schedule' });
  const remove = h('button', { type: 'button', id: 'remove-schedule', class: 'secondary', text: 'Remove schedule', hidden: true });
  const error = alertBox();
  error.id = 'schedule-error';
  const saved = h('p', { id: 'schedule-status', class: 'message ok', role: 'status' });
  const dayField = field('Day of the week', day);
  const nextHeading = h('h3', { id: 'next-runs-heading', text: 'Next runs' });
  const nextNote = h('p', { class: 'hint', id: 'next-runs-note' });
  const nextList = h('ol', { id: 'schedule-next-runs', 'aria-labelledby': 'next-runs-heading' });
  const runsArea = h('div', { id: 'schedule-runs' });

  const form = h('form', { id: 'schedule-form', class: 'stacked', novalidate: true },
    field('Frequency', frequency),
    dayField,
    field('Time (24-hour, HH:mm)', time, 'Local time in the time zone below.'),
    field('Time zone', zone, 'An IANA time zone, e.g. Europe/Berlin or America/New_York.'),
    field('Enabled', enabled),
    canWrite ? h('div', { class: 'actions' }, save, remove) : h('p', { class: 'muted', text: 'Changing the schedule needs the permission backups:write.' }));
  if (!canWrite) for (const control of [frequency, day, time, zone, enabled]) control.disabled = true;

  const element = h('section', { id: 'schedule', 'aria-labelledby': 'schedule-heading' },
    h('h2', { id: 'schedule-heading', text: 'Backup schedule' }),
    summary, form, error, saved,
    nextHeading, nextNote, nextList,
    h('h3', { text: 'Recent runs' }), runsArea,
    h('datalist', { id: zoneListId }, zones().map(z => h('option', { value: z }))));

  let current = null; // the saved schedule, as the API answered it

  const fromForm = () => ({
    frequency: frequency.value,
    dayOfWeek: frequency.value === 'WEEKLY' ? day.value : null,
    time: time.value.trim(),
    timeZone: zone.value.trim(),
    enabled: enabled.checked,
  });

  const sameAsSaved = () => {
    if (!current) return false;
    const f = fromForm();
    return f.frequency === current.frequency && (f.dayOfWeek ?? null) === (current.dayOfWeek ?? null)
      && f.time === current.time && f.timeZone === current.timeZone && f.enabled === current.enabled;
  };

  /** The next runs of the saved schedule, or a preview of what the form would schedule. */
  const showNextRuns = () => {
    dayField.hidden = frequency.value !== 'WEEKLY';
    const preview = !sameAsSaved();
    const schedule = preview ? fromForm() : current;
    if (!schedule) return;
    const valid = /^([01][0-9]|2[0-3]):[0-5][0-9]$/.test(schedule.time) && isZone(schedule.timeZone);
    if (!valid) {
      nextNote.textContent = 'Enter a time (HH:mm) and a time zone to see the next runs.';
      nextList.replaceChildren();
      return;
    }
    const runs = nextRuns(preview ? { ...schedule, nextRunAt: null } : schedule, RUNS_SHOWN);
    nextNote.textContent = !schedule.enabled
      ? 'The schedule is disabled: no run is due.'
      : `${preview ? 'Preview, not saved yet: shown' : 'Shown'} in the schedule’s time zone, ${schedule.timeZone}.`;
    replace(nextList, runs.map(ms => {
      const iso = new Date(ms).toISOString();
      return h('li', {}, h('time', { datetime: iso, title: new Date(ms).toLocaleString() }, formatInZone(ms, schedule.timeZone)), ' (', timeElement(iso), ')');
    }));
  };

  const showSaved = schedule => {
    current = schedule;
    if (schedule) {
      frequency.value = schedule.frequency;
      if (schedule.dayOfWeek) day.value = schedule.dayOfWeek;
      time.value = schedule.time;
      zone.value = schedule.timeZone;
      enabled.checked = schedule.enabled;
      replace(summary, 'Current schedule: ', h('strong', { text: describe(schedule) }));
      remove.hidden = false;
    } else {
      replace(summary, 'No schedule: backups are taken only when someone asks for one. Set one below.');
      remove.hidden = true;
    }
    showNextRuns();
  };

  const loadRuns = async () => {
    try {
      const runs = await get(`${base}/backup-schedule/runs`, { signal: scope.signal });
      replace(runsArea, runs.length === 0
        ? h('p', { class: 'muted', text: 'No scheduled run yet.' })
        : h('div', { class: 'table-wrap' }, h('table', { id: 'schedule-runs-table' },
          h('caption', { text: 'Scheduled runs, newest first' }),
          h('thead', {}, h('tr', {}, ['Due', 'Ran', 'Outcome', 'Backup', 'Reason'].map(t => h('th', { scope: 'col', text: t })))),
          h('tbody', {}, runs.slice(0, 10).map(run => h('tr', {},
            h('td', { class: 'nowrap' }, timeElement(run.dueAt)),
            h('td', { class: 'nowrap' }, timeElement(run.ranAt)),
            h('td', {}, badge(run.outcome)),
            h('td', { class: 'mono', text: run.backupId ?? '—' }),
            h('td', { text: run.reason ?? '' })))))));
    } catch (e) {
      if (e.name !== 'AbortError') replace(runsArea, h('p', { class: 'muted', text: `The runs could not be loaded: ${e.describe ? e.describe() : e.message}` }));
    }
  };

  getOrNull(`${base}/backup-schedule`, { signal: scope.signal })
    .then(showSaved)
    .catch(e => {
      if (e.name !== 'AbortError') showError(error, e, 'The schedule could not be loaded');
    });
  loadRuns();

  for (const control of [frequency, day, time, zone, enabled]) {
    control.addEventListener('input', () => {
      saved.textContent = '';
      showNextRuns();
    });
    control.addEventListener('change', showNextRuns);
  }

  form.addEventListener('submit', async event => {
    event.preventDefault();
    showError(error, null);
    saved.textContent = '';
    const wanted = fromForm();
    const problems = [];
    if (!/^([01][0-9]|2[0-3]):[0-5][0-9]$/.test(wanted.time)) problems.push({ field: 'time', message: 'must be a 24-hour time, HH:mm' });
    if (!isZone(wanted.timeZone)) problems.push({ field: 'timeZone', message: 'must be an IANA time zone such as Europe/Berlin' });
    time.setAttribute('aria-invalid', String(problems.some(p => p.field === 'time')));
    zone.setAttribute('aria-invalid', String(problems.some(p => p.field === 'timeZone')));
    if (problems.length) {
      const invalid = new Error('The schedule was not saved.');
      invalid.fieldErrors = problems;
      showError(error, invalid);
      (problems[0].field === 'time' ? time : zone).focus();
      return;
    }
    save.disabled = true;
    try {
      const answer = await put(`${base}/backup-schedule`, wanted);
      showSaved(answer);
      saved.textContent = answer.nextRunAt
        ? `Schedule saved. Next run: ${formatInZone(Date.parse(answer.nextRunAt), answer.timeZone)}.`
        : 'Schedule saved (disabled: no run is due).';
      announce('Schedule saved.');
      loadRuns();
    } catch (e) {
      showError(error, e, 'The schedule was not saved');
    } finally {
      save.disabled = false;
    }
  });

  remove.addEventListener('click', async () => {
    const confirmed = await confirmDialog({
      title: 'Remove the schedule?',
      body: h('p', { text: 'No backup will be taken on a schedule any more. Existing backups are kept.' }),
      confirmLabel: 'Remove schedule',
      danger: true,
    });
    if (!confirmed) return;
    showError(error, null);
    try {
      await del(`${base}/backup-schedule`);
      showSaved(null);
      saved.textContent = 'Schedule removed.';
      announce('Schedule removed.');
      frequency.focus();
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) showSaved(null);
      else showError(error, e, 'The schedule could not be removed');
    }
  });

  return element;
}


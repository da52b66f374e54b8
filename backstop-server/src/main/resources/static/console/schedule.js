// A backup schedule's due times, computed in the browser from its rule exactly as Backstop does
// (core's BackupSchedule): DAILY or WEEKLY at a local time in an IANA zone; a time the clocks skip
// runs when they jump, a time they repeat runs at its first occurrence.

const DAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];
export const DAYS_OF_WEEK = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];
const DAY_MS = 86_400_000;

const wallFormats = new Map();
function wallFormat(zone) {
  if (!wallFormats.has(zone)) {
    wallFormats.set(zone, new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23',
      year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    }));
  }
  return wallFormats.get(zone);
}

/** The wall-clock time in `zone` at instant `t`, expressed as if it were UTC (ms). */
function wallAt(t, zone) {
  const parts = {};
  for (const part of wallFormat(zone).formatToParts(t)) parts[part.type] = Number(part.value);
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour % 24, parts.minute, parts.second);
}

/** The zone's UTC offset (ms) at instant t. */
function offsetAt(t, zone) {
  const whole = Math.floor(t / 1000) * 1000;
  return wallAt(whole, zone) - whole;
}

/** Whether `zone` is an IANA zone this browser knows. */
export function isZone(zone) {
  try {
    wallFormat(zone);
    return true;
  } catch {
    return false;
  }
}

/** The instant (ms) the schedule's time falls on, on a local date given as UTC midnight (ms). */
export function dueOn(localDate, time, zone) {
  const [hours, minutes] = time.split(':').map(Number);
  const wall = localDate + (hours * 60 + minutes) * 60_000;
  const before = offsetAt(wall - DAY_MS, zone);
  const after = offsetAt(wall + DAY_MS, zone);
  const valid = [...new Set([before, after])]
    .map(offset => ({ offset, instant: wall - offset }))
    .filter(candidate => offsetAt(candidate.instant, zone) === candidate.offset)
    .map(candidate => candidate.instant);
  if (valid.length > 0) return Math.min(...valid); // one, or the first of a repeated time
  // In a gap: the instant the clocks jump, between the time read with the new and the old offset.
  let low = wall - after;
  let high = wall - before;
  while (high - low > 1000) {
    const middle = Math.floor((low + high) / 2000) * 1000;
    if (offsetAt(middle, zone) === before) low = middle;
    else high = middle;
  }
  return high;
}

/** The first due instant (ms) strictly after `afterMs`; null when disabled. */
export function nextRunAfter(schedule, afterMs) {
  if (!schedule.enabled) return null;
  const wall = wallAt(afterMs, schedule.timeZone);
  let date = Math.floor(wall / DAY_MS) * DAY_MS - DAY_MS;
  for (let i = 0; i < 16; i += 1, date += DAY_MS) {
    if (schedule.frequency === 'WEEKLY' && DAYS[new Date(date).getUTCDay()] !== schedule.dayOfWeek) continue;
    const due = dueOn(date, schedule.time, schedule.timeZone);
    if (due > afterMs) return due;
  }
  return null;
}

/**
 * The next `count` due instants (ms): the first is the server's nextRunAt when it gives one (it is
 * the authority), the following ones computed here from the rule.
 */
export function nextRuns(schedule, count, nowMs = Date.now()) {
  if (!schedule.enabled) return [];
  const runs = [];
  let at = schedule.nextRunAt ? Date.parse(schedule.nextRunAt) : nextRunAfter(schedule, nowMs);
  while (at !== null && runs.length < count) {
    runs.push(at);
    at = nextRunAfter(schedule, at);
  }
  return runs;
}

/** A due time as people in the schedule's zone read it: "Sunday, 7 Dec 2025, 03:15 GMT+9". */
export function formatInZone(ms, zone) {
  return new Intl.DateTimeFormat(undefined, {
    timeZone: zone, weekday: 'long', year: 'numeric', month: 'short', day: 'numeric',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
  }).format(ms);
}

/** "Weekly on Sunday at 03:15 (Asia/Tokyo)". */
export function describe(schedule) {
  const when = schedule.frequency === 'WEEKLY'
    ? `Weekly on ${title(schedule.dayOfWeek)} at ${schedule.time}`
    : `Daily at ${schedule.time}`;
  return `${when} (${schedule.timeZone})${schedule.enabled ? '' : ', disabled'}`;
}

function title(day) {
  return day ? day.charAt(0) + day.slice(1).toLowerCase() : '';
}

/** Every IANA zone the browser knows (for the zone field's suggestions). */
export function zones() {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
}

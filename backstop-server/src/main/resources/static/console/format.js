// Times, durations and sizes as people read them. Relative times carry the absolute time in a
// <time datetime> with a title, and are refreshed while the page is open.

const absoluteFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'long' });

/** "3 h ago", "in 5 min", "just now". */
export function relative(iso, now = Date.now()) {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return '';
  const seconds = Math.round((at - now) / 1000);
  const magnitude = Math.abs(seconds);
  if (magnitude < 10) return 'just now';
  const text = roughDuration(magnitude);
  return seconds < 0 ? `${text} ago` : `in ${text}`;
}

/** The largest one or two units: "3 h 5 min", "2 d 4 h", "40 s". */
export function roughDuration(seconds) {
  const units = [['d', 86400], ['h', 3600], ['min', 60], ['s', 1]];
  const parts = [];
  let rest = Math.max(0, Math.round(seconds));
  for (const [name, size] of units) {
    if (rest >= size || (parts.length === 0 && size === 1)) {
      const count = Math.floor(rest / size);
      rest -= count * size;
      parts.push(`${count} ${name}`);
      if (parts.length === 2) break;
    } else if (parts.length > 0) {
      break;
    }
  }
  return parts.join(' ');
}

/** Every unit down to the second: "4 h 59 min 58 s", "58 s". */
export function exactDuration(totalSeconds) {
  let rest = Math.max(0, Math.ceil(totalSeconds));
  const parts = [];
  for (const [name, size] of [['d', 86400], ['h', 3600], ['min', 60]]) {
    if (rest >= size || parts.length > 0) {
      parts.push(`${Math.floor(rest / size)} ${name}`);
      rest %= size;
    }
  }
  parts.push(`${rest} s`);
  return parts.join(' ');
}

export function absolute(iso) {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? '' : absoluteFormat.format(at);
}

/** <time datetime=… title="absolute">3 h ago</time>, kept current by refreshTimes(). */
export function timeElement(iso) {
  if (!iso) return document.createTextNode('—');
  const element = document.createElement('time');
  element.dateTime = iso;
  element.title = absolute(iso);
  element.dataset.relative = 'true';
  element.textContent = relative(iso);
  return element;
}

/** Re-renders every relative time on the page. */
export function refreshTimes(root = document) {
  for (const element of root.querySelectorAll('time[data-relative]')) {
    element.textContent = relative(element.dateTime);
  }
}

/** Seconds between two ISO instants (or until now). */
export function secondsBetween(fromIso, toIso) {
  const to = toIso ? Date.parse(toIso) : Date.now();
  return (to - Date.parse(fromIso)) / 1000;
}

export function bytes(count) {
  if (count === null || count === undefined) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = count;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** "OPERATE" → "Operate", "ZEEBE_RECORDS" → "Zeebe records", "STOP_COMPONENTS" → "Stop components". */
export function words(constant) {
  if (!constant) return '';
  const lower = constant.toLowerCase().replaceAll('_', ' ');
  return lower.charAt(0).toUpperCase() + lower.slice(1);
}

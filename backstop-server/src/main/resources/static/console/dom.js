// DOM helpers. Server-provided text only ever becomes text nodes or attribute values: nothing here
// parses markup, so a cluster named "<img onerror=…>" is shown as exactly that text.

/**
 * Creates an element. props: attributes (true = present, null/false/undefined = absent), `class`,
 * `text` (textContent), `on<Event>` listeners, `props` (DOM properties such as value, checked).
 * Children: nodes, strings (as text), arrays, null (skipped).
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') element.className = value;
    else if (key === 'text') element.textContent = String(value);
    else if (key === 'props') Object.assign(element, value);
    else if (key.startsWith('on') && typeof value === 'function') element.addEventListener(key.slice(2).toLowerCase(), value);
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

/** Appends children (nodes, or anything else as text). */
export function append(element, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** Replaces an element's children. */
export function replace(element, ...children) {
  element.replaceChildren();
  return append(element, children);
}

let ids = 0;
/** A document-unique id for label/aria wiring. */
export function uid(prefix = 'id') {
  ids += 1;
  return `${prefix}-${ids}`;
}

/**
 * A labelled form field: the label (for=) before the control, after it for a checkbox; a hint is
 * tied to the control with aria-describedby.
 */
export function field(labelText, control, hint) {
  if (!control.id) control.id = uid('field');
  const label = h('label', { for: control.id, text: labelText });
  let hintElement = null;
  if (hint) {
    hintElement = h('span', { id: uid('hint'), class: 'hint', text: hint });
    control.setAttribute('aria-describedby', hintElement.id);
  }
  return control.type === 'checkbox'
    ? h('div', { class: 'field inline' }, control, label, hintElement)
    : h('div', { class: 'field' }, label, control, hintElement);
}

const announcer = () => document.getElementById('announcer');

/** Says something to screen readers through the polite live region (progress, outcomes). */
export function announce(message) {
  const region = announcer();
  if (!region) return;
  // Cleared first so that the same words said twice are announced twice.
  region.textContent = '';
  setTimeout(() => { region.textContent = message; }, 50);
}

/** An element whose content is announced when it changes (role=alert): for errors next to their cause. */
export function alertBox() {
  return h('div', { class: 'message error', role: 'alert' });
}

/** Shows an error (an ApiError or any Error) in an alert box, or clears it with null. */
export function showError(box, error, prefix) {
  if (!error) {
    box.replaceChildren();
    return;
  }
  const text = error.describe ? error.describe() : error.message ?? String(error);
  replace(box, prefix ? `${prefix}: ${text}` : text);
  if (error.fieldErrors?.length) {
    box.append(h('ul', {}, error.fieldErrors.map(e => h('li', { text: `${e.field}: ${e.message}` }))));
  }
}

/** A state badge: the state's words, and a colour class that repeats them. */
export function badge(state, tone) {
  return h('span', { class: `badge ${tone ?? toneOf(state)}`, text: state });
}

export function toneOf(state) {
  switch (state) {
    case 'COMPLETED': case 'Complete': case 'VERIFIED': case 'CONFIRMED': case 'SUCCESS': return 'ok';
    case 'IN_PROGRESS': case 'In progress': case 'RUNNING': case 'REQUESTED': case 'PENDING': return 'info';
    case 'WAITING': case 'DELETING': case 'SKIPPED': return 'warn';
    case 'FAILED': case 'Failed': case 'DAMAGED': case 'CLEANUP_FAILED': return 'bad';
    default: return 'neutral';
  }
}

/**
 * A modal confirmation dialog (native <dialog>: focus moves into it and is kept there, Escape
 * cancels, focus returns to what opened it). Resolves true when confirmed.
 * body: nodes shown above the buttons; extra controls there are read by the caller before resolve.
 */
export function confirmDialog({ title, body, confirmLabel, danger = false }) {
  return new Promise(resolve => {
    const opener = document.activeElement;
    const titleId = uid('dialog-title');
    const cancel = h('button', { type: 'button', class: 'secondary', text: 'Cancel' });
    const ok = h('button', { type: 'submit', class: danger ? 'danger' : '', text: confirmLabel });
    const form = h('form', { method: 'dialog' }, h('h2', { id: titleId, text: title }), body, h('div', { class: 'actions' }, ok, cancel));
    const dialog = h('dialog', { 'aria-labelledby': titleId }, form);
    let confirmed = false;
    form.addEventListener('submit', event => {
      event.preventDefault();
      confirmed = true;
      dialog.close();
    });
    cancel.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (opener && document.contains(opener)) opener.focus();
      resolve(confirmed);
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus(); // the safe choice first
  });
}

/**
 * Re-renders inside `container` without losing the keyboard focus: the focused element is found
 * again after the update by its id, or its data-key, and focused.
 */
export function keepingFocus(container, update) {
  const active = document.activeElement;
  const inside = active && container.contains(active) && active !== container;
  const key = inside ? (active.id ? `#${CSS.escape(active.id)}` : active.dataset.key ? `[data-key="${CSS.escape(active.dataset.key)}"]` : null) : null;
  update();
  if (key && !container.contains(active)) {
    container.querySelector(key)?.focus();
  }
}

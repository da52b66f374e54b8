// The operator's pages (permission admin): organizations, their API clients, regions.
import { del, get, post, seg } from '../api.js';
import { alertBox, announce, confirmDialog, field, h, replace, showError } from '../dom.js';
import { timeElement } from '../format.js';

const PLANS = ['ENTERPRISE', 'PROFESSIONAL', 'STARTER', 'FREE'];
const PERMISSIONS = [
  ['backups:read', 'Read backups, restores and schedules'],
  ['backups:write', 'Create and delete backups, set schedules'],
  ['backups:restore', 'Restore backups'],
  ['clusters:read', 'Read clusters'],
  ['clusters:write', 'Register and delete clusters'],
  ['audit:read', 'Read the organization’s audit trail'],
  ['webhooks:read', 'Read webhooks and their deliveries'],
  ['webhooks:write', 'Create and delete webhooks'],
];

export function renderAdmin(main, scope) {
  main.append(
    h('h1', { text: 'Administration' }),
    h('p', { class: 'lead', text: 'Organizations, their API clients and the regions backups are kept in. Only the operator sees this page.' }));

  const organizations = { list: [], listeners: [] };
  const orgSection = organizationsSection(scope, organizations);
  const clientSection = clientsSection(organizations);
  const regionSection = regionsSection(scope);
  main.append(orgSection, clientSection, regionSection);
  return 'Administration';
}

function organizationsSection(scope, organizations) {
  const error = alertBox();
  const tableArea = h('div', { id: 'organizations' }, h('p', { class: 'muted', text: 'Loading organizations…' }));
  const name = h('input', { type: 'text', id: 'org-name', required: true, maxlength: '100', autocomplete: 'off' });
  const plan = h('select', { id: 'org-plan' }, PLANS.map(p => h('option', { value: p, text: p })));
  const created = h('p', { class: 'message ok', role: 'status' });
  const form = h('form', { id: 'org-form', class: 'row' },
    field('Name', name), field('Plan', plan, 'Only ENTERPRISE includes backups.'),
    h('div', { class: 'actions' }, h('button', { type: 'submit', text: 'Create organization' })));

  const load = async () => {
    try {
      organizations.list = await get('/admin/organizations', { signal: scope.signal });
      organizations.listeners.forEach(fn => fn(organizations.list));
      replace(tableArea, organizations.list.length === 0
        ? h('p', { text: 'No organization yet.' })
        : h('div', { class: 'table-wrap' }, h('table', { id: 'organizations-table' },
          h('caption', { text: 'Organizations' }),
          h('thead', {}, h('tr', {}, ['Name', 'Plan', 'Id', 'Created'].map(t => h('th', { scope: 'col', text: t })))),
          h('tbody', {}, organizations.list.map(o => h('tr', {},
            h('th', { scope: 'row', text: o.name }),
            h('td', { text: o.plan }),
            h('td', { class: 'mono', text: o.id }),
            h('td', {}, timeElement(o.createdAt))))))));
    } catch (e) {
      if (e.name !== 'AbortError') showError(error, e, 'The organizations could not be loaded');
    }
  };

  form.addEventListener('submit', async event => {
    event.preventDefault();
    showError(error, null);
    created.textContent = '';
    try {
      const organization = await post('/admin/organizations', { name: name.value.trim(), plan: plan.value });
      created.textContent = `Organization ${organization.name} created (${organization.id}).`;
      name.value = '';
      load();
    } catch (e) {
      showError(error, e, 'The organization was not created');
    }
  });
  load();
  return h('section', { 'aria-labelledby': 'orgs-heading' },
    h('h2', { id: 'orgs-heading', text: 'Organizations' }), tableArea,
    h('h3', { text: 'New organization' }), form, error, created);
}

function organizationSelect(id, organizations) {
  const select = h('select', { id, required: true }, h('option', { value: '', text: 'Choose an organization' }));
  const fill = list => {
    const chosen = select.value;
    replace(select, h('option', { value: '', text: 'Choose an organization' }), list.map(o => h('option', { value: o.id, text: `${o.name} (${o.plan})` })));
    select.value = chosen;
  };
  organizations.listeners.push(fill);
  fill(organizations.list);
  return select;
}

function clientsSection(organizations) {
  // Create
  const createOrg = organizationSelect('client-org', organizations);
  const name = h('input', { type: 'text', id: 'client-name', required: true, maxlength: '100', autocomplete: 'off' });
  const boxes = PERMISSIONS.map(([scope, what]) => h('input', { type: 'checkbox', id: `perm-${scope.replace(':', '-')}`, value: scope, props: { checked: scope.endsWith(':read') } }));
  const permissions = h('fieldset', {}, h('legend', { text: 'Permissions' }),
    PERMISSIONS.map(([scope, what], i) => field(`${scope}: ${what}`, boxes[i])));
  const createError = alertBox();
  const secretArea = h('div', { id: 'new-client' });
  const createForm = h('form', { id: 'client-form', class: 'stacked' },
    field('Organization', createOrg), field('Client name', name), permissions,
    h('div', { class: 'actions' }, h('button', { type: 'submit', text: 'Create API client' })));
  createForm.addEventListener('submit', async event => {
    event.preventDefault();
    showError(createError, null);
    secretArea.replaceChildren();
    if (!createOrg.value) {
      showError(createError, new Error('Choose the organization the client belongs to.'));
      createOrg.focus();
      return;
    }
    try {
      const client = await post(`/admin/organizations/${seg(createOrg.value)}/clients`, {
        name: name.value.trim(),
        permissions: boxes.filter(b => b.checked).map(b => b.value),
      });
      name.value = '';
      replace(secretArea, secretPanel(client));
      secretArea.querySelector('h3')?.focus();
      announce('API client created. Copy its secret now: it is shown only once.');
    } catch (e) {
      showError(createError, e, 'The API client was not created');
    }
  });

  // Delete (the API lists no clients: the operator names the one to delete)
  const deleteOrg = organizationSelect('delete-client-org', organizations);
  const clientId = h('input', { type: 'text', id: 'delete-client-id', required: true, autocomplete: 'off', spellcheck: 'false' });
  const deleteError = alertBox();
  const deleted = h('p', { class: 'message ok', role: 'status' });
  const deleteForm = h('form', { id: 'delete-client-form', class: 'row' },
    field('Organization', deleteOrg), field('Client id', clientId),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'danger', text: 'Delete API client…' })));
  deleteForm.addEventListener('submit', async event => {
    event.preventDefault();
    showError(deleteError, null);
    deleted.textContent = '';
    const id = clientId.value.trim();
    if (!deleteOrg.value || !id) {
      showError(deleteError, new Error('Choose the organization and enter the client id.'));
      return;
    }
    const confirmed = await confirmDialog({
      title: `Delete API client ${id}?`,
      body: h('p', { text: 'Its tokens stop working at once, and its secret can never be used again.' }),
      confirmLabel: 'Delete API client',
      danger: true,
    });
    if (!confirmed) return;
    try {
      await del(`/admin/organizations/${seg(deleteOrg.value)}/clients/${seg(id)}`);
      deleted.textContent = `API client ${id} deleted.`;
      clientId.value = '';
    } catch (e) {
      showError(deleteError, e, 'The API client was not deleted');
    }
  });

  return h('section', { 'aria-labelledby': 'clients-heading' },
    h('h2', { id: 'clients-heading', text: 'API clients' }),
    h('div', { class: 'cards' },
      h('div', {}, h('h3', { text: 'New API client' }), createForm, createError, secretArea),
      h('div', {}, h('h3', { text: 'Delete an API client' }), deleteForm, deleteError, deleted)));
}

/** The new client's secret, shown this once, with copy buttons and a clear warning. */
function secretPanel(client) {
  const idField = h('input', { type: 'text', id: 'new-client-id', readonly: true, props: { value: client.clientId } });
  const secretField = h('input', { type: 'text', id: 'new-client-secret', readonly: true, autocomplete: 'off', spellcheck: 'false', props: { value: client.clientSecret } });
  const copied = h('p', { role: 'status', class: 'muted' });
  const copyButton = (input, what) => h('button', {
    type: 'button', class: 'secondary', text: `Copy ${what}`,
    onClick: async () => {
      try {
        await navigator.clipboard.writeText(input.value);
      } catch {
        input.select();
        document.execCommand('copy');
      }
      copied.textContent = `${what.charAt(0).toUpperCase()}${what.slice(1)} copied to the clipboard.`;
    },
  });
  const panel = h('div', { class: 'callout', role: 'region', 'aria-labelledby': 'new-client-heading' },
    h('h3', { id: 'new-client-heading', tabindex: '-1', text: `API client ${client.name} created` }),
    h('p', { class: 'message warn', id: 'secret-warning' }, h('strong', { text: 'The secret is shown only once. ' }),
      'Copy it now and keep it somewhere safe: Backstop stores only a hash of it and can never show it again.'),
    h('div', { class: 'secret' }, field('Client id', idField), copyButton(idField, 'client id')),
    h('div', { class: 'secret' }, field('Client secret', secretField, 'Shown only once.'), copyButton(secretField, 'secret')),
    h('p', { text: `Permissions: ${client.permissions.join(', ')}` }),
    copied,
    h('button', { type: 'button', text: 'I have stored the secret: hide it', onClick: () => panel.remove() }));
  return panel;
}

function regionsSection(scope) {
  const area = h('div', { id: 'regions' }, h('p', { class: 'muted', text: 'Loading regions…' }));
  const error = alertBox();
  get('/admin/regions', { signal: scope.signal })
    .then(regions => replace(area, regions.length === 0
      ? h('p', { text: 'No region is configured (backstop.regions.*).' })
      : h('div', { class: 'table-wrap' }, h('table', { id: 'regions-table' },
        h('caption', { text: 'Regions (their keys are never shown)' }),
        h('thead', {}, h('tr', {}, ['Name', 'Endpoint', 'Bucket', 'Path-style'].map(t => h('th', { scope: 'col', text: t })))),
        h('tbody', {}, regions.map(r => h('tr', {},
          h('th', { scope: 'row', text: r.name }),
          h('td', { class: 'mono', text: r.endpoint }),
          h('td', { class: 'mono', text: r.bucket }),
          h('td', { text: r.pathStyle ? 'yes' : 'no' }))))))))
    .catch(e => {
      if (e.name !== 'AbortError') showError(error, e, 'The regions could not be loaded');
    });
  return h('section', { 'aria-labelledby': 'regions-heading' }, h('h2', { id: 'regions-heading', text: 'Regions' }), error, area);
}

// Sign in with an API client's credentials. The secret goes to /oauth/token and nowhere else.
import { signIn, takeFlash } from '../auth.js';
import { alertBox, field, h, showError } from '../dom.js';

export function renderSignIn(main) {
  const flash = takeFlash();
  const clientId = h('input', { type: 'text', name: 'client_id', autocomplete: 'username', required: true, spellcheck: 'false', autocapitalize: 'none' });
  const secret = h('input', { type: 'password', name: 'client_secret', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', text: 'Sign in' });
  const error = alertBox();
  const form = h('form', { class: 'stacked', 'aria-describedby': 'signin-help' },
    field('Client id', clientId),
    field('Client secret', secret),
    h('div', { class: 'actions' }, submit),
    error);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    showError(error, null);
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    try {
      await signIn(clientId.value.trim(), secret.value);
      secret.value = '';
      window.location.hash = '#/clusters';
    } catch (e) {
      secret.value = '';
      showError(error, e);
      secret.focus();
    } finally {
      submit.disabled = false;
      submit.textContent = 'Sign in';
    }
  });
  main.append(
    h('h1', { text: 'Sign in to Backstop' }),
    h('p', { id: 'signin-help', class: 'lead', text: 'Use an API client of your organization (client id and secret). The console keeps only the access token, for this tab, until you sign out or it expires.' }),
    flash ? h('p', { class: 'message info', role: 'status', text: flash }) : null,
    form);
  return 'Sign in';
}

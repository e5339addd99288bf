// A real OpenID Connect provider (the oidc-provider package) on loopback, for Hive's SSO tests.
//
// It listens on a port the OS picks (so parallel test processes never collide; OIDC_PORT fixes one
// for trying Hive by hand), then prints one JSON line, {"issuer": "http://127.0.0.1:<port>"}, on stdout. Its people are read from the JSON file named
// by OIDC_ACCOUNTS_FILE on every sign-in, so a test can change someone's claims between sign-ins:
//   {"<sub>": {"username": "...", "password": "...", "claims": {"email": "...", "email_verified": true}}}
// The one client is configured by OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URIS and
// OIDC_POST_LOGOUT_REDIRECT_URIS (space-separated).
import { readFileSync } from 'node:fs';
import http from 'node:http';

import Provider from 'oidc-provider';

const accountsFile = process.env.OIDC_ACCOUNTS_FILE;

function loadAccounts() {
  return JSON.parse(readFileSync(accountsFile, 'utf8'));
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function readForm(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

function loginPage(uid, error) {
  return `<!doctype html><title>Test identity provider</title>
<p>${error ? escapeHtml(error) : 'Sign in'}</p>
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<input name="username"><input name="password" type="password"><button>Sign in</button></form>`;
}

const server = http.createServer();
server.listen(Number(process.env.OIDC_PORT || 0), '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: process.env.OIDC_CLIENT_ID,
      client_secret: process.env.OIDC_CLIENT_SECRET,
      redirect_uris: process.env.OIDC_REDIRECT_URIS.split(' ').filter(Boolean),
      post_logout_redirect_uris: (process.env.OIDC_POST_LOGOUT_REDIRECT_URIS || '').split(' ').filter(Boolean),
      grant_types: ['authorization_code'],
      response_types: ['code'],
    }],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name'],
    },
    cookies: { keys: ['test-only-cookie-key'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(ctx, sub) {
      const account = loadAccounts()[sub];
      if (!account) return undefined;
      return { accountId: sub, claims: async () => ({ ...account.claims, sub }) };
    },
    // Hive is the company's own (first-party) app: consent is given once sign-in succeeds.
    async loadExistingGrant(ctx) {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid email profile');
      grant.addOIDCClaims(['email', 'email_verified', 'name', 'given_name', 'family_name']);
      await grant.save();
      return grant;
    },
  });
  const oidc = provider.callback();

  server.on('request', async (req, res) => {
    const match = req.url.match(/^\/interaction\/([^/?]+)(\/login)?/);
    if (!match) {
      oidc(req, res);
      return;
    }
    try {
      const details = await provider.interactionDetails(req, res);
      if (!match[2]) {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(loginPage(details.uid));
        return;
      }
      const form = await readForm(req);
      const accounts = loadAccounts();
      const sub = Object.keys(accounts).find((key) => accounts[key].username === form.get('username'));
      if (!sub || accounts[sub].password !== form.get('password')) {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(loginPage(details.uid, 'Wrong username or password.'));
        return;
      }
      await provider.interactionFinished(req, res, { login: { accountId: sub } }, { mergeWithLastSubmission: false });
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    }
  });
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
});

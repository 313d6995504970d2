// Accord with google-auth-library's JWT client (service accounts, reference §1.15, §1.16),
// driven by tests/e2e/service_accounts/test_node_jwt.py against a running Accord.
//
// gtoken, which the JWT client uses, hard-codes https://oauth2.googleapis.com/token both as
// the assertion's aud and as the URL it posts to (reference §1.24). The one change made
// here is to URLs: a request interceptor on the client's own gaxios transporter (the
// documented `transporter.interceptors.request`) rewrites https://oauth2.googleapis.com/...
// to Accord's origin. The assertion is unchanged (aud stays Google's, as Accord accepts).
//
// Environment: ACCORD (origin), KEY_FILE, SCOPES (space-separated), SUBJECT (optional:
// domain-wide delegation), TARGET_AUDIENCE (optional: an ID token instead).
// stdout: one JSON object {"token", "tokeninfo", "files", "id_token"} or {"error": {...}}.
import { readFileSync } from 'node:fs';
import { JWT } from 'google-auth-library';

const GOOGLE = 'https://oauth2.googleapis.com/';
const accord = process.env.ACCORD;

function redirect(client) {
  client.transporter.interceptors.request.add({
    resolved: async (options) => {
      const url = options.url.toString();
      if (url.startsWith(GOOGLE)) options.url = new URL(accord + '/' + url.slice(GOOGLE.length));
      return options;
    },
  });
}

function say(message) {
  return new Promise((resolve) => process.stdout.write(JSON.stringify(message) + '\n', resolve));
}

async function main() {
  const keys = JSON.parse(readFileSync(process.env.KEY_FILE, 'utf8'));
  const client = new JWT({
    email: keys.client_email,
    key: keys.private_key,
    keyId: keys.private_key_id,
    scopes: (process.env.SCOPES || '').split(' ').filter(Boolean),
    subject: process.env.SUBJECT || undefined,
  });
  redirect(client);
  if (process.env.TARGET_AUDIENCE) {
    await say({ id_token: await client.fetchIdToken(process.env.TARGET_AUDIENCE) });
    return;
  }
  const { token } = await client.getAccessToken();
  // Tokeninfo by query alone, as Google documents it: client.request would add the
  // Authorization header too, and a token sent two ways is refused (RFC 6750 §2).
  const tokeninfo = { data: await (await fetch(`${accord}/tokeninfo?access_token=${token}`)).json() };
  const files = await client.request({ url: `${accord}/drive/v3/files` });
  await say({ token, tokeninfo: tokeninfo.data, files: files.data });
}

main().catch(async (error) => {
  const data = error.response?.data;
  await say({ error: { name: error.name, message: error.message, data: data ?? null } });
  process.exit(1);
});

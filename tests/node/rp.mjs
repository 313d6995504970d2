// A relying party built on openid-client (the OpenID-certified RP library for Node), driven
// by tests/e2e/openid/test_openid_client.py against a running Accord.
//
// Protocol with the driver, one JSON object per line:
//   1. stdout: {"authorization_url": ..., "issuer": ...}   after discovery
//   2. stdin:  the callback URL the browser was sent to (the redirect URI with code and state)
//   3. stdout: {"claims": ..., "userinfo": ..., ...}        and exit 0
//      or      {"error": {name, message, code, cause}}      and exit 1, at any step
//
// Environment: ISSUER, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI; TOKEN_AUTH=basic authenticates
// the client with HTTP Basic instead of client_secret_post. Two negative checks, each
// of which openid-client must turn into an error: WRONG_NONCE=1 makes the RP expect another
// nonce than the one it sent; FOREIGN_JWKS=1 swaps every published key for one Accord never
// signed with (same kid), so the ID token's signature cannot verify.
import { generateKeyPairSync } from 'node:crypto';
import { createInterface } from 'node:readline';
import * as client from 'openid-client';

const SCOPE = 'openid email profile';

function env(name) {
  const value = process.env[name];
  if (!value) throw new TypeError(`${name} is not set`);
  return value;
}

// Resolves once the line is handed to the OS, so that exiting right after loses nothing.
function say(message) {
  return new Promise((resolve) => process.stdout.write(JSON.stringify(message) + '\n', resolve));
}

// An error and its causes as plain JSON: openid-client wraps oauth4webapi's errors, whose
// cause names the claim or attribute that did not match.
function describe(value, depth = 0) {
  if (value === null || value === undefined || depth > 4) return null;
  if (value instanceof Error) {
    const out = { name: value.name, message: value.message };
    for (const key of ['code', 'error', 'error_description', 'status']) {
      if (value[key] !== undefined) out[key] = value[key];
    }
    out.cause = describe(value.cause, depth + 1);
    return out;
  }
  if (typeof value === 'object') {
    const out = {};
    for (const key of ['claim', 'attribute', 'expected', 'reason', 'check']) {
      const v = value[key];
      if (v !== undefined && (typeof v !== 'object' || v === null)) out[key] = v;
    }
    if (value.claims && typeof value.claims === 'object') out.claims = value.claims;
    return out;
  }
  return String(value);
}

// The JWKS as Accord published it, or with each RSA key's public part replaced.
function foreign(jwks) {
  const keys = jwks.keys.map((key) => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { n, e } = publicKey.export({ format: 'jwk' });
    return { ...key, n, e };
  });
  return { ...jwks, keys };
}

async function main() {
  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

  // OIDC Discovery 1.0 §4: the metadata's issuer must equal the issuer asked for. Accord runs
  // on plain http://127.0.0.1 in tests; non-repudiation checks make openid-client verify the
  // ID token's signature against jwks_uri (by default it trusts the TLS channel instead).
  const config = await client.discovery(
    new URL(env('ISSUER')),
    env('CLIENT_ID'),
    env('CLIENT_SECRET'),
    // client_secret_post is openid-client's default; TOKEN_AUTH=basic picks HTTP Basic.
    process.env.TOKEN_AUTH === 'basic' ? client.ClientSecretBasic() : undefined,
    { execute: [client.allowInsecureRequests, client.enableNonRepudiationChecks] },
  );
  const metadata = config.serverMetadata();

  // Count the JWKS downloads (proof that the signature was checked) and, if asked, forge them;
  // note how each token request authenticated the client.
  let jwksFetches = 0;
  const tokenAuth = [];
  config[client.customFetch] = async (url, options) => {
    if (url === metadata.token_endpoint) {
      const basic = /^basic /i.test(options.headers.authorization ?? '');
      const post = new URLSearchParams(String(options.body)).has('client_secret');
      tokenAuth.push(basic && !post ? 'basic' : post && !basic ? 'post' : 'other');
    }
    const response = await fetch(url, options);
    if (url !== metadata.jwks_uri) return response;
    jwksFetches += 1;
    if (!process.env.FOREIGN_JWKS) return response;
    return Response.json(foreign(await response.json()));
  };

  const pkceCodeVerifier = client.randomPKCECodeVerifier();
  const nonce = client.randomNonce();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: env('REDIRECT_URI'),
    scope: SCOPE,
    code_challenge: await client.calculatePKCECodeChallenge(pkceCodeVerifier),
    code_challenge_method: 'S256',
    nonce,
    state,
    access_type: 'offline', // Google's way to ask for a refresh token
  });
  await say({ authorization_url: url.href, issuer: metadata.issuer, jwks_uri: metadata.jwks_uri });

  const { value: callback, done } = await lines.next();
  if (done || !callback.trim()) throw new TypeError('no callback URL on stdin');

  const expectedNonce = process.env.WRONG_NONCE ? client.randomNonce() : nonce;
  const tokens = await client.authorizationCodeGrant(config, new URL(callback.trim()), {
    pkceCodeVerifier,
    expectedNonce,
    expectedState: state,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);

  let refresh = null;
  if (tokens.refresh_token) {
    const renewed = await client.refreshTokenGrant(config, tokens.refresh_token);
    const renewedClaims = renewed.claims();
    refresh = {
      access_token_changed: renewed.access_token !== tokens.access_token,
      token_type: renewed.token_type,
      expires_in: renewed.expires_in ?? null,
      scope: renewed.scope ?? null,
      id_token: Boolean(renewed.id_token),
      claims: renewedClaims ?? null,
    };
  }

  await say({
    claims,
    userinfo,
    token_type: tokens.token_type,
    scope: tokens.scope ?? null,
    expires_in: tokens.expires_in ?? null,
    refresh_token: Boolean(tokens.refresh_token),
    refresh,
    jwks_fetches: jwksFetches,
    token_auth: tokenAuth,
  });
}

main().then(
  () => process.exit(0),
  async (err) => {
    await say({ error: describe(err) });
    process.exit(1);
  },
);

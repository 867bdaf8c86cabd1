// An OpenID Connect provider for the sign-in tests: oidc-provider on a free port of
// 127.0.0.1, with one confidential client whose redirect URI the test gives, PKCE
// required, and accounts named by their email address (any login is accepted on the
// provider's own development pages). Prints {"issuer": "..."} once it listens and
// stops when its standard input closes.
//
// For the refusal tests, POST /__tamper?mode=… changes the ID tokens the token
// endpoint hands out from then on: `wrong_nonce` and `expired` re-sign a changed
// token with the provider's real key, `foreign_key` signs it with a key the
// provider never published (same key id); `none` stops tampering.

import http from 'node:http';
import * as jose from 'jose';
import Provider from 'oidc-provider';

const redirectUri = process.env.REDIRECT_URI;
const clientId = process.env.CLIENT_ID ?? 'samrad';
const clientSecret = process.env.CLIENT_SECRET;
if (!redirectUri || !clientSecret) {
  console.error('REDIRECT_URI and CLIENT_SECRET are required');
  process.exit(2);
}

const KID = 'test-signing-key';
async function signingKey() {
  const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
  return { privateKey, jwk: { ...(await jose.exportJWK(privateKey)), kid: KID, alg: 'RS256', use: 'sig' } };
}
const real = await signingKey();
const foreign = await signingKey();

let mode = 'none';

async function tamper(idToken) {
  const claims = jose.decodeJwt(idToken);
  const now = Math.floor(Date.now() / 1000);
  let key = real.privateKey;
  if (mode === 'wrong_nonce') claims.nonce = 'a-nonce-this-browser-never-sent';
  if (mode === 'expired') {
    claims.iat = now - 7200;
    claims.exp = now - 3600;
  }
  if (mode === 'foreign_key') key = foreign.privateKey;
  return new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: KID, typ: 'JWT' }).sign(key);
}

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    }],
    jwks: { keys: [real.jwk] },
    pkce: { required: () => true },
    // The email and name claims in the ID token itself.
    conformIdTokenClaims: false,
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    cookies: { keys: ['a-cookie-key-for-tests-only'] },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx, id) {
      return {
        accountId: id,
        async claims() {
          // "unverified+…" logins get an address the provider does not vouch for.
          const verified = !id.startsWith('unverified+');
          return { sub: `account-${id}`, email: id, email_verified: verified, name: `Test ${id.split('@')[0]}` };
        },
      };
    },
  });
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.method === 'POST' && ctx.path === '/token' && mode !== 'none' && ctx.body?.id_token) {
      ctx.body = { ...ctx.body, id_token: await tamper(ctx.body.id_token) };
    }
  });
  const handle = provider.callback();
  server.on('request', (req, res) => {
    if (req.method === 'POST' && req.url.startsWith('/__tamper')) {
      mode = new URL(req.url, issuer).searchParams.get('mode') ?? 'none';
      res.end(mode);
      return;
    }
    handle(req, res);
  });
  process.stdout.write(`${JSON.stringify({ issuer })}\n`);
  // The test stops reading after that line: everything else goes to standard error.
  console.log = console.info = console.error;
  process.stdout.on('error', () => {});
});

process.stdin.on('end', () => process.exit(0));
process.stdin.resume();

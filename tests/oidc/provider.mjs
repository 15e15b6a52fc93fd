// A real OpenID Connect provider for the sign-in tests: the oidc-provider npm package on 127.0.0.1.
//
//   node tests/oidc/provider.mjs config.json
//
// config.json: {"client": {"client_id", "client_secret", "redirect_uris", "post_logout_redirect_uris"},
//               "users": {"<login>": {"email", "email_verified", "given_name", "family_name", "groups"}}}
// It listens on a free port and prints one line of JSON, {"issuer": "http://127.0.0.1:<port>"},
// then serves until killed. Its own login page is oidc-provider's development interaction
// (any password); consent is granted without asking, as for a first-party app. PKCE is required.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const server = createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'test-signing-key', use: 'sig', alg: 'RS256' };

  const provider = new Provider(issuer, {
    clients: [{
      token_endpoint_auth_method: 'client_secret_post',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      ...config.client,
    }],
    jwks: { keys: [signingKey] },
    cookies: { keys: ['test-cookie-signing-key'] },
    pkce: { required: () => true },
    // Put the claims in the ID token too, as Entra ID does, not only in the userinfo response.
    conformIdTokenClaims: false,
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name'],
      groups: ['groups'],
    },
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    async findAccount(_ctx, id) {
      const user = config.users[id];
      if (!user) return undefined;
      return { accountId: id, async claims() { return { sub: id, ...user }; } };
    },
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile groups');
      await grant.save();
      return grant;
    },
  });
  provider.on('server_error', (_ctx, error) => console.error(error));
  server.on('request', provider.callback());
  console.log(JSON.stringify({ issuer }));
});

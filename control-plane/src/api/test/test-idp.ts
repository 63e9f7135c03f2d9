import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestUser {
  sub: string;
  claims: Record<string, unknown>;
}

/**
 * A real OpenID Provider (oidc-provider) in this process, shaped like Okta or Entra ID by the
 * claims its users carry. Login and consent are completed automatically for `nextUser`, so tests
 * can drive the whole redirect flow over HTTP.
 */
export class TestIdp {
  nextUser: TestUser | undefined;
  private constructor(
    readonly issuer: string,
    private readonly server: Server,
  ) {}

  static async start(clientId: string, clientSecret: string, redirectUri: () => string, postLogoutUri: () => string): Promise<TestIdp> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
    // the provider's callbacks need the TestIdp, which needs the provider: a holder breaks the cycle
    const self: { idp?: TestIdp } = {};
    const provider = new Provider(issuer, {
      jwks: { keys: [{ ...jwk, kid: 'test-key', alg: 'RS256', use: 'sig' }] },
      clients: [{ client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri()], post_logout_redirect_uris: [postLogoutUri()], grant_types: ['authorization_code'], response_types: ['code'] }],
      pkce: { required: () => true },
      scopes: ['openid', 'profile', 'email', 'groups'],
      claims: { openid: ['sub'], profile: ['name'], email: ['email'], groups: ['groups', 'roles', '_claim_names', '_claim_sources'] },
      conformIdTokenClaims: false,
      findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub, ...(self.idp?.nextUser?.sub === sub ? self.idp.nextUser.claims : {}) }) }),
      features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      ttl: { Session: 3600, Interaction: 600, Grant: 3600, AuthorizationCode: 60, IdToken: 3600, AccessToken: 3600 },
    });
    const idp = new TestIdp(issuer, server);
    self.idp = idp;
    const callback = provider.callback();
    server.on('request', async (req, res) => {
      if (!req.url?.startsWith('/interaction/')) return callback(req, res);
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === 'login') {
        return provider.interactionFinished(req, res, { login: { accountId: idp.nextUser!.sub } }, { mergeWithLastSubmission: false });
      }
      const grant = new provider.Grant({ accountId: details.session!.accountId, clientId });
      const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    });
    return idp;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

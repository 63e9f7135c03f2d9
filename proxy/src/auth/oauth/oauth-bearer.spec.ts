import { createPublicKey } from 'node:crypto';
import type { JsonWebKey } from 'node:crypto';
import { SignJWT, base64url, decodeJwt, decodeProtectedHeader, errors } from 'jose';
import type { JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OAuthBearerVerifier, OAuthError } from './oauth-bearer.js';
import type { SnapshotIdentityProvider } from './oauth-bearer.js';
import { closedOrigin, startServer } from './test/http-server.js';
import type { TestServer } from './test/http-server.js';
import { AGENT_GROUPS, startTestIdp } from './test/test-idp.js';
import type { TestIdp } from './test/test-idp.js';

const RESOURCE = 'https://proxy.example/t/acme/mcp/github';
const OTHER_RESOURCE = 'https://proxy.example/t/acme/mcp/jira';

const idpConfig = (idp: TestIdp, extra: Partial<SnapshotIdentityProvider> = {}): SnapshotIdentityProvider => ({
  id: 'idp_okta',
  issuer: idp.issuer,
  jwksUri: idp.jwksUri,
  audiences: [RESOURCE, OTHER_RESOURCE],
  groupsClaim: 'groups',
  ...extra,
});

/** The OAuthError a verification fails with (fails the test when it succeeds or throws anything else). */
async function rejectionOf(promise: Promise<unknown>): Promise<OAuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OAuthError);
  return error as OAuthError;
}

const jwksFetches = (idp: TestIdp) => idp.requests.filter((path) => path === '/jwks').length;

describe(OAuthBearerVerifier.name, () => {
  let idp: TestIdp;
  let sut: OAuthBearerVerifier;
  let providers: SnapshotIdentityProvider[];
  const now = () => Math.floor(Date.now() / 1000);
  /** Claims the IdP would put in a token for RESOURCE, signed by its own key. */
  const claims = (extra: Record<string, unknown> = {}): JWTPayload => ({
    iss: idp.issuer,
    aud: RESOURCE,
    sub: 'alice',
    client_id: 'agent-web',
    scope: 'mcp:tools',
    iat: now(),
    exp: now() + 300,
    ...extra,
  });

  beforeAll(async () => {
    idp = await startTestIdp();
    providers = [idpConfig(idp)];
    sut = new OAuthBearerVerifier({ allowInsecureHttpIssuers: true });
  });
  afterAll(() => idp.close());

  describe('a token the IdP issued for this resource', () => {
    it('yields the principal with groups and scopes', async () => {
      const token = await idp.token({ resource: RESOURCE, scope: 'mcp:tools mcp:admin' });

      const principal = await sut.verify(token, providers, RESOURCE, ['mcp:tools']);

      expect(principal).toEqual({
        kind: 'oauth',
        identityProviderId: 'idp_okta',
        issuer: idp.issuer,
        subject: 'agent-svc',
        clientId: 'agent-svc',
        groups: [...AGENT_GROUPS],
        scopes: ['mcp:tools', 'mcp:admin'],
        expiresAt: decodeJwt(token).exp,
        tokenId: decodeJwt(token).jti,
      });
      expect(principal.expiresAt).toBeGreaterThan(now());
      expect(Object.isFrozen(principal.groups)).toBe(true);
    });

    it('is refused with 403 insufficient_scope when a required scope is missing', async () => {
      const token = await idp.token({ resource: RESOURCE, scope: 'mcp:tools' });

      const error = await rejectionOf(sut.verify(token, providers, RESOURCE, ['mcp:tools', 'mcp:admin']));

      expect(error).toMatchObject({ code: 'insufficient_scope', status: 403, description: 'insufficient scope' });
      expect(error.requiredScopes).toEqual(['mcp:tools', 'mcp:admin']);
    });
  });

  describe('refusals', () => {
    it('refuses a token for another resource of the same tenant', async () => {
      const token = await idp.token({ resource: OTHER_RESOURCE });

      const error = await rejectionOf(sut.verify(token, providers, RESOURCE));

      expect(error).toMatchObject({ code: 'invalid_token', status: 401, description: 'token audience does not match this resource' });
      expect(error.cause).toBeInstanceOf(errors.JWTClaimValidationFailed);
    });

    it("refuses a resource that is not among the IdP's configured audiences, before fetching keys", async () => {
      const token = await idp.token({ resource: RESOURCE });
      const fetchesBefore = jwksFetches(idp);

      const error = await rejectionOf(sut.verify(token, [idpConfig(idp, { audiences: [OTHER_RESOURCE] })], RESOURCE));

      expect(error.description).toBe('issuer not accepted for this resource');
      expect(jwksFetches(idp)).toBe(fetchesBefore);
    });

    it('refuses an issuer the tenant does not trust, and compares issuers exactly', async () => {
      const token = await idp.token({ resource: RESOURCE });
      const others = [idpConfig(idp, { issuer: 'https://login.example/acme' }), idpConfig(idp, { issuer: `${idp.issuer}/` })];

      const error = await rejectionOf(sut.verify(token, others, RESOURCE));

      expect(error).toMatchObject({ code: 'invalid_token', description: 'unknown issuer' });
    });

    it('refuses an expired token, and accepts one expired within the clock tolerance', async () => {
      const expired = await idp.sign(claims({ iat: now() - 600, exp: now() - 120 }));
      const justExpired = await idp.sign(claims({ iat: now() - 600, exp: now() - 10 }));

      expect((await rejectionOf(sut.verify(expired, providers, RESOURCE))).description).toBe('token expired');
      await expect(sut.verify(justExpired, providers, RESOURCE)).resolves.toMatchObject({ subject: 'alice' });
    });

    it('refuses a token without exp or sub', async () => {
      const { exp: _exp, ...noExp } = claims();
      const { sub: _sub, ...noSub } = claims();

      expect((await rejectionOf(sut.verify(await idp.sign(noExp), providers, RESOURCE))).description).toBe('token has no expiry');
      expect((await rejectionOf(sut.verify(await idp.sign(noSub), providers, RESOURCE))).description).toBe('token has no subject');
      expect((await rejectionOf(sut.verify(await idp.sign(claims({ sub: 42 })), providers, RESOURCE))).description).toBe(
        'token has no subject',
      );
    });

    it('honours nbf and iat with the clock tolerance', async () => {
      const notYet = await idp.sign(claims({ nbf: now() + 600 }));
      const future = await idp.sign(claims({ iat: now() + 600 }));
      const slightSkew = await idp.sign(claims({ nbf: now() + 10, iat: now() + 10 }));

      expect((await rejectionOf(sut.verify(notYet, providers, RESOURCE))).description).toBe('token not yet valid');
      expect((await rejectionOf(sut.verify(future, providers, RESOURCE))).description).toBe('token issued in the future');
      await expect(sut.verify(slightSkew, providers, RESOURCE)).resolves.toMatchObject({ subject: 'alice' });
    });

    it('refuses a token whose claims were changed after signing', async () => {
      const [header, , signature] = (await idp.token({ resource: RESOURCE })).split('.');
      const forged = base64url.encode(JSON.stringify(claims({ sub: 'admin', groups: ['tenant-admins'] })));

      const error = await rejectionOf(sut.verify(`${header}.${forged}.${signature}`, providers, RESOURCE));

      expect(error.description).toBe('signature invalid');
    });

    it('refuses alg none and an HS256 token keyed with the public key, before fetching keys', async () => {
      const encode = (value: object) => base64url.encode(JSON.stringify(value));
      const unsigned = `${encode({ alg: 'none', typ: 'at+jwt' })}.${encode(claims())}.`;
      const publicPem = createPublicKey({ key: idp.currentKey.publicJwk as JsonWebKey, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
      const hmac = await new SignJWT(claims())
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: idp.currentKey.kid })
        .sign(new TextEncoder().encode(publicPem.toString()));
      const fetchesBefore = jwksFetches(idp);

      for (const token of [unsigned, hmac]) {
        expect((await rejectionOf(sut.verify(token, providers, RESOURCE))).description).toBe('algorithm not allowed');
      }
      expect(jwksFetches(idp)).toBe(fetchesBefore);
    });

    it('accepts typ at+jwt, application/at+jwt, JWT or none, and refuses other types', async () => {
      for (const typ of ['at+jwt', 'application/at+jwt', 'JWT', null]) {
        await expect(sut.verify(await idp.sign(claims(), { typ }), providers, RESOURCE)).resolves.toMatchObject({ subject: 'alice' });
      }
      const dpop = await idp.sign(claims(), { typ: 'dpop+jwt' });
      expect((await rejectionOf(sut.verify(dpop, providers, RESOURCE))).description).toBe('unsupported token type');
    });

    it('refuses garbage, an empty token (400 invalid_request) and an oversized one', async () => {
      expect((await rejectionOf(sut.verify('not-a-jwt', providers, RESOURCE))).description).toBe('malformed token');
      expect(await rejectionOf(sut.verify('', providers, RESOURCE))).toMatchObject({ code: 'invalid_request', status: 400 });
      expect((await rejectionOf(sut.verify('a'.repeat(40_000), providers, RESOURCE))).description).toBe('token too large');
    });

    it('never echoes the token in the error', async () => {
      const tokens = [
        await idp.token({ resource: OTHER_RESOURCE }),
        await idp.sign(claims({ exp: now() - 600 })),
        `${(await idp.token({ resource: RESOURCE })).slice(0, -4)}AAAA`,
      ];
      for (const token of tokens) {
        const error = await rejectionOf(sut.verify(token, providers, RESOURCE));
        const [, payload, signature] = token.split('.');
        for (const part of [token, payload ?? '', signature ?? '']) {
          expect(`${error.message} ${error.description} ${error.stack ?? ''}`).not.toContain(part);
        }
      }
    });
  });

  describe('claims from other IdPs', () => {
    it('reads groups from a configured claim holding a space-separated string', async () => {
      const token = await idp.sign(claims({ roles: 'mcp-users  auditors' }));

      const principal = await sut.verify(token, [idpConfig(idp, { groupsClaim: 'roles' })], RESOURCE);

      expect(principal.groups).toEqual(['mcp-users', 'auditors']);
    });

    it('reads Okta scp arrays and Entra scp strings, and the client from azp or appid', async () => {
      const okta = await idp.sign(claims({ scope: undefined, client_id: undefined, scp: ['mcp:tools', 'mcp:admin'], azp: 'okta-app' }));
      const entra = await idp.sign(claims({ scope: undefined, client_id: undefined, scp: 'mcp:tools mcp:admin', appid: 'entra-app' }));

      expect(await sut.verify(okta, providers, RESOURCE, ['mcp:admin'])).toMatchObject({ clientId: 'okta-app', scopes: ['mcp:tools', 'mcp:admin'] });
      expect(await sut.verify(entra, providers, RESOURCE, ['mcp:admin'])).toMatchObject({ clientId: 'entra-app', scopes: ['mcp:tools', 'mcp:admin'] });
    });

    it('fails a token with a malformed groups claim rather than granting other groups', async () => {
      const token = await idp.sign(claims({ groups: [1, 2] }));

      expect((await rejectionOf(sut.verify(token, providers, RESOURCE))).description).toBe('token groups claim is malformed');
    });

    it('gives no groups when the claim is absent', async () => {
      expect((await sut.verify(await idp.sign(claims()), providers, RESOURCE)).groups).toEqual([]);
    });
  });

  describe('issuer keys', () => {
    let rotating: TestIdp;
    beforeAll(async () => {
      rotating = await startTestIdp();
    });
    afterAll(() => rotating.close());

    it('verifies a token signed with a newly rotated key (jose refetches the JWKS for the new kid)', async () => {
      const verifier = new OAuthBearerVerifier({ allowInsecureHttpIssuers: true, jwksCooldownMs: 0 });
      const config = [idpConfig(rotating)];
      await verifier.verify(await rotating.token({ resource: RESOURCE }), config, RESOURCE);
      expect(jwksFetches(rotating)).toBe(1);

      const newKey = await rotating.rotateKeys();
      const token = await rotating.token({ resource: RESOURCE });
      expect(decodeProtectedHeader(token).kid).toBe(newKey.kid);

      await expect(verifier.verify(token, config, RESOURCE)).resolves.toMatchObject({ subject: 'agent-svc' });
      expect(jwksFetches(rotating)).toBe(2);
    });

    it('answers issuer keys unavailable when the JWKS endpoint fails, refuses, or hangs', async () => {
      const token = await rotating.token({ resource: RESOURCE });
      const hanging: TestServer = await startServer(() => undefined);
      try {
        rotating.setJwksDown(true);
        const cases: [SnapshotIdentityProvider, unknown][] = [
          [idpConfig(rotating), errors.JOSEError],
          [idpConfig(rotating, { jwksUri: `${await closedOrigin()}/jwks` }), TypeError],
          [idpConfig(rotating, { jwksUri: `${hanging.origin}/jwks` }), errors.JWKSTimeout],
        ];
        for (const [config, causeType] of cases) {
          const verifier = new OAuthBearerVerifier({ allowInsecureHttpIssuers: true, fetchTimeoutMs: 200 });
          const error = await rejectionOf(verifier.verify(token, [config], RESOURCE));
          expect(error).toMatchObject({ code: 'invalid_token', status: 401, description: 'issuer keys unavailable' });
          expect(error.cause).toBeInstanceOf(causeType);
        }
      } finally {
        rotating.setJwksDown(false);
        await hanging.close();
      }
    });

    it('keeps verifying with the last keys through a JWKS outage, without asking again every request', async () => {
      const verifier = new OAuthBearerVerifier({ allowInsecureHttpIssuers: true, jwksCacheMaxAgeMs: 0, jwksCooldownMs: 60_000 });
      const config = [idpConfig(rotating)];
      const token = await rotating.token({ resource: RESOURCE });
      await verifier.verify(token, config, RESOURCE);
      const fetchesBefore = jwksFetches(rotating);
      try {
        rotating.setJwksDown(true);

        await expect(verifier.verify(token, config, RESOURCE)).resolves.toMatchObject({ subject: 'agent-svc' });
        await expect(verifier.verify(token, config, RESOURCE)).resolves.toMatchObject({ subject: 'agent-svc' });

        expect(jwksFetches(rotating)).toBe(fetchesBefore + 1);
      } finally {
        rotating.setJwksDown(false);
      }
    });

    it('stops using old keys once they are older than the stale-if-error window', async () => {
      const verifier = new OAuthBearerVerifier({ allowInsecureHttpIssuers: true, jwksCacheMaxAgeMs: 0, jwksStaleIfErrorMs: 0 });
      const config = [idpConfig(rotating)];
      const token = await rotating.token({ resource: RESOURCE });
      await verifier.verify(token, config, RESOURCE);
      await new Promise((resolve) => setTimeout(resolve, 5));
      try {
        rotating.setJwksDown(true);

        expect((await rejectionOf(verifier.verify(token, config, RESOURCE))).description).toBe('issuer keys unavailable');
      } finally {
        rotating.setJwksDown(false);
      }
    });

    it('refuses an http JWKS URI unless insecure issuers are allowed', async () => {
      const token = await rotating.token({ resource: RESOURCE });

      const error = await rejectionOf(new OAuthBearerVerifier().verify(token, [idpConfig(rotating)], RESOURCE));

      expect(error.description).toBe('issuer keys unavailable');
      expect(String((error.cause as Error).message)).toContain('https');
    });
  });
});

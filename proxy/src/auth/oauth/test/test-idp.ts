/**
 * A real OAuth 2.1 / OIDC authorization server for tests: oidc-provider in-process on 127.0.0.1:0,
 * issuing RFC 9068 JWT access tokens for resource indicators (RFC 8707) through the client
 * credentials grant, with a `groups` claim. Keys can be rotated and the JWKS endpoint switched off
 * without restarting, so the issuer URL stays the same.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JWK, JWTPayload } from 'jose';
import Provider from 'oidc-provider';
import type { Adapter, AdapterPayload, Configuration } from 'oidc-provider';

export const SCOPES = ['mcp:tools', 'mcp:admin'] as const;
/** Groups the IdP puts into tokens issued to `agent-svc`. */
export const AGENT_GROUPS = ['mcp-users', 'platform-eng'] as const;

interface SigningKey {
  readonly kid: string;
  readonly privateJwk: JWK;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

export interface TestIdp {
  readonly issuer: string;
  readonly jwksUri: string;
  /** Paths requested from the IdP, in order (for cache assertions). */
  readonly requests: string[];
  /** The key the IdP currently signs with. */
  readonly currentKey: SigningKey;
  /** An access token from the token endpoint (client credentials grant). */
  token(options: { resource: string; scope?: string; clientId?: string }): Promise<string>;
  /** Signs claims with the IdP's current key (`typ: null` leaves `typ` out). */
  sign(claims: JWTPayload, header?: { typ?: string | null }): Promise<string>;
  /** Starts signing with a new key; the JWKS lists the new key first and keeps the old one. */
  rotateKeys(): Promise<SigningKey>;
  /** While down, the JWKS endpoint answers 503. */
  setJwksDown(down: boolean): void;
  close(): Promise<void>;
}

export const CLIENT_SECRET = 'test-secret-0123456789abcdef0123456789';

async function newKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateJwk, privateKey, publicJwk };
}

/** The test IdP issues JWTs and keeps no sessions; an explicit store only silences the dev warning. */
function memoryAdapter(): Adapter {
  const store = new Map<string, AdapterPayload>();
  return {
    upsert: async (id, payload) => void store.set(id, payload),
    find: async (id) => store.get(id),
    findByUserCode: async (code) => [...store.values()].find((p) => p.userCode === code),
    findByUid: async (uid) => [...store.values()].find((p) => p.uid === uid),
    consume: async (id) => {
      const payload = store.get(id);
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    },
    destroy: async (id) => void store.delete(id),
    revokeByGrantId: async (grantId) => {
      for (const [id, p] of store) if (p.grantId === grantId) store.delete(id);
    },
  };
}

function provider(issuer: string, keys: readonly SigningKey[], registration: boolean): Provider {
  const ttl = (seconds: number) => () => seconds;
  const configuration: Configuration = {
    adapter: memoryAdapter,
    jwks: { keys: keys.map((k) => k.privateJwk) },
    clients: [
      { client_id: 'agent-svc', client_secret: CLIENT_SECRET, grant_types: ['client_credentials'], response_types: [], redirect_uris: [] },
      { client_id: 'other-svc', client_secret: CLIENT_SECRET, grant_types: ['client_credentials'], response_types: [], redirect_uris: [] },
    ],
    scopes: ['openid', ...SCOPES],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      registration: { enabled: registration },
      resourceIndicators: {
        enabled: true,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resourceIndicator) => ({
          scope: SCOPES.join(' '),
          audience: resourceIndicator,
          accessTokenFormat: 'jwt',
          accessTokenTTL: 300,
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    extraTokenClaims: (_ctx, token) => (token.clientId === 'agent-svc' ? { groups: [...AGENT_GROUPS] } : undefined),
    ttl: {
      AccessToken: ttl(300),
      ClientCredentials: ttl(300),
      AuthorizationCode: ttl(60),
      IdToken: ttl(300),
      RefreshToken: ttl(3600),
      Interaction: ttl(600),
      Session: ttl(3600),
      Grant: ttl(3600),
      DeviceCode: ttl(600),
      BackchannelAuthenticationRequest: ttl(600),
      PreAuthorizedCode: ttl(600),
    },
  };
  return new Provider(issuer, configuration);
}

/** Starts a test IdP; `registration` enables RFC 7591 dynamic client registration. */
export async function startTestIdp(options: { registration?: boolean } = {}): Promise<TestIdp> {
  const requests: string[] = [];
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end();
  let jwksDown = false;
  const server: Server = createServer((req, res) => {
    requests.push(new URL(req.url ?? '/', 'http://idp').pathname);
    if (jwksDown && req.url?.startsWith('/jwks')) {
      res.writeHead(503).end();
      return;
    }
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let keys = [await newKey('key-1')];
  let generation = 1;
  const install = () => {
    handler = provider(issuer, keys, options.registration ?? false).callback();
  };
  install();

  const current = () => {
    const [first] = keys;
    if (!first) throw new Error('test IdP has no key');
    return first;
  };

  return {
    issuer,
    jwksUri: `${issuer}/jwks`,
    requests,
    get currentKey() {
      return current();
    },
    async token({ resource, scope = 'mcp:tools', clientId = 'agent-svc' }) {
      const response = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${clientId}:${CLIENT_SECRET}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource }),
      });
      const body = (await response.json()) as { access_token?: string; error?: string; error_description?: string };
      if (!response.ok || !body.access_token) throw new Error(`token request failed: ${response.status} ${JSON.stringify(body)}`);
      return body.access_token;
    },
    async sign(claims, header = {}) {
      const key = current();
      const typ = header.typ === undefined ? 'at+jwt' : header.typ;
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: key.kid, ...(typ === null ? {} : { typ }) })
        .sign(key.privateKey);
    },
    async rotateKeys() {
      generation += 1;
      keys = [await newKey(`key-${generation}`), ...keys];
      install();
      return current();
    },
    setJwksDown(down) {
      jwksDown = down;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * OAuth 2.1 bearer tokens for the proxy's MCP endpoints. The proxy is a resource server; each
 * tenant's IdPs (from the policy snapshot) are the authorization servers. Tokens are RFC 9068 JWT
 * access tokens (or the JWTs Okta and Entra issue), verified locally against the issuer's JWKS so
 * that the hot path costs no round trip to the IdP.
 */
import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, decodeProtectedHeader, errors, jwksCache, jwtVerify } from 'jose';
import type { ExportedJWKSCache, FlattenedJWSInput, JWKSCacheInput, JWTHeaderParameters, JWTPayload, RemoteJWKSet } from 'jose';
import type { PolicySnapshot } from '@mcpgate/contracts';

/** One of a tenant's identity providers, as the snapshot carries it. */
export type SnapshotIdentityProvider = PolicySnapshot['identityProviders'][number];

/** Who called, as established by a verified access token. */
export interface OAuthPrincipal {
  readonly kind: 'oauth';
  readonly identityProviderId: string;
  readonly issuer: string;
  /** `sub`: the user, or the client itself for the client credentials grant. */
  readonly subject: string;
  readonly clientId?: string;
  readonly groups: readonly string[];
  readonly scopes: readonly string[];
  /** `exp`, in seconds since the epoch. */
  readonly expiresAt: number;
  /** `jti`, when the IdP sets one: names the token in audit events without storing it. */
  readonly tokenId?: string;
}

export type OAuthErrorCode = 'invalid_token' | 'insufficient_scope' | 'invalid_request';

const STATUS = { invalid_token: 401, insufficient_scope: 403, invalid_request: 400 } as const;

/**
 * A rejected bearer token, coded as RFC 6750 §3.1 codes so the HTTP layer can answer with the
 * matching status and `WWW-Authenticate` challenge. `description` is short, stable and safe to send
 * to the client: it never contains the token. Third-party errors stay in `cause`, for logs.
 */
export class OAuthError extends Error {
  override readonly name = 'OAuthError';
  readonly status: 401 | 403 | 400;
  /** For `insufficient_scope`: the scopes the resource needs (for the challenge's `scope`). */
  readonly requiredScopes?: readonly string[];

  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
    options: { cause?: unknown; requiredScopes?: readonly string[] } = {},
  ) {
    super(`${code}: ${description}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = STATUS[code];
    if (options.requiredScopes) this.requiredScopes = options.requiredScopes;
  }
}

export interface OAuthBearerVerifierOptions {
  /** Allowed clock skew for exp/nbf/iat, in seconds. Default 30. */
  readonly clockToleranceSec?: number;
  /** Minimum time between JWKS refetches triggered by an unknown `kid`, in ms. Default 30 s. */
  readonly jwksCooldownMs?: number;
  /** How long fetched keys count as fresh before they are refetched, in ms. Default 10 min. */
  readonly jwksCacheMaxAgeMs?: number;
  /**
   * How long keys that are no longer fresh may still be used while the JWKS endpoint fails, in ms.
   * Keeps tokens verifiable through a short IdP outage; 0 disables it. Default 1 h.
   */
  readonly jwksStaleIfErrorMs?: number;
  /** Timeout of a JWKS request, in ms. Default 5 s. */
  readonly fetchTimeoutMs?: number;
  /** How many JWKS endpoints to keep keys for (least recently used go first). Default 1000. */
  readonly maxJwksEntries?: number;
  /** Accept `http:` JWKS URIs. Insecure: tests and development only. */
  readonly allowInsecureHttpIssuers?: boolean;
}

/**
 * Signature algorithms accepted: asymmetric only. `none` and the HMAC family are refused before any
 * key is looked at, which rules out the "public key as HMAC secret" confusion attack.
 */
export const ACCEPTED_ALGORITHMS: readonly string[] = [
  'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519',
];
const ACCEPTED = new Set(ACCEPTED_ALGORITHMS);

/** Tokens larger than this are refused unread (Entra tokens with many groups run to ~10 kB). */
const MAX_TOKEN_LENGTH = 32 * 1024;

/**
 * `typ` values accepted (RFC 9068 `at+jwt`, the generic `JWT`), compared as RFC 7515 §4.1.9 says:
 * case-insensitively and with an optional `application/` prefix. A missing `typ` is accepted because
 * Okta omits it; ID tokens cannot pass anyway, since their `aud` is a client id, not this resource.
 */
const ACCEPTED_TYP = new Set(['at+jwt', 'jwt']);

/** A JWKS endpoint that failed; the original error is the cause. */
class KeysUnavailable extends Error {
  constructor(cause: unknown) {
    super('issuer keys unavailable', { cause });
  }
}

type LocalKeys = ReturnType<typeof createLocalJWKSet>;

interface KeySource {
  readonly remote: RemoteJWKSet;
  /** Written by jose after every successful fetch: the keys and when they were fetched. */
  readonly cache: Partial<ExportedJWKSCache>;
  stale?: { readonly uat: number; readonly resolve: LocalKeys };
  failedAt?: number;
}

/**
 * Verifies bearer tokens against a tenant's identity providers. One instance serves every tenant:
 * it holds only public keys, cached per JWKS URI, and is safe to share across requests.
 */
export class OAuthBearerVerifier {
  private readonly clockTolerance: number;
  private readonly cooldownMs: number;
  private readonly cacheMaxAgeMs: number;
  private readonly staleIfErrorMs: number;
  private readonly timeoutMs: number;
  private readonly maxEntries: number;
  private readonly allowHttp: boolean;
  private readonly keySources = new Map<string, KeySource>();

  constructor(options: OAuthBearerVerifierOptions = {}) {
    this.clockTolerance = nonNegative(options.clockToleranceSec ?? 30, 'clockToleranceSec');
    this.cooldownMs = nonNegative(options.jwksCooldownMs ?? 30_000, 'jwksCooldownMs');
    this.cacheMaxAgeMs = nonNegative(options.jwksCacheMaxAgeMs ?? 600_000, 'jwksCacheMaxAgeMs');
    this.staleIfErrorMs = nonNegative(options.jwksStaleIfErrorMs ?? 3_600_000, 'jwksStaleIfErrorMs');
    this.timeoutMs = Math.round(nonNegative(options.fetchTimeoutMs ?? 5_000, 'fetchTimeoutMs'));
    this.maxEntries = Math.max(1, Math.floor(options.maxJwksEntries ?? 1000));
    this.allowHttp = options.allowInsecureHttpIssuers ?? false;
  }

  /**
   * Verifies `token` for `resource` (the tenant-qualified MCP URL the agent called) and returns the
   * principal, or throws an {@link OAuthError}. The issuer is chosen by the token's `iss`, which must
   * equal one of `identityProviders` exactly and list `resource` among its audiences; the signature,
   * `iss`, `aud`, `exp`, `nbf` and `iat` are then checked, and last the scopes.
   */
  async verify(
    token: string,
    identityProviders: readonly SnapshotIdentityProvider[],
    resource: string,
    requiredScopes: readonly string[] = [],
  ): Promise<OAuthPrincipal> {
    if (token.length === 0) throw new OAuthError('invalid_request', 'missing bearer token');
    if (token.length > MAX_TOKEN_LENGTH) throw new OAuthError('invalid_token', 'token too large');

    let header: JWTHeaderParameters;
    let unverified: JWTPayload;
    try {
      header = decodeProtectedHeader(token) as JWTHeaderParameters;
      unverified = decodeJwt(token);
    } catch (cause) {
      throw new OAuthError('invalid_token', 'malformed token', { cause });
    }
    if (typeof header.alg !== 'string' || !ACCEPTED.has(header.alg)) {
      throw new OAuthError('invalid_token', 'algorithm not allowed');
    }
    const typ: unknown = header.typ;
    if (typ !== undefined && (typeof typ !== 'string' || !ACCEPTED_TYP.has(typ.toLowerCase().replace(/^application\//, '')))) {
      throw new OAuthError('invalid_token', 'unsupported token type');
    }

    const candidates = identityProviders.filter((idp) => idp.issuer === unverified.iss);
    if (candidates.length === 0) throw new OAuthError('invalid_token', 'unknown issuer');
    const idp = candidates.find((candidate) => candidate.audiences.includes(resource));
    if (!idp) throw new OAuthError('invalid_token', 'issuer not accepted for this resource');

    const source = this.keySource(idp.jwksUri);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, (h, t) => this.resolveKey(source, h, t), {
        issuer: idp.issuer,
        audience: resource,
        algorithms: [...ACCEPTED],
        clockTolerance: this.clockTolerance,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      throw toOAuthError(error);
    }

    const now = Math.floor(Date.now() / 1000);
    if (typeof payload.iat === 'number' && payload.iat > now + this.clockTolerance) {
      throw new OAuthError('invalid_token', 'token issued in the future');
    }
    const principal = principalOf(idp, payload);
    const missing = requiredScopes.filter((scope) => !principal.scopes.includes(scope));
    if (missing.length > 0) {
      throw new OAuthError('insufficient_scope', 'insufficient scope', { requiredScopes: [...requiredScopes] });
    }
    return principal;
  }

  /** The cached key set of one JWKS URI; least recently used entries are dropped past the bound. */
  private keySource(jwksUri: string): KeySource {
    const cached = this.keySources.get(jwksUri);
    if (cached) {
      this.keySources.delete(jwksUri);
      this.keySources.set(jwksUri, cached);
      return cached;
    }
    let url: URL;
    try {
      url = new URL(jwksUri);
    } catch (cause) {
      throw new OAuthError('invalid_token', 'issuer keys unavailable', { cause });
    }
    if (url.protocol !== 'https:' && !(this.allowHttp && url.protocol === 'http:')) {
      throw new OAuthError('invalid_token', 'issuer keys unavailable', {
        cause: new Error(`JWKS URI must use https: ${url.origin}`),
      });
    }
    const cache: Partial<ExportedJWKSCache> = {};
    const source: KeySource = {
      cache,
      remote: createRemoteJWKSet(url, {
        cooldownDuration: this.cooldownMs,
        cacheMaxAge: this.cacheMaxAgeMs,
        timeoutDuration: this.timeoutMs,
        [jwksCache]: cache as JWKSCacheInput,
      }),
    };
    this.keySources.set(jwksUri, source);
    if (this.keySources.size > this.maxEntries) {
      const oldest = this.keySources.keys().next();
      if (!oldest.done) this.keySources.delete(oldest.value);
    }
    return source;
  }

  /**
   * Resolves the verification key through jose's remote set (which refetches on an unknown `kid`,
   * at most once per cooldown). When the endpoint fails, the last keys fetched are used for up to
   * `jwksStaleIfErrorMs`, and for one cooldown the endpoint is not asked again, so an IdP outage
   * neither rejects every token nor adds a timeout to every request.
   */
  private async resolveKey(source: KeySource, header: JWTHeaderParameters, token: FlattenedJWSInput) {
    const stale = this.staleKeys(source);
    if (stale && source.failedAt !== undefined && Date.now() - source.failedAt < this.cooldownMs) {
      return stale(header, token);
    }
    try {
      const key = await source.remote(header, token);
      delete source.failedAt;
      return key;
    } catch (error) {
      if (isTokenFault(error)) throw error;
      source.failedAt = Date.now();
      const fallback = this.staleKeys(source);
      if (!fallback) throw new KeysUnavailable(error);
      // a kid the old keys lack was probably rotated in: the endpoint's failure is the real answer
      return fallback(header, token).catch((fallbackError: unknown) => {
        throw fallbackError instanceof errors.JWKSNoMatchingKey ? new KeysUnavailable(error) : fallbackError;
      });
    }
  }

  private staleKeys(source: KeySource): LocalKeys | undefined {
    const { uat, jwks } = source.cache;
    if (uat === undefined || jwks === undefined || Date.now() - uat > this.cacheMaxAgeMs + this.staleIfErrorMs) return undefined;
    if (source.stale?.uat !== uat) source.stale = { uat, resolve: createLocalJWKSet(jwks) };
    return source.stale.resolve;
  }
}

/** Errors that say something about the token rather than about the IdP's key endpoint. */
function isTokenFault(error: unknown): boolean {
  return (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys ||
    error instanceof errors.JOSEAlgNotAllowed ||
    error instanceof errors.JOSENotSupported
  );
}

/** Maps jose's errors to stable descriptions; anything unexpected is a server fault and rethrown. */
function toOAuthError(error: unknown): Error {
  const invalid = (description: string) => new OAuthError('invalid_token', description, { cause: error });
  if (error instanceof OAuthError) return error;
  if (error instanceof KeysUnavailable) return new OAuthError('invalid_token', 'issuer keys unavailable', { cause: error.cause });
  if (error instanceof errors.JWTExpired) return invalid('token expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return invalid('token audience does not match this resource');
    if (error.claim === 'exp') return invalid(error.reason === 'missing' ? 'token has no expiry' : 'token expiry invalid');
    if (error.claim === 'sub') return invalid('token has no subject');
    if (error.claim === 'nbf') return invalid('token not yet valid');
    if (error.claim === 'iss') return invalid('unknown issuer');
    return invalid('token claims invalid');
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return invalid('signature invalid');
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) return invalid('signing key not found');
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) return invalid('algorithm not allowed');
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return invalid('malformed token');
  return error instanceof Error ? error : new Error('token verification failed', { cause: error });
}

function principalOf(idp: SnapshotIdentityProvider, payload: JWTPayload): OAuthPrincipal {
  // jose checked that `sub` is present and `exp` a number, not that `sub` is a string
  const { sub, exp } = payload;
  if (typeof sub !== 'string' || sub.length === 0) throw new OAuthError('invalid_token', 'token has no subject');
  if (typeof exp !== 'number') throw new OAuthError('invalid_token', 'token has no expiry');
  const groups = stringList(payload[idp.groupsClaim]);
  if (!groups) throw new OAuthError('invalid_token', 'token groups claim is malformed');
  // `scope` is RFC 9068's space-separated string; Okta uses a `scp` array, Entra a `scp` string.
  const scopes = stringList(payload.scope !== undefined ? payload.scope : payload.scp);
  if (!scopes) throw new OAuthError('invalid_token', 'token scope claim is malformed');
  const clientId = [payload.client_id, payload.azp, payload.appid].find((v): v is string => typeof v === 'string' && v.length > 0);
  return {
    kind: 'oauth',
    identityProviderId: idp.id,
    issuer: idp.issuer,
    subject: sub,
    ...(clientId === undefined ? {} : { clientId }),
    groups: Object.freeze(groups),
    scopes: Object.freeze(scopes),
    expiresAt: exp,
    ...(typeof payload.jti === 'string' ? { tokenId: payload.jti } : {}),
  };
}

/**
 * A claim holding a list of names: an array of strings, or one space-separated string. Absent means
 * empty; any other shape is `undefined`, so that a malformed claim fails the token instead of
 * silently granting a different set of groups.
 */
function stringList(value: unknown): string[] | undefined {
  if (value === undefined) return [];
  if (typeof value === 'string') return value.split(' ').filter((s) => s.length > 0);
  if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string')) return [...new Set(value)];
  return undefined;
}

function nonNegative(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a non-negative number`);
  return value;
}

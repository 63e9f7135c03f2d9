/**
 * How an MCP client finds out where to get a token for a proxy endpoint: RFC 9728 protected
 * resource metadata, the RFC 6750 / RFC 9728 `WWW-Authenticate` challenge that points to it, and a
 * relay of the IdP's RFC 8414 metadata for clients that still look for it on the resource's origin.
 */
import type { OAuthErrorCode, SnapshotIdentityProvider } from './oauth-bearer.js';

const PRM_WELL_KNOWN = '/.well-known/oauth-protected-resource';

/**
 * Where the metadata of `resourceUrl` is served (RFC 9728 §3.1): the well-known prefix inserted
 * before the resource's path, so `https://proxy/t/acme/mcp/github` has its document at
 * `/.well-known/oauth-protected-resource/t/acme/mcp/github`. A trailing slash is dropped, as the MCP
 * SDK's discovery does; the query is not part of the path (mcpgate's resource URLs have none).
 */
export function protectedResourceMetadataPath(resourceUrl: URL): string {
  const path = resourceUrl.pathname.replace(/\/+$/, '');
  return `${PRM_WELL_KNOWN}${path}`;
}

/** The absolute metadata URL for `resourceUrl`: the `resource_metadata` of a challenge. */
export function protectedResourceMetadataUrl(resourceUrl: URL): string {
  return `${resourceUrl.origin}${protectedResourceMetadataPath(resourceUrl)}`;
}

/** The RFC 9728 §2 document mcpgate serves. */
export interface ProtectedResourceMetadata {
  readonly resource: string;
  readonly authorization_servers: readonly string[];
  readonly scopes_supported?: readonly string[];
  readonly bearer_methods_supported: readonly ['header'];
  readonly resource_name: 'mcpgate';
}

/**
 * The protected resource metadata of `resource`. Only issuers whose tokens the proxy would accept
 * for this resource (those listing it among their `audiences`) are advertised, so a client is
 * never sent to an authorization server whose tokens are then refused. Bearer tokens are accepted
 * in the Authorization header only (no query or form parameter: they end up in logs).
 */
export function protectedResourceMetadata(
  resource: string,
  identityProviders: readonly SnapshotIdentityProvider[],
  scopesSupported?: readonly string[],
): ProtectedResourceMetadata {
  const issuers = identityProviders.filter((idp) => idp.audiences.includes(resource)).map((idp) => idp.issuer);
  return {
    resource,
    authorization_servers: [...new Set(issuers)],
    ...(scopesSupported === undefined ? {} : { scopes_supported: [...scopesSupported] }),
    bearer_methods_supported: ['header'],
    resource_name: 'mcpgate',
  };
}

/**
 * The `WWW-Authenticate` value of a 401/403 answer. Without `error` it is the bare challenge RFC
 * 6750 §3 asks for when a request carried no credentials. Values are quoted strings: control and
 * non-ASCII characters are dropped (RFC 6750 allows neither, and CR/LF would split the header) and
 * `"` and `\` are escaped.
 */
export function wwwAuthenticateHeader(options: {
  resourceMetadataUrl: string;
  error?: OAuthErrorCode;
  description?: string;
  scope?: string;
}): string {
  const params: string[] = [];
  if (options.error !== undefined) params.push(`error=${quoted(options.error)}`);
  if (options.error !== undefined && options.description !== undefined) params.push(`error_description=${quoted(options.description)}`);
  if (options.scope !== undefined) params.push(`scope=${quoted(options.scope)}`);
  params.push(`resource_metadata=${quoted(options.resourceMetadataUrl)}`);
  return `Bearer ${params.join(', ')}`;
}

function quoted(value: string): string {
  const printable = value.replace(/[^\x20-\x7e]/g, '');
  return `"${printable.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

export type AuthorizationServerMetadataErrorCode =
  /** The issuer is not an absolute https URL without query or fragment (http only when allowed). */
  | 'issuer_not_allowed'
  /** No answer, a timeout or a 5xx: the IdP is down or unreachable from this proxy. */
  | 'issuer_unreachable'
  /** Every well-known location answered 4xx or redirected. */
  | 'metadata_not_found'
  /** An answer that is not a JSON object for this issuer (RFC 8414 §3.3 requires `issuer` to match). */
  | 'metadata_invalid';

/** Why the IdP's metadata could not be relayed; the HTTP layer answers 502 for all but the first. */
export class AuthorizationServerMetadataError extends Error {
  override readonly name = 'AuthorizationServerMetadataError';

  constructor(
    readonly code: AuthorizationServerMetadataErrorCode,
    readonly issuer: string,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${issuer}`, options);
  }
}

export interface AuthorizationServerMetadataRelayOptions {
  /** How long fetched metadata is served from memory, in ms. Default 5 min. */
  readonly ttlMs?: number;
  /** How long a failure is remembered, so a dead IdP is not asked on every request, in ms. Default 15 s. */
  readonly failureTtlMs?: number;
  /** How many issuers to keep (least recently used go first). Default 500. */
  readonly maxEntries?: number;
  /** Timeout of one metadata request, in ms. Default 5 s. */
  readonly fetchTimeoutMs?: number;
  /** Largest metadata document accepted, in bytes. Default 256 KiB. */
  readonly maxBytes?: number;
  /** Accept `http:` issuers. Insecure: tests and development only. */
  readonly allowInsecureHttpIssuers?: boolean;
  /** The clock, in ms since the epoch (tests). */
  readonly now?: () => number;
}

type Metadata = Readonly<Record<string, unknown>>;

interface CacheEntry {
  readonly expiresAt: number;
  readonly result: Promise<Metadata>;
}

/**
 * Fetches and caches IdPs' authorization server metadata so the proxy can serve it on its own
 * origin. The document is returned as the IdP published it (`registration_endpoint` included, so a
 * client can register dynamically where the IdP allows it); the proxy never rewrites endpoints.
 *
 * Call it only with issuers taken from the tenant's snapshot: the relay fetches whatever issuer it
 * is given.
 */
export class AuthorizationServerMetadataRelay {
  private readonly ttlMs: number;
  private readonly failureTtlMs: number;
  private readonly maxEntries: number;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly allowHttp: boolean;
  private readonly now: () => number;
  private readonly cache = new Map<string, CacheEntry>();

  constructor(options: AuthorizationServerMetadataRelayOptions = {}) {
    this.ttlMs = options.ttlMs ?? 300_000;
    this.failureTtlMs = options.failureTtlMs ?? 15_000;
    this.maxEntries = Math.max(1, Math.floor(options.maxEntries ?? 500));
    this.timeoutMs = options.fetchTimeoutMs ?? 5_000;
    this.maxBytes = options.maxBytes ?? 256 * 1024;
    this.allowHttp = options.allowInsecureHttpIssuers ?? false;
    this.now = options.now ?? Date.now;
  }

  /**
   * The metadata of `issuer`, from `/.well-known/oauth-authorization-server` (RFC 8414, with the
   * issuer's path after the well-known prefix) or else OpenID Connect discovery, tried in the order
   * the MCP SDK's client uses. Concurrent calls for one issuer share one fetch.
   */
  get(issuer: string): Promise<Metadata> {
    const now = this.now();
    const cached = this.cache.get(issuer);
    if (cached && cached.expiresAt > now) {
      this.cache.delete(issuer);
      this.cache.set(issuer, cached);
      return cached.result;
    }
    const result = this.fetchMetadata(issuer);
    const entry: CacheEntry = { expiresAt: now + this.ttlMs, result };
    this.remember(issuer, entry);
    result.catch(() => {
      if (this.cache.get(issuer) === entry) this.remember(issuer, { expiresAt: this.now() + this.failureTtlMs, result });
    });
    return result;
  }

  private remember(issuer: string, entry: CacheEntry): void {
    this.cache.delete(issuer);
    this.cache.set(issuer, entry);
    if (this.cache.size > this.maxEntries) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
  }

  private async fetchMetadata(issuer: string): Promise<Metadata> {
    const urls = this.discoveryUrls(issuer);
    for (const url of urls) {
      let response: Response;
      try {
        response = await fetch(url, {
          headers: { accept: 'application/json' },
          redirect: 'manual',
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (cause) {
        throw new AuthorizationServerMetadataError('issuer_unreachable', issuer, { cause });
      }
      if (response.status >= 500) {
        await response.body?.cancel();
        throw new AuthorizationServerMetadataError('issuer_unreachable', issuer, {
          cause: new Error(`HTTP ${response.status} from ${url.href}`),
        });
      }
      if (response.status !== 200) {
        await response.body?.cancel();
        continue;
      }
      return this.parse(issuer, url, response);
    }
    throw new AuthorizationServerMetadataError('metadata_not_found', issuer, {
      cause: new Error(`no metadata at ${urls.map((u) => u.href).join(', ')}`),
    });
  }

  /** RFC 8414 §3.1 path insertion first, then OpenID Connect discovery both ways. */
  private discoveryUrls(issuer: string): URL[] {
    let url: URL;
    try {
      url = new URL(issuer);
    } catch (cause) {
      throw new AuthorizationServerMetadataError('issuer_not_allowed', issuer, { cause });
    }
    const schemeOk = url.protocol === 'https:' || (this.allowHttp && url.protocol === 'http:');
    if (!schemeOk || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
      throw new AuthorizationServerMetadataError('issuer_not_allowed', issuer);
    }
    const path = url.pathname.replace(/\/+$/, '');
    if (path === '') {
      return [new URL('/.well-known/oauth-authorization-server', url.origin), new URL('/.well-known/openid-configuration', url.origin)];
    }
    return [
      new URL(`/.well-known/oauth-authorization-server${path}`, url.origin),
      new URL(`/.well-known/openid-configuration${path}`, url.origin),
      new URL(`${path}/.well-known/openid-configuration`, url.origin),
    ];
  }

  private async parse(issuer: string, url: URL, response: Response): Promise<Metadata> {
    let body: unknown;
    try {
      body = JSON.parse(await readBounded(response, this.maxBytes));
    } catch (cause) {
      const timedOut = cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
      throw new AuthorizationServerMetadataError(timedOut ? 'issuer_unreachable' : 'metadata_invalid', issuer, { cause });
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new AuthorizationServerMetadataError('metadata_invalid', issuer, { cause: new Error(`not a JSON object: ${url.href}`) });
    }
    const published = (body as Record<string, unknown>).issuer;
    if (published !== issuer) {
      throw new AuthorizationServerMetadataError('metadata_invalid', issuer, {
        cause: new Error(`metadata at ${url.href} names issuer ${JSON.stringify(published)}`),
      });
    }
    return deepFreeze(body as Record<string, unknown>);
  }
}

async function readBounded(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new Error(`metadata larger than ${maxBytes} bytes`);
  }
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  // a reader rather than `for await` over the body: the same code under Node's and the DOM's stream types
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new Error(`metadata larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Cached documents are shared between requests; freezing keeps one caller from editing another's. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}

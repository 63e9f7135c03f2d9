import { JwksUri } from '@mcpgate/contracts';

/**
 * Why an issuer's metadata gave no usable `jwks_uri`. Stable and dotted, like domain reasons:
 * - `identity_provider.discovery_failed` (UNAVAILABLE): no metadata document could be fetched;
 * - `identity_provider.issuer_mismatch` (VALIDATION): the document names another issuer;
 * - `identity_provider.metadata_invalid` (VALIDATION): not JSON, or no acceptable `jwks_uri`;
 * - `identity_provider.discovery_refused` (VALIDATION): a plain-http issuer outside development.
 */
export type IssuerDiscoveryReason =
  | 'identity_provider.discovery_failed'
  | 'identity_provider.issuer_mismatch'
  | 'identity_provider.metadata_invalid'
  | 'identity_provider.discovery_refused';

/**
 * Discovery failed. `message` is for the admin who registered the issuer: it names the issuer and
 * HTTP statuses, never a network error's text (which could describe hosts inside our network);
 * that stays in `cause`, for logs.
 */
export class IssuerDiscoveryError extends Error {
  readonly code: 'UNAVAILABLE' | 'VALIDATION';

  constructor(
    readonly reason: IssuerDiscoveryReason,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
    this.name = 'IssuerDiscoveryError';
    this.code = reason === 'identity_provider.discovery_failed' ? 'UNAVAILABLE' : 'VALIDATION';
  }
}

/** Finds where an OAuth 2.1 / OIDC issuer publishes its signing keys. */
export interface IssuerDiscovery {
  /** The issuer's `jwks_uri`, from its RFC 8414 or OpenID Connect discovery metadata. */
  jwksUriOf(issuer: string): Promise<string>;
}

export interface HttpIssuerDiscoveryOptions {
  /** Per request, in ms. Default 5 s. */
  readonly timeoutMs?: number;
  /** Largest metadata document read, in bytes. Default 256 KiB. */
  readonly maxBytes?: number;
  /**
   * Fetch metadata of `http:` issuers (which the contracts allow on loopback hosts only).
   * Development and tests only: in production it would let a tenant admin probe the control
   * plane's own host. Default false.
   */
  readonly allowInsecureHttp?: boolean;
  readonly fetch?: typeof globalThis.fetch;
}

/**
 * The metadata URLs of an issuer, in the order the MCP SDK client (and the proxy's metadata relay)
 * tries them, so the control plane and agents read the same document: RFC 8414 with the path
 * inserted, OIDC with the path inserted, OIDC with the path appended.
 */
export const metadataUrls = (issuer: string): string[] => {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return [
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    ...(path ? [`${url.origin}/.well-known/openid-configuration${path}`] : []),
    `${url.origin}${path}/.well-known/openid-configuration`,
  ];
};

/**
 * Discovery over HTTP, for the admin API: it runs only when an admin registers an identity
 * provider without a `jwksUri`, never on a proxy's hot path. Redirects are not followed and
 * documents are size- and time-bounded, since the URL comes from a tenant admin.
 */
export class HttpIssuerDiscovery implements IssuerDiscovery {
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly allowInsecureHttp: boolean;
  private readonly fetch: typeof globalThis.fetch;

  constructor(options: HttpIssuerDiscoveryOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.maxBytes = options.maxBytes ?? 256 * 1024;
    this.allowInsecureHttp = options.allowInsecureHttp ?? false;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async jwksUriOf(issuer: string): Promise<string> {
    if (!issuer.toLowerCase().startsWith('https:') && !this.allowInsecureHttp) {
      throw new IssuerDiscoveryError('identity_provider.discovery_refused', `metadata is fetched over https only outside development mode; give the jwksUri of ${issuer} explicitly`);
    }
    const statuses: string[] = [];
    for (const url of metadataUrls(issuer)) {
      let response: Response;
      try {
        response = await this.fetch(url, { redirect: 'manual', headers: { accept: 'application/json' }, signal: AbortSignal.timeout(this.timeoutMs) });
      } catch (cause) {
        throw new IssuerDiscoveryError('identity_provider.discovery_failed', `the metadata of ${issuer} could not be fetched; give jwksUri explicitly or retry`, { cause });
      }
      if (response.status === 404 || response.status === 405) {
        statuses.push(String(response.status));
        await response.body?.cancel();
        continue;
      }
      if (response.status !== 200) {
        await response.body?.cancel();
        throw new IssuerDiscoveryError(
          'identity_provider.discovery_failed',
          `the metadata of ${issuer} answered HTTP ${response.status}${response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : ''}; give jwksUri explicitly or retry`,
        );
      }
      return this.jwksUriIn(issuer, await this.readJson(issuer, response));
    }
    throw new IssuerDiscoveryError('identity_provider.discovery_failed', `${issuer} publishes no discovery metadata (HTTP ${statuses.join(', ')}); give jwksUri explicitly`);
  }

  private jwksUriIn(issuer: string, metadata: unknown): string {
    const fields = typeof metadata === 'object' && metadata !== null ? (metadata as Record<string, unknown>) : {};
    // RFC 8414 §3.3 and OIDC Discovery §4.3: a document naming another issuer must not be used
    if (fields['issuer'] !== issuer) {
      throw new IssuerDiscoveryError('identity_provider.issuer_mismatch', `the metadata of ${issuer} names another issuer (${JSON.stringify(fields['issuer'])?.slice(0, 200)}); the issuer must be given exactly as its tokens carry it`);
    }
    const jwksUri = JwksUri.safeParse(fields['jwks_uri']);
    if (!jwksUri.success) throw new IssuerDiscoveryError('identity_provider.metadata_invalid', `the metadata of ${issuer} has no acceptable jwks_uri (https, or http on localhost)`);
    return jwksUri.data;
  }

  private async readJson(issuer: string, response: Response): Promise<unknown> {
    const invalid = (cause?: unknown) => new IssuerDiscoveryError('identity_provider.metadata_invalid', `the metadata of ${issuer} is not a JSON document of at most ${this.maxBytes} bytes`, { cause });
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > this.maxBytes) {
      await response.body?.cancel();
      throw invalid();
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    // a reader rather than `for await` over the body: the same code under Node's and the DOM's stream types
    const reader = response.body?.getReader();
    try {
      while (reader) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > this.maxBytes) {
          await reader.cancel();
          throw invalid();
        }
        chunks.push(value);
      }
      return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    } catch (error) {
      throw error instanceof IssuerDiscoveryError ? error : invalid(error);
    }
  }
}

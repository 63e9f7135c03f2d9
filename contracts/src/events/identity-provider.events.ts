import { z } from 'zod';
import { eventSchema } from '../envelope.js';
import { IdentityProviderId } from '../ids.js';

/**
 * `http:` is accepted on a loopback host only (a test or development IdP on this machine). The
 * checks read the text itself (contracts run where no `URL` type is declared); `z.url` has already
 * checked that it parses as a URL.
 */
const HTTP_ON_LOOPBACK = /^http:\/\/(?:localhost|127\.0\.0\.1|\[::1\])(?::\d{1,5})?(?:[/?#]|$)/i;
const USER_INFO = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i;
const AUTHORITY = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

/**
 * An absolute URL that a token or its keys can be trusted from: `https:`, or `http:` on a loopback
 * host only; no user info and no fragment, and a query only where `query` allows it.
 */
const trustedUrl = (what: string, { query }: { query: boolean }) =>
  z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .superRefine((value, ctx) => {
      if (!/^https:\/\//i.test(value) && !HTTP_ON_LOOPBACK.test(value)) {
        ctx.addIssue({ code: 'custom', message: `${what} must use https (http only on localhost, 127.0.0.1 or [::1])` });
      }
      if (USER_INFO.test(value)) ctx.addIssue({ code: 'custom', message: `${what} must not contain user info` });
      if (value.includes('#')) ctx.addIssue({ code: 'custom', message: `${what} must not contain a fragment` });
      if (!query && value.includes('?')) ctx.addIssue({ code: 'custom', message: `${what} must not contain a query` });
    });

/**
 * The issuer of an OAuth 2.1 / OIDC authorization server, exactly as its tokens carry it in `iss`
 * (compared byte for byte, so `https://idp.example` and `https://idp.example/` are two issuers).
 */
export const IssuerUrl = trustedUrl('issuer', { query: false });

/** Where the issuer publishes its signing keys (JWKS), usually its metadata's `jwks_uri`. */
export const JwksUri = trustedUrl('jwksUri', { query: true });

/**
 * A resource indicator (RFC 8707) of one of the tenant's virtual servers on a proxy:
 * `<proxy public url>/t/<tenant slug>/mcp/<virtual server>`. Tokens must carry it as `aud`, exactly.
 */
export const ResourceIndicator = trustedUrl('audience', { query: false }).refine(
  (value) => /\/t\/[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\/mcp\/[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(value.replace(AUTHORITY, '')),
  { message: 'audience must be <proxy public url>/t/<tenant>/mcp/<virtual server>' },
);

/** The claim of an access token that lists the caller's groups (Entra app roles: `roles`). */
export const GroupsClaim = z.string().regex(/^\S{1,100}$/, { message: 'must be 1-100 characters without spaces' });

/** How a tenant trusts one identity provider: whose tokens, checked with which keys, for which resources. */
export const IdentityProviderConfig = z.object({
  issuer: IssuerUrl,
  jwksUri: JwksUri,
  /** The tenant's resource indicators this IdP may issue tokens for; at least one. */
  audiences: z
    .array(ResourceIndicator)
    .min(1)
    .max(100)
    .refine((list) => new Set(list).size === list.length, { message: 'audiences must not repeat' }),
  groupsClaim: GroupsClaim.default('groups'),
});
export type IdentityProviderConfig = z.infer<typeof IdentityProviderConfig>;

/**
 * The tenant trusts an OAuth 2.1 / OIDC issuer's access tokens at its proxies. The stream is
 * `identity-provider-<identityProviderId>`: an id removed earlier can be registered again, on the
 * same stream.
 */
export const IdentityProviderRegistered = eventSchema(
  'IdentityProviderRegistered',
  IdentityProviderConfig.extend({ identityProviderId: IdentityProviderId }),
);
/** The whole configuration after the change (not a patch). */
export const IdentityProviderReconfigured = eventSchema('IdentityProviderReconfigured', IdentityProviderConfig);
/** The tenant no longer accepts the issuer's tokens: proxies refuse them with the next snapshot. */
export const IdentityProviderRemoved = eventSchema('IdentityProviderRemoved', z.object({}));

export const IdentityProviderEvent = z.discriminatedUnion('type', [IdentityProviderRegistered, IdentityProviderReconfigured, IdentityProviderRemoved]);
export type IdentityProviderEvent = z.infer<typeof IdentityProviderEvent>;

import { randomBytes } from 'node:crypto';
import type { OidcProviderConfig } from '@mcpgate/contracts';
import * as oidc from 'openid-client';
import { DomainError } from '../../domain/domain-error.js';
import { permissionsOfRoles } from './principal-roles.js';
import type { Principal } from './principal.js';

interface LoginTransaction {
  readonly idpId: string;
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  readonly returnTo: string;
  readonly expiresAt: number;
}

export interface CompletedLogin {
  readonly principal: Principal;
  readonly returnTo: string;
  /** Where to send the browser to end the IdP session too (RP-initiated logout), if the IdP supports it. */
  readonly endSessionUrl?: string;
}

const TRANSACTION_TTL_MS = 10 * 60_000;
const isLoopback = (url: URL) => ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
/** Only same-site paths: an open redirect after login would hand sessions to phishing pages. */
const safeReturnTo = (value: string | undefined) => (value && /^\/(?!\/)[^\s\\]*$/.test(value) ? value : '/');

const claimList = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/**
 * Admin login with OpenID Connect: authorization code flow with PKCE (S256), state and nonce,
 * through openid-client. The browser carries only an opaque transaction id during the flow and a
 * session id afterwards; tokens never leave the server. Okta and Entra ID presets decide how
 * groups are read (see OidcProviderConfig).
 */
export class OidcLogin {
  private readonly providers: ReadonlyMap<string, OidcProviderConfig>;
  private readonly discovered = new Map<string, Promise<oidc.Configuration>>();
  private readonly transactions = new Map<string, LoginTransaction>();

  constructor(
    providers: readonly OidcProviderConfig[],
    private readonly publicUrl: () => string,
    private readonly now: () => number = Date.now,
  ) {
    this.providers = new Map(providers.map((p) => [p.id, p]));
  }

  list(): { id: string; displayName: string; preset: string }[] {
    return [...this.providers.values()].map((p) => ({ id: p.id, displayName: p.displayName ?? p.id, preset: p.preset }));
  }

  redirectUri(idpId: string): string {
    return `${this.publicUrl()}/auth/oidc/${idpId}/callback`;
  }

  /** Starts a login: returns the transaction id (for a short-lived cookie) and the IdP URL to redirect to. */
  async begin(idpId: string, returnTo: string | undefined): Promise<{ transactionId: string; authorizationUrl: string }> {
    const provider = this.provider(idpId);
    const config = await this.configuration(provider);
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const transaction: LoginTransaction = {
      idpId,
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier,
      returnTo: safeReturnTo(returnTo),
      expiresAt: this.now() + TRANSACTION_TTL_MS,
    };
    const transactionId = randomBytes(24).toString('base64url');
    this.sweep();
    this.transactions.set(transactionId, transaction);
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri(idpId),
      scope: provider.scopes.join(' '),
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state: transaction.state,
      nonce: transaction.nonce,
    });
    return { transactionId, authorizationUrl: url.href };
  }

  /** Finishes a login from the callback URL; every check (state, nonce, PKCE, ID token) must pass. */
  async complete(idpId: string, transactionId: string | undefined, callbackUrl: URL): Promise<CompletedLogin> {
    const transaction = transactionId ? this.transactions.get(transactionId) : undefined;
    if (transactionId) this.transactions.delete(transactionId);
    if (!transaction || transaction.idpId !== idpId || transaction.expiresAt <= this.now()) {
      throw new DomainError('UNAUTHENTICATED', 'auth.login_expired', 'the sign-in took too long or was started elsewhere; start again');
    }
    const idpError = callbackUrl.searchParams.get('error');
    if (idpError) throw new DomainError('UNAUTHENTICATED', 'auth.idp_refused', `the identity provider refused the sign-in (${idpError})`);
    const provider = this.provider(idpId);
    const config = await this.configuration(provider);
    let tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;
    try {
      tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: transaction.codeVerifier,
        expectedState: transaction.state,
        expectedNonce: transaction.nonce,
        idTokenExpected: true,
      });
    } catch (cause) {
      throw Object.assign(new DomainError('UNAUTHENTICATED', 'auth.callback_invalid', 'the sign-in response did not pass its checks; start again'), { cause });
    }
    const claims = tokens.claims();
    if (!claims) throw new DomainError('UNAUTHENTICATED', 'auth.no_id_token', 'the identity provider sent no ID token');
    const groups = this.groupsOf(provider, claims);
    const displayName = typeof claims['name'] === 'string' ? claims['name'] : typeof claims['email'] === 'string' ? claims['email'] : undefined;
    const platformAdmin = groups.some((g) => provider.platformAdminGroups.includes(g));
    const principal: Principal = {
      actor: { kind: 'user', issuer: claims.iss, subject: claims.sub, ...(displayName ? { displayName } : {}) },
      idpId,
      groups,
      platform: platformAdmin ? permissionsOfRoles(['platform-admin']) : new Set(),
    };
    const endSession = config.serverMetadata().end_session_endpoint
      ? oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: `${this.publicUrl()}/` }).href
      : undefined;
    return { principal, returnTo: transaction.returnTo, ...(endSession ? { endSessionUrl: endSession } : {}) };
  }

  private groupsOf(provider: OidcProviderConfig, claims: oidc.IDToken): string[] {
    const claimNames = claims['_claim_names'];
    if (provider.preset === 'entra' && claimNames && typeof claimNames === 'object' && 'groups' in claimNames) {
      throw new DomainError(
        'FORBIDDEN',
        'auth.entra_group_overage',
        'Entra ID sent a group overage claim (the user is in too many groups for a token). Limit the groups claim to "Groups assigned to the application" in the app registration, or bind roles to app roles instead.',
      );
    }
    const groups = claimList(claims[provider.groupsClaim]);
    // Entra app roles arrive in `roles`; they bind like groups
    return provider.preset === 'entra' ? [...new Set([...groups, ...claimList(claims['roles'])])] : groups;
  }

  private provider(idpId: string): OidcProviderConfig {
    const provider = this.providers.get(idpId);
    if (!provider) throw new DomainError('NOT_FOUND', 'auth.unknown_idp', `no identity provider ${idpId}`);
    return provider;
  }

  private configuration(provider: OidcProviderConfig): Promise<oidc.Configuration> {
    let found = this.discovered.get(provider.id);
    if (!found) {
      const issuer = new URL(provider.issuer);
      // plain http is accepted only for an issuer on this machine (tests, local IdPs)
      const options = issuer.protocol === 'http:' && isLoopback(issuer) ? { execute: [oidc.allowInsecureRequests] } : undefined;
      found = oidc.discovery(issuer, provider.clientId, provider.clientSecret, undefined, options).catch((cause: unknown) => {
        this.discovered.delete(provider.id);
        throw Object.assign(new DomainError('UNAVAILABLE', 'auth.idp_unreachable', `identity provider ${provider.id} cannot be reached`), { cause });
      });
      this.discovered.set(provider.id, found);
    }
    return found;
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, t] of this.transactions) if (t.expiresAt <= now) this.transactions.delete(id);
  }
}

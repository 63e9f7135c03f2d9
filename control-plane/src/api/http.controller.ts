import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { parseCookie, stringifySetCookie } from 'cookie';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { DomainError } from '../domain/domain-error.js';
import { Public } from './auth/permissions.js';
import { permissionsOfRoles } from './auth/principal-roles.js';
import type { Principal } from './auth/principal.js';
import { recordLogin } from './auth/record-login.js';
import type { OidcLogin } from './auth/oidc-login.js';
import { LOGIN_COOKIE, SESSION_COOKIE, type SessionStore } from './auth/session-store.js';
import type { ControlPlaneRuntime } from './runtime.js';
import { CONTROL_PLANE, OIDC_LOGIN, READINESS, SESSIONS } from './tokens.js';

export interface Readiness {
  ready: boolean;
  details(): Record<string, unknown>;
}

const DevLoginInput = z.object({
  subject: z.string().min(1).max(200).default('dev-admin'),
  groups: z.array(z.string().min(1).max(200)).max(50).default([]),
  /** false: an ordinary user whose rights come only from role bindings (to try RBAC locally). */
  platformAdmin: z.boolean().default(true),
});

/** An HttpOnly, SameSite=Lax cookie; Secure everywhere but development (plain http on localhost). */
const cookie = (environment: ControlPlaneRuntime['environment'], name: string, value: string, maxAge: number): string =>
  stringifySetCookie({ name, value, httpOnly: true, sameSite: 'lax', path: '/', maxAge, secure: environment !== 'development' });

@Controller()
export class HttpController {
  constructor(
    @Inject(CONTROL_PLANE) private readonly runtime: ControlPlaneRuntime,
    @Inject(SESSIONS) private readonly sessions: SessionStore,
    @Inject(READINESS) private readonly readiness: Readiness,
    @Inject(OIDC_LOGIN) private readonly oidcLogin: OidcLogin,
  ) {}

  @Public()
  @Get('auth/providers')
  providers() {
    return { providers: this.oidcLogin.list(), devLogin: this.runtime.environment === 'development' };
  }

  /** Starts an OIDC login: 302 to the identity provider, with PKCE, state and nonce. */
  @Public()
  @Get('auth/oidc/:idpId/login')
  async oidcBegin(@Param('idpId') idpId: string, @Query('returnTo') returnTo: string | undefined, @Res({ passthrough: true }) res: ServerResponse) {
    const { transactionId, authorizationUrl } = await this.oidcLogin.begin(idpId, returnTo);
    res.statusCode = 302;
    res.setHeader('location', authorizationUrl);
    res.setHeader('set-cookie', cookie(this.runtime.environment, LOGIN_COOKIE, transactionId, 600));
    return { redirect: authorizationUrl };
  }

  /** The identity provider's redirect back: checks everything, then a session cookie and a 302 home. */
  @Public()
  @Get('auth/oidc/:idpId/callback')
  async oidcCallback(@Param('idpId') idpId: string, @Req() req: IncomingMessage, @Res({ passthrough: true }) res: ServerResponse) {
    const transactionId = parseCookie(req.headers.cookie ?? '')[LOGIN_COOKIE];
    const callbackUrl = new URL(req.url ?? '/', this.oidcLogin.redirectUri(idpId));
    const login = await this.oidcLogin.complete(idpId, transactionId, callbackUrl);
    await recordLogin(this.runtime.database.prisma, login.principal);
    const session = await this.sessions.create(login.principal, login.endSessionUrl);
    res.statusCode = 302;
    res.setHeader('location', login.returnTo);
    res.setHeader('set-cookie', [cookie(this.runtime.environment, SESSION_COOKIE, session.id, 8 * 3600), cookie(this.runtime.environment, LOGIN_COOKIE, '', 0)]);
    return { redirect: login.returnTo };
  }

  @Public()
  @Get('healthz')
  health() {
    return { status: 'ok', ...this.readiness.details() };
  }

  @Public()
  @Get('readyz')
  ready(@Res({ passthrough: true }) res: ServerResponse) {
    if (!this.readiness.ready) res.statusCode = 503;
    return { status: this.readiness.ready ? 'ok' : 'starting', ...this.readiness.details() };
  }

  /**
   * Development login: a platform-admin session without an identity provider. Exists only when the
   * process runs in development mode (the embedded quickstart); otherwise it answers 404 like any
   * unknown route would, and refuses with a typed error.
   */
  @Public()
  @Post('auth/dev-login')
  @HttpCode(200)
  async devLogin(@Body() body: unknown, @Res({ passthrough: true }) res: ServerResponse) {
    if (this.runtime.environment !== 'development') {
      res.statusCode = 404;
      return { code: 'NOT_FOUND', reason: 'auth.dev_login_disabled', message: 'the development login exists only in development mode' };
    }
    const input = DevLoginInput.parse(body ?? {});
    const principal: Principal = {
      actor: { kind: 'user', issuer: 'urn:mcpgate:dev-login', subject: input.subject, displayName: `${input.subject} (development login)` },
      idpId: 'dev',
      groups: input.groups,
      platform: input.platformAdmin ? permissionsOfRoles(['platform-admin']) : new Set(),
    };
    await recordLogin(this.runtime.database.prisma, principal);
    const session = await this.sessions.create(principal);
    res.setHeader('set-cookie', cookie(this.runtime.environment, SESSION_COOKIE, session.id, 8 * 3600));
    return { subject: input.subject, expiresAt: new Date(session.expiresAt).toISOString() };
  }

  @Public()
  @Post('auth/logout')
  @HttpCode(200)
  async logout(@Req() req: IncomingMessage, @Res({ passthrough: true }) res: ServerResponse) {
    const sessionId = parseCookie(req.headers.cookie ?? '')[SESSION_COOKIE];
    const session = await this.sessions.get(sessionId);
    if (!session) throw new DomainError('UNAUTHENTICATED', 'auth.required', 'no session to end');
    await this.sessions.destroy(sessionId);
    res.setHeader('set-cookie', cookie(this.runtime.environment, SESSION_COOKIE, '', 0));
    // the console sends the browser here to end the identity provider's session as well
    return { status: 'signed out', ...(session.endSessionUrl ? { endSessionUrl: session.endSessionUrl } : {}) };
  }
}

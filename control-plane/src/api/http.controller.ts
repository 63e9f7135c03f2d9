import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { parseCookie, stringifySetCookie } from 'cookie';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { DomainError } from '../domain/domain-error.js';
import { Public } from './auth/permissions.js';
import { permissionsOfRoles } from './auth/principal-roles.js';
import { SESSION_COOKIE, type SessionStore } from './auth/session-store.js';
import type { ControlPlaneRuntime } from './runtime.js';
import { CONTROL_PLANE, READINESS, SESSIONS } from './tokens.js';

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

@Controller()
export class HttpController {
  constructor(
    @Inject(CONTROL_PLANE) private readonly runtime: ControlPlaneRuntime,
    @Inject(SESSIONS) private readonly sessions: SessionStore,
    @Inject(READINESS) private readonly readiness: Readiness,
  ) {}

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
  devLogin(@Body() body: unknown, @Res({ passthrough: true }) res: ServerResponse) {
    if (this.runtime.environment !== 'development') {
      res.statusCode = 404;
      return { code: 'NOT_FOUND', reason: 'auth.dev_login_disabled', message: 'the development login exists only in development mode' };
    }
    const input = DevLoginInput.parse(body ?? {});
    const session = this.sessions.create({
      actor: { kind: 'user', issuer: 'urn:mcpgate:dev-login', subject: input.subject, displayName: `${input.subject} (development login)` },
      idpId: 'dev',
      groups: input.groups,
      platform: input.platformAdmin ? permissionsOfRoles(['platform-admin']) : new Set(),
    });
    res.setHeader(
      'set-cookie',
      stringifySetCookie({ name: SESSION_COOKIE, value: session.id, httpOnly: true, sameSite: 'lax', path: '/', maxAge: 8 * 3600, secure: false }),
    );
    return { subject: input.subject, expiresAt: new Date(session.expiresAt).toISOString() };
  }

  @Public()
  @Post('auth/logout')
  @HttpCode(200)
  logout(@Req() req: IncomingMessage, @Res({ passthrough: true }) res: ServerResponse) {
    const sessionId = parseCookie(req.headers.cookie ?? '')[SESSION_COOKIE];
    if (!this.sessions.get(sessionId)) throw new DomainError('UNAUTHENTICATED', 'auth.required', 'no session to end');
    this.sessions.destroy(sessionId);
    res.setHeader('set-cookie', stringifySetCookie({ name: SESSION_COOKIE, value: '', httpOnly: true, sameSite: 'lax', path: '/', maxAge: 0 }));
    return { status: 'signed out' };
  }
}

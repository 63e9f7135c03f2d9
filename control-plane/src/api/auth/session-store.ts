import { randomBytes } from 'node:crypto';
import type { Principal } from './principal.js';

export interface Session {
  readonly id: string;
  readonly principal: Principal;
  readonly expiresAt: number;
  /** Where to end the identity provider's session too, when it supports RP-initiated logout. */
  readonly endSessionUrl?: string;
}

/**
 * Server-side sessions: the browser holds only a random id in an HttpOnly cookie. Kept in memory
 * per control-plane instance for now (a restart logs everyone out); a shared store in the database
 * comes with OIDC login.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly ttlMs = 8 * 3_600_000,
    private readonly now: () => number = Date.now,
  ) {}

  create(principal: Principal, endSessionUrl?: string): Session {
    const session = { id: randomBytes(32).toString('base64url'), principal, expiresAt: this.now() + this.ttlMs, ...(endSessionUrl ? { endSessionUrl } : {}) };
    this.sessions.set(session.id, session);
    return session;
  }

  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (session && session.expiresAt <= this.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    return session;
  }

  destroy(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }
}

export const SESSION_COOKIE = 'mcpgate_session';
export const LOGIN_COOKIE = 'mcpgate_login';

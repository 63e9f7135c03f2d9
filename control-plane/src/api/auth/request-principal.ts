import type { IncomingMessage } from 'node:http';
import { parseCookie } from 'cookie';
import type { ApiTokenIndex } from './api-token-index.js';
import type { Principal } from './principal.js';
import { SESSION_COOKIE, type SessionStore } from './session-store.js';

/**
 * The principal behind a request: a bearer API token (service accounts, automation) or the session
 * cookie (people in the console). A presented but unknown, revoked or expired token is no principal:
 * it never falls back to a cookie.
 */
export const principalOf = async (req: IncomingMessage, sessions: SessionStore, tokens: ApiTokenIndex): Promise<Principal | undefined> => {
  const authorization = req.headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    return match?.[1] ? tokens.principalFor(match[1]) : undefined;
  }
  return (await sessions.get(parseCookie(req.headers.cookie ?? '')[SESSION_COOKIE]))?.principal;
};

import type { IncomingMessage } from 'node:http';
import { parseCookie } from 'cookie';
import type { Principal } from './principal.js';
import { SESSION_COOKIE, type SessionStore } from './session-store.js';

/** The principal behind a request: its session cookie (API tokens join with service accounts). */
export const principalOf = (req: IncomingMessage, sessions: SessionStore): Principal | undefined => {
  const cookies = parseCookie(req.headers.cookie ?? '');
  return sessions.get(cookies[SESSION_COOKIE])?.principal;
};

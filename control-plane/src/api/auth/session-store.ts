import { createHash, randomBytes } from 'node:crypto';
import type { Actor, Permission } from '@mcpgate/contracts';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Principal } from './principal.js';

export interface Session {
  readonly id: string;
  readonly principal: Principal;
  /** When the session ends unless it is used again (the idle timeout, capped by the absolute limit). */
  readonly expiresAt: number;
  /** Where to end the identity provider's session too, when it supports RP-initiated logout. */
  readonly endSessionUrl?: string;
}

export interface SessionTimeouts {
  /** A session unused this long ends. */
  readonly idleMs: number;
  /** No session lives longer than this, however often it is used. */
  readonly absoluteMs: number;
  /** Use is recorded at most this often per session, so reading a page is not a write each time. */
  readonly touchEveryMs: number;
}

export const DEFAULT_SESSION_TIMEOUTS: SessionTimeouts = { idleMs: 30 * 60_000, absoluteMs: 8 * 3_600_000, touchEveryMs: 60_000 };

/** The principal as stored: sets as arrays. */
interface StoredPrincipal {
  readonly actor: Actor;
  readonly idpId?: string;
  readonly groups: readonly string[];
  readonly platform: readonly Permission[];
  readonly scopedTo?: { readonly tenantId: string; readonly permissions: readonly Permission[] };
}

const toStored = (p: Principal): StoredPrincipal => ({
  actor: p.actor,
  ...(p.idpId ? { idpId: p.idpId } : {}),
  groups: [...p.groups],
  platform: [...p.platform],
  ...(p.scopedTo ? { scopedTo: { tenantId: p.scopedTo.tenantId, permissions: [...p.scopedTo.permissions] } } : {}),
});

const fromStored = (s: StoredPrincipal): Principal => ({
  actor: s.actor,
  ...(s.idpId ? { idpId: s.idpId } : {}),
  groups: [...s.groups],
  platform: new Set(s.platform),
  ...(s.scopedTo ? { scopedTo: { tenantId: s.scopedTo.tenantId, permissions: new Set(s.scopedTo.permissions) } } : {}),
});

/** The stored key of a session: its id's SHA-256, so a copy of the table holds no usable cookie. */
const keyOf = (id: string) => createHash('sha256').update(id, 'utf8').digest('hex');

/**
 * Server-side sessions in PostgreSQL (or the embedded PGlite), shared by every control-plane
 * replica on the database: the browser holds only a random id in an HttpOnly cookie; the table holds
 * its hash, the principal, and when it ends. Each use slides the idle timeout (recorded at most once
 * a minute), never past the absolute limit; logout deletes the row, so it ends on every replica;
 * each login deletes the sessions that ended.
 */
export class SessionStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly timeouts: SessionTimeouts = DEFAULT_SESSION_TIMEOUTS,
    private readonly now: () => number = Date.now,
  ) {}

  async create(principal: Principal, endSessionUrl?: string): Promise<Session> {
    const id = randomBytes(32).toString('base64url');
    const now = this.now();
    const absoluteExpiresAt = now + this.timeouts.absoluteMs;
    const expiresAt = Math.min(now + this.timeouts.idleMs, absoluteExpiresAt);
    await this.prisma.adminSession.create({
      data: {
        idHash: keyOf(id),
        principal: toStored(principal) as object,
        endSessionUrl: endSessionUrl ?? null,
        createdAt: new Date(now),
        lastSeenAt: new Date(now),
        expiresAt: new Date(expiresAt),
        absoluteExpiresAt: new Date(absoluteExpiresAt),
      },
    });
    // logins are rare and the expiry is indexed: each one also clears sessions that ended unused
    await this.sweep();
    return { id, principal, expiresAt, ...(endSessionUrl ? { endSessionUrl } : {}) };
  }

  /** The live session with this id (its idle timeout slid forward), or undefined. */
  async get(id: string | undefined): Promise<Session | undefined> {
    if (!id) return undefined;
    const idHash = keyOf(id);
    const row = await this.prisma.adminSession.findUnique({ where: { idHash } });
    if (!row) return undefined;
    const now = this.now();
    if (row.expiresAt.getTime() <= now) {
      await this.prisma.adminSession.deleteMany({ where: { idHash } });
      return undefined;
    }
    let expiresAt = row.expiresAt.getTime();
    if (now - row.lastSeenAt.getTime() >= this.timeouts.touchEveryMs) {
      expiresAt = Math.min(now + this.timeouts.idleMs, row.absoluteExpiresAt.getTime());
      await this.prisma.adminSession.updateMany({ where: { idHash }, data: { lastSeenAt: new Date(now), expiresAt: new Date(expiresAt) } });
    }
    return { id, principal: fromStored(row.principal as unknown as StoredPrincipal), expiresAt, ...(row.endSessionUrl ? { endSessionUrl: row.endSessionUrl } : {}) };
  }

  async destroy(id: string | undefined): Promise<void> {
    if (id) await this.prisma.adminSession.deleteMany({ where: { idHash: keyOf(id) } });
  }

  /** Deletes ended sessions; returns how many. */
  async sweep(): Promise<number> {
    const { count } = await this.prisma.adminSession.deleteMany({ where: { expiresAt: { lte: new Date(this.now()) } } });
    return count;
  }
}

export const SESSION_COOKIE = 'mcpgate_session';
export const LOGIN_COOKIE = 'mcpgate_login';

import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Principal } from './principal.js';

/** Creates the user's record at the first login (just in time) and keeps its last login current. */
export const recordLogin = async (prisma: PrismaClient, principal: Principal, at = new Date()): Promise<void> => {
  if (principal.actor.kind !== 'user') return;
  const { issuer, subject, displayName } = principal.actor;
  const details = { idpId: principal.idpId ?? 'unknown', displayName: displayName ?? null, groups: [...principal.groups], lastLoginAt: at };
  await prisma.userAccount.upsert({
    where: { issuer_subject: { issuer, subject } },
    create: { issuer, subject, ...details, firstSeenAt: at, loginCount: 1 },
    update: { ...details, loginCount: { increment: 1 } },
  });
};

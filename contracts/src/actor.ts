import { z } from 'zod';
import { ServiceAccountId } from './ids.js';

/**
 * Who caused a change. Recorded in every event's metadata and so in the admin activity history.
 * `system` is the control plane itself (seeding, retention jobs); it carries the job's name.
 */
export const Actor = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('user'),
    /** Stable subject from the IdP (`iss` + `sub`), never an e-mail that can be reassigned. */
    subject: z.string().min(1).max(512),
    issuer: z.string().min(1).max(512),
    displayName: z.string().max(200).optional(),
  }),
  z.object({ kind: z.literal('service-account'), serviceAccountId: ServiceAccountId }),
  z.object({ kind: z.literal('system'), component: z.string().min(1).max(100) }),
]);
export type Actor = z.infer<typeof Actor>;

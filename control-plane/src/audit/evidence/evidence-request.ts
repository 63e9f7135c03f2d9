import type { Actor } from '@mcpgate/contracts';

/** The frameworks a pack can evidence. */
export const EVIDENCE_FRAMEWORKS = ['SOC2', 'HIPAA'] as const;
export type EvidenceFramework = (typeof EVIDENCE_FRAMEWORKS)[number];

/** The longest period one pack covers: about 13 months (an annual audit with slack). */
export const MAX_PERIOD_DAYS = 400;

/** What a pack is for: a tenant, a framework and a period [from, to). */
export interface EvidenceRequest {
  readonly tenantId: string;
  readonly framework: EvidenceFramework;
  readonly from: Date;
  readonly to: Date;
  readonly requestedBy: Actor;
}

/** Where a generation stands: the phase, units done of total in it, and the whole job's percent. */
export interface EvidenceProgress {
  readonly phase: string;
  readonly done: number;
  readonly total: number;
  readonly percent: number;
}

/** A request that cannot be served as asked: the caller's mistake, with a stable reason. */
export class EvidenceRequestError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'EvidenceRequestError';
  }
}

const isFramework = (value: string): value is EvidenceFramework => (EVIDENCE_FRAMEWORKS as readonly string[]).includes(value);

/** Checks a framework name and a period; throws EvidenceRequestError with a reason. */
export const validateRequest = (framework: string, from: Date, to: Date, now: Date): EvidenceFramework => {
  const upper = framework.toUpperCase();
  if (!isFramework(upper)) throw new EvidenceRequestError('evidence.unknown_framework', `framework must be one of ${EVIDENCE_FRAMEWORKS.join(', ')}`);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw new EvidenceRequestError('evidence.invalid_period', 'from and to must be points in time');
  if (from >= to) throw new EvidenceRequestError('evidence.invalid_period', '`from` must be before `to`');
  if (from > now) throw new EvidenceRequestError('evidence.invalid_period', 'the period starts in the future');
  if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * 86_400_000) throw new EvidenceRequestError('evidence.period_too_long', `a pack covers at most ${MAX_PERIOD_DAYS} days`);
  return upper;
};

/** One line naming who acted, for CSVs and reports (no secrets: ids and subjects only). */
export const describeActor = (actor: unknown): string => {
  const a = (actor ?? {}) as Record<string, unknown>;
  if (a['kind'] === 'user') return `user:${String(a['issuer'] ?? '')} ${String(a['subject'] ?? '')}${a['displayName'] ? ` (${String(a['displayName'])})` : ''}`;
  if (a['kind'] === 'service-account') return `service-account:${String(a['serviceAccountId'] ?? '')}`;
  if (a['kind'] === 'system') return `system:${String(a['component'] ?? '')}`;
  return 'unknown';
};

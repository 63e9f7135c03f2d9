import { z } from 'zod';

/**
 * A glob over tool names: `*` matches any run of characters, `?` one character, everything else
 * literally. Tool names as the caller sees them (after prefixing), e.g. `github__create_*`.
 */
export const ToolGlob = z.string().min(1).max(256).regex(/^[A-Za-z0-9_.*?\-/]+$/, {
  message: 'may contain letters, digits, _ . - / and the wildcards * ?',
});
export type ToolGlob = z.infer<typeof ToolGlob>;

/** Allow and deny globs; deny wins over allow, and an empty allow list allows nothing. */
export const ToolFilter = z.object({
  allow: z.array(ToolGlob).max(500).default(['*']),
  deny: z.array(ToolGlob).max(500).default([]),
});
export type ToolFilter = z.infer<typeof ToolFilter>;

/** Who a rule applies to. An empty subject list means "everyone". */
export const RuleSubjects = z.object({
  roles: z.array(z.string().min(1).max(100)).max(100).default([]),
  groups: z.array(z.string().min(1).max(512)).max(100).default([]),
  users: z.array(z.string().min(1).max(512)).max(100).default([]),
  keys: z.array(z.string().min(1).max(100)).max(100).default([]),
});
export type RuleSubjects = z.infer<typeof RuleSubjects>;

/** One tool rule. Rules are evaluated deny-first; the id appears in every denial's reason. */
export const ToolRule = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
  effect: z.enum(['allow', 'deny']),
  subjects: RuleSubjects,
  tools: z.array(ToolGlob).min(1).max(500),
  description: z.string().max(500).optional(),
});
export type ToolRule = z.infer<typeof ToolRule>;

/** What a rate limit or budget counts per: one bucket per key, user, tool or the whole tenant. */
export const LimitScope = z.enum(['key', 'user', 'tool', 'tenant']);
export type LimitScope = z.infer<typeof LimitScope>;

/** A token bucket: `capacity` calls at once, refilled at `refillPerSecond`. */
export const RateLimit = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
  scope: LimitScope,
  /** Optional tool glob: the limit only counts calls to matching tools. */
  tools: ToolGlob.optional(),
  capacity: z.number().int().positive().max(1_000_000),
  refillPerSecond: z.number().positive().max(1_000_000),
});
export type RateLimit = z.infer<typeof RateLimit>;

/** A budget per calendar period (UTC): a maximum number of calls and/or of cost units. */
export const Budget = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
    scope: LimitScope,
    period: z.enum(['day', 'week', 'month']),
    maxCalls: z.number().int().positive().optional(),
    maxCost: z.number().positive().optional(),
  })
  .refine((b) => b.maxCalls !== undefined || b.maxCost !== undefined, { message: 'a budget needs maxCalls or maxCost' });
export type Budget = z.infer<typeof Budget>;

/**
 * What one call to matching tools costs, in the tenant's own units (what budgets' `maxCost`
 * counts): e.g. 5 for a paid search API, 0.1 for a cheap lookup. `tools` matches the name as agents
 * call it, like tool rules; a tool no entry matches costs 0.
 */
export const ToolCost = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/),
  tools: ToolGlob,
  cost: z.number().positive().max(1_000_000),
});
export type ToolCost = z.infer<typeof ToolCost>;

/** Audit behaviour of a tenant. */
export const AuditSettings = z.object({
  /** `hash`: only the SHA-256 of the canonical arguments; `full`: arguments too (never secrets). */
  argumentCapture: z.enum(['none', 'hash', 'full']).default('hash'),
  /** When the proxy's audit spool cannot be written: deny calls (`closed`) or serve and alarm (`open`). */
  onAuditFailure: z.enum(['closed', 'open']).default('closed'),
});
export type AuditSettings = z.infer<typeof AuditSettings>;

/** The full content of a policy; a policy version is one of these. */
export const PolicyDocument = z.object({
  toolRules: z.array(ToolRule).max(1000).default([]),
  rateLimits: z.array(RateLimit).max(200).default([]),
  budgets: z.array(Budget).max(200).default([]),
  toolCosts: z.array(ToolCost).max(500).default([]),
  audit: AuditSettings.default({ argumentCapture: 'hash', onAuditFailure: 'closed' }),
});
export type PolicyDocument = z.infer<typeof PolicyDocument>;

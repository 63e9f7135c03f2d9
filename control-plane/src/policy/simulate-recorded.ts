import type { ToolDecision } from '@mcpgate/contracts';
import type { TenantView } from '../domain/tenant-model.js';
import { simulatePolicyChange, type SampleCall } from './simulate.js';

/** A tool call as the audit trail recorded it (the fields a simulation needs). */
export interface RecordedCall {
  readonly eventId: string;
  readonly time: Date;
  readonly tool: string;
  /** The principal as the proxy recorded it: `virtual-key` {keyId}, `oauth` {issuer, subject, groups}, `anonymous`. */
  readonly principal: Record<string, unknown>;
  /** allowed, denied or failed (a failed call had been allowed). */
  readonly outcome: string;
}

export interface RecordedCallChange {
  readonly eventId: string;
  readonly time: Date;
  readonly tool: string;
  readonly principal: Record<string, unknown>;
  readonly recordedOutcome: string;
  readonly before: ToolDecision;
  readonly after: ToolDecision;
}

export interface RecordedSimulation {
  /** Recorded calls decided twice (under the policies now and with the candidate). */
  readonly examined: number;
  readonly changed: number;
  readonly newlyDenied: number;
  readonly newlyAllowed: number;
  /** The calls whose outcome the candidate flips, newest first. */
  readonly changes: readonly RecordedCallChange[];
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** The caller of a recorded call as a sample call: a key brings its scope, an OAuth caller its subject and groups. */
export const asSampleCall = (call: RecordedCall): SampleCall => {
  const p = call.principal;
  if (p['kind'] === 'virtual-key' && typeof p['keyId'] === 'string') return { tool: call.tool, groups: [], keyId: p['keyId'] };
  if (p['kind'] === 'oauth' && typeof p['subject'] === 'string') return { tool: call.tool, user: p['subject'], groups: strings(p['groups']) };
  return { tool: call.tool, groups: [] };
};

/**
 * Replays recorded tool calls under the tenant's policies as they are and with the candidate (the
 * same evaluation as `simulatePolicyChange`, hence as the proxies), and answers which would change
 * outcome. Both sides are decided now, so a call denied at the time by a rule since removed is
 * judged by today's rules, which is what the admin is about to change.
 */
export const simulateRecordedCalls = (tenant: TenantView, policyId: string | undefined, candidate: unknown, calls: readonly RecordedCall[]): RecordedSimulation => {
  const decided = simulatePolicyChange(tenant, policyId, candidate, calls.map(asSampleCall));
  const changes = decided.flatMap((result, i) => {
    if (!result.changed) return [];
    const call = calls[i]!;
    return [{ eventId: call.eventId, time: call.time, tool: call.tool, principal: call.principal, recordedOutcome: call.outcome, before: result.before, after: result.after }];
  });
  const newlyDenied = changes.filter((c) => c.before.allowed && !c.after.allowed).length;
  return { examined: calls.length, changed: changes.length, newlyDenied, newlyAllowed: changes.length - newlyDenied, changes };
};

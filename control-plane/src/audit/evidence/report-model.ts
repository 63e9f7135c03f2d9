import type { DenialCount, ToolCount } from '../audit-query.js';
import type { AuditVerification } from '../audit-verify.js';
import type { AccessEntry } from './csv/access-review.js';
import type { EvidenceFramework } from './evidence-request.js';
import type { DecidingRule } from './rule-history.js';

/** Everything the human report shows, gathered once and rendered twice (HTML and PDF). */
export interface ReportModel {
  readonly packId: string;
  readonly tenantId: string;
  readonly tenantName: string;
  readonly framework: EvidenceFramework;
  readonly period: { readonly from: Date; readonly to: Date };
  readonly generatedAt: Date;
  readonly generatedBy: string;
  readonly summary: {
    readonly toolCalls: number;
    readonly allowed: number;
    readonly denied: number;
    readonly failed: number;
    readonly principals: number;
    readonly adminChanges: number;
    readonly keyLifecycleEvents: number;
    readonly exporters: number;
  };
  /** SVG charts; null when the period has nothing to chart (the report says so in words). */
  readonly charts: { readonly calls: string | null; readonly denials: string | null; readonly adminChanges: string | null };
  readonly chartInterval: string;
  readonly topTools: readonly ToolCount[];
  readonly denials: readonly DenialCount[];
  readonly access: readonly AccessEntry[];
  /** HIPAA only. */
  readonly phi: PhiSummary | null;
  readonly rules: readonly DecidingRule[];
  readonly verification: AuditVerification;
  readonly controls: readonly { readonly id: string; readonly title: string; readonly files: readonly { readonly path: string; readonly evidences: string }[] }[];
}

export interface PhiSummary {
  /** Servers and globs that mark PHI, as configured at generation time. */
  readonly marked: readonly { readonly server: string; readonly serverId: string; readonly marking: string }[];
  readonly calls: number;
  readonly denied: number;
  readonly principals: number;
  readonly byTool: readonly { readonly tool: string; readonly calls: number; readonly denied: number; readonly principals: number }[];
}

export const NO_CALLS = 'No tool calls in this period.';
export const NO_DENIALS = 'No denied calls in this period.';
export const NO_ADMIN_CHANGES = 'No access or configuration changes in this period.';

export const frameworkTitle = (framework: EvidenceFramework): string => (framework === 'SOC2' ? 'SOC 2 (Trust Services Criteria)' : 'HIPAA Security Rule');

export const verificationSentence = (v: AuditVerification): string => {
  if (!v.ok) return `NOT INTACT: ${v.problem} at seq ${v.firstBadSeq}: ${v.detail}`;
  if (v.fromSeq === null) return 'Intact: no audit records in this period to verify.';
  return `Intact: ${v.records.toLocaleString('en')} records (seq ${v.fromSeq}–${v.toSeq}) chained from ${v.anchor}, ${v.checkpoints} signed checkpoint(s)${
    v.lastCheckpointSeq !== null ? `, the last at seq ${v.lastCheckpointSeq}` : ''
  }${v.unsignedTail ? `, ${v.unsignedTail} record(s) after the last checkpoint` : ''}; record MACs ${v.macChecked ? 'checked' : 'not checked (public verification)'}.`;
};

export const ruleLabel = (r: DecidingRule): string => (r.ruleId ? r.ruleId : r.denied > 0 ? '(no rule named: key scope, limit or authentication)' : '(default: no rule named)');

/** Numbers as both reports print them. */
export const fmt = (n: number): string => n.toLocaleString('en');

/** The summary figures, labelled, in the order both reports show them. */
export const summaryRows = (m: ReportModel): (readonly [string, number])[] => {
  const s = m.summary;
  return [
    ['Tool calls', s.toolCalls],
    ['Allowed', s.allowed],
    ['Denied', s.denied],
    ['Failed', s.failed],
    ['Distinct callers', s.principals],
    ['Admin changes', s.adminChanges],
    ['Key lifecycle events', s.keyLifecycleEvents],
    ['SIEM exporters', s.exporters],
  ];
};

export const RULE_COLUMNS = ['Policy version', 'Rule', 'Policy', 'Effect / tools', 'Allowed', 'Denied', 'Failed', 'Since then'];

/**
 * One row per deciding rule, as both reports show it: the rule at the recorded policy version, its
 * counts, and what happened to its policy since. `quote` wraps a change note (typographic quotes in
 * HTML; the PDF's standard fonts print plain ones).
 */
export const ruleRows = (m: ReportModel, quote: (note: string) => string): string[][] =>
  m.rules.map((r) => [
    r.policyLogPosition,
    ruleLabel(r),
    r.policy ? `${r.policy.name} v${r.policy.version}` : '',
    r.rule ? `${r.rule.effect} ${r.rule.tools.join(', ')}` : '',
    fmt(r.allowed),
    fmt(r.denied),
    fmt(r.failed),
    r.unavailable
      ? `history unavailable: ${r.unavailable}`
      : r.laterChanges.length
        ? `${r.now}; ${r.laterChanges.map((c) => `${c.time} ${c.event} v${c.version} by ${c.actor}${c.note ? ` ${quote(c.note)}` : ''}`).join('; ')}`
        : r.policy
          ? 'no change to its policy since'
          : '',
  ]);

export const CONTROL_COLUMNS = ['Control', 'Title', 'Evidenced by'];

/** One row per control: the files that evidence it, with what each shows. */
export const controlRows = (m: ReportModel): string[][] => m.controls.map((c) => [c.id, c.title, c.files.map((f) => `${f.path}: ${f.evidences}`).join('\n')]);

import type { EvidenceFramework } from './evidence-request.js';

/** A control of a framework, with its official title (shortened). */
export interface Control {
  readonly id: string;
  readonly title: string;
}

export const SOC2_CONTROLS: readonly Control[] = [
  { id: 'CC6.1', title: 'Logical access security software, infrastructure and architectures' },
  { id: 'CC6.2', title: 'Registration and authorization of users before access is granted' },
  { id: 'CC6.3', title: 'Authorization, modification and removal of access (least privilege)' },
  { id: 'CC6.6', title: 'Logical access security measures against threats from outside the system boundary' },
  { id: 'CC7.2', title: 'Monitoring of system components for anomalies' },
  { id: 'CC7.3', title: 'Evaluation of security events' },
  { id: 'CC8.1', title: 'Authorization, documentation and approval of changes' },
];

export const HIPAA_CONTROLS: readonly Control[] = [
  { id: '164.308(a)(1)(ii)(D)', title: 'Information system activity review' },
  { id: '164.308(a)(3)/(4)', title: 'Workforce security and information access management' },
  { id: '164.312(a)(1)', title: 'Access control' },
  { id: '164.312(b)', title: 'Audit controls' },
  { id: '164.312(c)(1)', title: 'Integrity' },
  { id: '164.312(d)', title: 'Person or entity authentication' },
  { id: '164.312(e)(1)', title: 'Transmission security' },
];

export const controlsOf = (framework: EvidenceFramework): readonly Control[] => (framework === 'SOC2' ? SOC2_CONTROLS : HIPAA_CONTROLS);

/** What one file of a pack evidences for one control, in a sentence an auditor can check. */
export interface ControlEvidence {
  readonly control: string;
  readonly evidences: string;
}

type Mapping = Readonly<Record<string, Readonly<Record<EvidenceFramework, readonly ControlEvidence[]>>>>;

/** Every file a pack can hold, and the controls it evidences per framework. */
const MAPPING: Mapping = {
  'report.html': {
    SOC2: [
      { control: 'CC7.2', evidences: 'Summarises monitored tool-call activity, denials and access changes over the period with charts.' },
      { control: 'CC7.3', evidences: 'Shows denials by reason and the policy rules that decided calls, with each rule’s change history.' },
    ],
    HIPAA: [
      { control: '164.308(a)(1)(ii)(D)', evidences: 'Is the periodic information system activity review: volumes, denials, access changes and PHI access.' },
      { control: '164.312(b)', evidences: 'Summarises the recorded audit trail of the period and its verification.' },
    ],
  },
  'report.pdf': {
    SOC2: [{ control: 'CC7.2', evidences: 'The same review as report.html in a fixed, printable form for the audit file.' }],
    HIPAA: [{ control: '164.308(a)(1)(ii)(D)', evidences: 'The same activity review as report.html in a fixed, printable form.' }],
  },
  'csv/tool-calls.csv': {
    SOC2: [
      { control: 'CC6.1', evidences: 'Every tool call was authenticated (principal, key) and decided by a versioned policy rule.' },
      { control: 'CC7.2', evidences: 'The complete monitored activity of the period, one row per recorded call, for sampling.' },
    ],
    HIPAA: [
      { control: '164.312(b)', evidences: 'Activity recorded by the audit controls: who called which tool, when, with what outcome.' },
      { control: '164.312(d)', evidences: 'Each call names the authenticated principal (virtual key or OAuth subject).' },
      { control: '164.312(e)(1)', evidences: 'Calls crossed the gateway (region, upstream server), the only path to the tools.' },
    ],
  },
  'csv/denials.csv': {
    SOC2: [
      { control: 'CC6.1', evidences: 'Access outside policy was refused: every denied call with its reason and rule.' },
      { control: 'CC6.6', evidences: 'Requests from unauthenticated or out-of-scope callers were blocked at the boundary.' },
      { control: 'CC7.3', evidences: 'Denials are the security events to evaluate, with reason, rule and policy version.' },
    ],
    HIPAA: [
      { control: '164.312(a)(1)', evidences: 'Access control enforced: each refused access with the rule that refused it.' },
      { control: '164.308(a)(1)(ii)(D)', evidences: 'Denied access attempts for the activity review.' },
    ],
  },
  'csv/access-review.csv': {
    SOC2: [
      { control: 'CC6.2', evidences: 'Who is registered and authorised: users and IdP groups with their roles and permissions.' },
      { control: 'CC6.3', evidences: 'Access review: every role binding, virtual key (scopes, expiry, last use) and service-account token.' },
    ],
    HIPAA: [
      { control: '164.308(a)(3)/(4)', evidences: 'Workforce access and information access management: who holds which permissions.' },
      { control: '164.312(a)(1)', evidences: 'Unique identities and the access each holds, including keys and their last use.' },
    ],
  },
  'csv/admin-changes.csv': {
    SOC2: [
      { control: 'CC8.1', evidences: 'Every configuration change with actor, time, event and the state before and after.' },
      { control: 'CC6.3', evidences: 'Grants and removals of access as they happened.' },
    ],
    HIPAA: [
      { control: '164.312(b)', evidences: 'Administrative activity recorded with actor and before/after.' },
      { control: '164.308(a)(3)/(4)', evidences: 'Changes to access (bindings, roles, keys) with who made them.' },
    ],
  },
  'csv/key-lifecycle.csv': {
    SOC2: [
      { control: 'CC6.2', evidences: 'Credentials are issued to registered callers by named administrators.' },
      { control: 'CC6.3', evidences: 'Keys and tokens are rotated, expire and are revoked: each step with actor and time.' },
    ],
    HIPAA: [
      { control: '164.312(d)', evidences: 'Authentication credentials: issue, rotation, expiry and revocation with actor and time.' },
      { control: '164.308(a)(3)/(4)', evidences: 'Termination of access through revocation.' },
    ],
  },
  'csv/exporter-delivery.csv': {
    SOC2: [{ control: 'CC7.2', evidences: 'Audit events are forwarded to the SIEM: cursor, lag, last delivery, errors, dead letters.' }],
    HIPAA: [{ control: '164.312(b)', evidences: 'Audit records leave the system for independent review; delivery status per exporter.' }],
  },
  'verification.json': {
    SOC2: [{ control: 'CC7.2', evidences: 'The audit trail of the period verified intact: hash chain, record MACs and signed checkpoints.' }],
    HIPAA: [
      { control: '164.312(c)(1)', evidences: 'Integrity of the audit records: no record altered, removed or inserted.' },
      { control: '164.312(b)', evidences: 'The audit controls themselves are verifiable.' },
    ],
  },
  'controls.csv': {
    SOC2: [{ control: 'CC7.2', evidences: 'Maps each file of this pack to the controls it evidences.' }],
    HIPAA: [{ control: '164.312(b)', evidences: 'Maps each file of this pack to the safeguards it evidences.' }],
  },
  'csv/phi-access.csv': {
    SOC2: [],
    HIPAA: [
      { control: '164.312(b)', evidences: 'Every call to a PHI-tagged server or tool: who, when, which tool, outcome.' },
      { control: '164.308(a)(1)(ii)(D)', evidences: 'Access to PHI for the activity review.' },
      { control: '164.312(a)(1)', evidences: 'Access to PHI was decided by policy; denied attempts are listed with reasons.' },
    ],
  },
};

/** The controls a file evidences in a framework; empty for a file the framework does not use. */
export const controlsForFile = (path: string, framework: EvidenceFramework): readonly ControlEvidence[] => MAPPING[path]?.[framework] ?? [];

/** The files a pack of the framework holds, in the order of the manifest. */
export const packFiles = (framework: EvidenceFramework): readonly string[] => Object.keys(MAPPING).filter((path) => controlsForFile(path, framework).length > 0);

/** For each control of the framework, the files that evidence it (every control must have one). */
export const filesByControl = (framework: EvidenceFramework): ReadonlyMap<string, readonly { path: string; evidences: string }[]> => {
  const byControl = new Map<string, { path: string; evidences: string }[]>(controlsOf(framework).map((c) => [c.id, []]));
  for (const path of packFiles(framework)) for (const e of controlsForFile(path, framework)) byControl.get(e.control)?.push({ path, evidences: e.evidences });
  return byControl;
};

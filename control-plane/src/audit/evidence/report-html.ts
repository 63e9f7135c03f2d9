import { CONTROL_COLUMNS, NO_ADMIN_CHANGES, NO_CALLS, NO_DENIALS, RULE_COLUMNS, controlRows, fmt, frameworkTitle, ruleRows, summaryRows, verificationSentence, type ReportModel } from './report-model.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Escapes text for HTML element content and attribute values. */
export const escapeHtml = (value: unknown): string => String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const day = (d: Date) => d.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC');

const table = (headers: readonly string[], rows: readonly (readonly unknown[])[], empty: string): string =>
  rows.length === 0
    ? `<p class="empty">${escapeHtml(empty)}</p>`
    : `<table><thead><tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
        .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`;

/** Vega's SVG is ours (data escaped by vega's renderer); it is inlined as markup, nothing is fetched. */
const chart = (svg: string | null, empty: string) => (svg ? `<div class="chart">${svg}</div>` : `<p class="empty">${escapeHtml(empty)}</p>`);

const STYLE = `
body{font-family:Helvetica,Arial,sans-serif;color:#111827;margin:32px auto;max-width:980px;line-height:1.4}
h1{font-size:24px;margin:0 0 4px} h2{font-size:18px;border-bottom:2px solid #1f2937;padding-bottom:4px;margin-top:32px}
.meta{color:#374151;font-size:13px} .cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{border:1px solid #d1d5db;border-radius:6px;padding:10px 14px;min-width:120px} .card b{display:block;font-size:22px}
table{border-collapse:collapse;width:100%;font-size:12px;margin:8px 0} th,td{border:1px solid #d1d5db;padding:4px 6px;text-align:left;vertical-align:top;word-break:break-word}
th{background:#f3f4f6} .empty{color:#374151;font-style:italic;border:1px dashed #9ca3af;padding:12px;border-radius:6px}
.ok{color:#065f46;font-weight:bold} .bad{color:#991b1b;font-weight:bold} .chart svg{max-width:100%;height:auto}`;

/** The human report as one self-contained HTML document: inline CSS and SVG, no scripts, no external assets. */
export const renderReportHtml = (m: ReportModel): string => {
  const s = m.summary;
  const sections: string[] = [];
  sections.push(`<h2>Summary</h2><div class="cards">${summaryRows(m)
    .map(([label, value]) => `<div class="card"><b>${escapeHtml(fmt(value))}</b>${escapeHtml(label)}</div>`)
    .join('')}</div>${s.toolCalls === 0 ? `<p class="empty">${NO_CALLS}</p>` : ''}`);
  sections.push(`<h2>Tool calls over time</h2>${chart(m.charts.calls, NO_CALLS)}`);
  sections.push(`<h2>Denials by reason</h2>${chart(m.charts.denials, NO_DENIALS)}${m.denials.length ? table(['Reason', 'Rule', 'Denied calls'], m.denials.map((d) => [d.reason, d.ruleId ?? '', fmt(d.count)]), NO_DENIALS) : ''}`);
  sections.push(`<h2>Access changes over time</h2>${chart(m.charts.adminChanges, NO_ADMIN_CHANGES)}`);
  sections.push(`<h2>Top tools</h2>${table(['Tool', 'Calls', 'Denied', 'Failed'], m.topTools.map((t) => [t.tool, fmt(t.calls), fmt(t.denied), fmt(t.failed)]), NO_CALLS)}`);
  sections.push(
    `<h2>Who holds which permissions</h2>${table(
      ['Kind', 'Subject', 'Role', 'Permissions', 'Status', 'Expires', 'Last used'],
      m.access.map((a) => [a.subjectKind, a.subject, a.role, a.permissions.join(', '), a.status, a.expiresAt ?? '', a.lastUsedAt ? day(a.lastUsedAt) : a.subjectKind === 'virtual-key' ? 'never in period' : '']),
      'Nobody holds access in this tenant.',
    )}`,
  );
  if (m.phi) {
    const p = m.phi;
    sections.push(
      `<h2>Access to PHI</h2><p>${escapeHtml(`${fmt(p.calls)} call(s) to PHI tools by ${fmt(p.principals)} caller(s), ${fmt(p.denied)} denied.`)}</p>${table(
        ['Server', 'Server id', 'Marked as PHI'],
        p.marked.map((x) => [x.server, x.serverId, x.marking]),
        'No server or tool is marked as handling PHI: tag a server `phi` or list its PHI tools in phiTools.',
      )}${table(['Tool', 'Calls', 'Denied', 'Callers'], p.byTool.map((t) => [t.tool, fmt(t.calls), fmt(t.denied), fmt(t.principals)]), 'No calls to PHI tools in this period.')}`,
    );
  }
  sections.push(
    `<h2>Rules that decided calls</h2><p>Each call records the policy version (log position) that decided it. For each rule: what it was at that version and what happened to its policy since.</p>${table(
      RULE_COLUMNS,
      ruleRows(m, (note) => `(“${note}”)`),
      NO_CALLS,
    )}`,
  );
  sections.push(`<h2>Audit trail verification</h2><p class="${m.verification.ok ? 'ok' : 'bad'}">${escapeHtml(verificationSentence(m.verification))}</p>`);
  sections.push(
    `<h2>Control mapping</h2>${table(
      CONTROL_COLUMNS,
      controlRows(m),
      '',
    )}`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(`Evidence pack ${m.packId}`)}</title><style>${STYLE}</style></head><body>
<h1>${escapeHtml(`${frameworkTitle(m.framework)} evidence: ${m.tenantName}`)}</h1>
<p class="meta">${escapeHtml(`Tenant ${m.tenantId} · period ${day(m.period.from)} to ${day(m.period.to)} (end exclusive) · generated ${day(m.generatedAt)} by ${m.generatedBy} · pack ${m.packId}`)}</p>
${sections.join('\n')}
</body></html>
`;
};

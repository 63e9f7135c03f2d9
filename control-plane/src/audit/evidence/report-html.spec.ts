import { describe, expect, it } from 'vitest';
import { renderChart } from './charts.js';
import { escapeHtml, renderReportHtml } from './report-html.js';
import type { ReportModel } from './report-model.js';
import { renderReportPdf } from './report-pdf.js';

const hostile = '<img src=x onerror=alert(1)>"&\'';

const model = (chart: string | null): ReportModel => ({
  packId: 'evp_0123456789abcdef0123',
  tenantId: 'ten_a',
  tenantName: `Acme ${hostile}`,
  framework: 'HIPAA',
  period: { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') },
  generatedAt: new Date('2026-12-01T01:00:00Z'),
  generatedBy: 'system:test',
  summary: { toolCalls: 3, allowed: 2, denied: 1, failed: 0, principals: 1, adminChanges: 0, keyLifecycleEvents: 0, exporters: 0 },
  charts: { calls: chart, denials: null, adminChanges: null },
  chartInterval: 'DAY',
  topTools: [{ tool: hostile, calls: 3, denied: 1, failed: 0 }],
  denials: [{ reason: 'policy.tool_denied', ruleId: 'no-deletes', count: 1 }],
  access: [],
  phi: { marked: [], calls: 0, denied: 0, principals: 0, byTool: [] },
  rules: [],
  verification: { ok: true, tenantId: 'ten_a', records: 3, checkpoints: 1, fromSeq: 1, toSeq: 3, anchor: 'genesis', lastCheckpointSeq: 3, unsignedTail: 0, retentions: 0, macChecked: true },
  controls: [{ id: '164.312(b)', title: 'Audit controls', files: [{ path: 'csv/tool-calls.csv', evidences: 'Activity.' }] }],
});

describe(renderReportHtml.name, () => {
  it('escapes every value, also inside the chart, and fetches nothing', async () => {
    const svg = await renderChart({ title: 'Calls', xTitle: 'tool', yTitle: 'calls', xType: 'nominal', colors: { calls: '#2563eb' }, points: [{ x: hostile, series: 'calls', value: 3 }] });
    const html = renderReportHtml(model(svg));
    expect(html).not.toContain('<img');
    expect(html).toContain(escapeHtml(hostile));
    expect(html).not.toMatch(/<script|src="http|href="http|url\(/);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('No denied calls in this period.');
    expect(html).toContain('No calls to PHI tools in this period.');
  });

  it('renders the same model as a PDF with the standard fonts only', async () => {
    const pdf = await renderReportPdf(model(null));
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString('latin1')).toMatch(/\/BaseFont \/Helvetica/);
    expect(pdf.toString('latin1')).not.toMatch(/FontFile/);
  });
});

import { describe, expect, it } from 'vitest';
import { ExporterMetrics } from './exporter-metrics.js';
import { backoffDelay } from './exporter-worker.js';
import { httpStatusError, networkError } from './exporter-error.js';

describe(ExporterMetrics.name, () => {
  it('renders per-exporter counters and gauges in the Prometheus text format with escaped labels', async () => {
    const sut = new ExporterMetrics();
    const c = sut.of('exp_0000000001', 'ten_a"b\\c', 'splunk-hec');
    c.delivered += 40;
    c.errors += 2;
    c.lag = 7;
    const text = await sut.render();
    expect(text).toContain('# TYPE mcpgate_audit_export_delivered_events_total counter');
    expect(text).toContain('mcpgate_audit_export_delivered_events_total{tenant="ten_a\\"b\\\\c",exporter="exp_0000000001",kind="splunk-hec"} 40');
    expect(text).toContain('# TYPE mcpgate_audit_export_lag_events gauge');
    expect(text).toContain('mcpgate_audit_export_errors_total{tenant="ten_a\\"b\\\\c",exporter="exp_0000000001",kind="splunk-hec"} 2');
    sut.remove('exp_0000000001');
    expect(await sut.render()).not.toContain('exp_0000000001');
  });
});

describe(backoffDelay.name, () => {
  it('draws uniformly below base × 2^(attempt-1), capped', () => {
    expect(backoffDelay(1, 100, 1_000, () => 0.999)).toBe(99);
    expect(backoffDelay(3, 100, 1_000, () => 0.999)).toBe(399);
    expect(backoffDelay(10, 100, 1_000, () => 0.999)).toBe(999);
    expect(backoffDelay(50, 100, 1_000, () => 0)).toBe(0);
  });
});

describe('export error classification', () => {
  it('retries unavailability and configuration errors, gives up at once on refused content, and names no request details', () => {
    expect(httpStatusError(503, 'busy')).toMatchObject({ reason: 'export.http_status', retriable: true });
    expect(httpStatusError(401, '{"text":"Invalid authorization"}')).toMatchObject({ retriable: true });
    expect(httpStatusError(429, '')).toMatchObject({ retriable: true });
    expect(httpStatusError(400, 'bad\u0000data\n'.repeat(100))).toMatchObject({ reason: 'export.rejected', retriable: false });
    expect(httpStatusError(400, 'x'.repeat(1000)).message.length).toBeLessThan(350);
    expect(networkError(Object.assign(new TypeError('fetch failed https://user:pw@host'), { cause: { code: 'ECONNREFUSED' } })).message).toBe('the receiver is unreachable (ECONNREFUSED)');
    expect(networkError(Object.assign(new Error('x'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }))).toMatchObject({ reason: 'export.tls' });
  });

  it('keeps a secret a receiver echoes back out of the stored error, even where the text is cut', () => {
    const secret = 'hec-token-0123456789-SECRET';
    expect(httpStatusError(403, `{"text":"Invalid token ${secret}"}`, [secret]).message).toBe('the receiver answered 403: {"text":"Invalid token [redacted]"}');
    const cutInside = httpStatusError(400, `${'x'.repeat(290)}${secret}`, [secret]).message;
    expect(cutInside).not.toContain('hec-token');
  });
});

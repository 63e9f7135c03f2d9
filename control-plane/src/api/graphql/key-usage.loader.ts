import { keyUsage, type AuditFilter, type KeyUsage } from '../../audit/audit-query.js';
import type { ControlPlaneRuntime } from '../runtime.js';

/**
 * Key usage for a whole list page in one audit query: the first key of a request asks for its
 * tenant and period, the others of the same request share the answer. Held per request (a
 * WeakMap on the request object), so nothing outlives it and tenants never share an answer.
 */
export class KeyUsageLoader {
  private readonly perRequest = new WeakMap<object, Map<string, Promise<Map<string, KeyUsage>>>>();

  constructor(private readonly runtime: Pick<ControlPlaneRuntime, 'audit'>) {}

  usageOf(request: object, tenantId: string, period: Pick<AuditFilter, 'from' | 'to'>): Promise<Map<string, KeyUsage>> {
    const answers = this.perRequest.get(request) ?? new Map<string, Promise<Map<string, KeyUsage>>>();
    this.perRequest.set(request, answers);
    const key = `${tenantId} ${period.from?.toISOString() ?? ''} ${period.to?.toISOString() ?? ''}`;
    let answer = answers.get(key);
    if (!answer) {
      answer = keyUsage(this.runtime.audit.sql, tenantId, period).then((rows) => new Map(rows.map((r) => [r.keyId, r])));
      answers.set(key, answer);
    }
    return answer;
  }
}

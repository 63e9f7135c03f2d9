import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { DomainError } from '../domain/domain-error.js';
import type { ApiRequest } from './auth/permission.guard.js';
import { RequirePermission } from './auth/permissions.js';
import { permissionsIn } from './auth/principal.js';
import type { ControlPlaneRuntime } from './runtime.js';
import { CONTROL_PLANE } from './tokens.js';

/**
 * Downloads of finished evidence packs, authenticated like /graphql (session cookie or bearer API
 * token). The guard admits callers holding `evidence:generate` in some tenant; this route then
 * checks it in the tenant of the path, and answers an unknown, unfinished or other tenant's pack
 * with the same NOT_FOUND.
 */
@Controller()
export class EvidenceController {
  constructor(@Inject(CONTROL_PLANE) private readonly runtime: ControlPlaneRuntime) {}

  @RequirePermission('evidence:generate', 'any-tenant')
  @Get('evidence-packs/:tenantId/:file')
  async download(@Param('tenantId') tenantId: string, @Param('file') file: string, @Req() req: ApiRequest, @Res() res: ServerResponse): Promise<void> {
    const principal = req.principal;
    if (!principal) throw new DomainError('UNAUTHENTICATED', 'auth.required', 'sign in first');
    if (!permissionsIn(principal, this.runtime.applier.tenant(tenantId)).has('evidence:generate')) {
      throw new DomainError('FORBIDDEN', 'auth.permission_denied', 'this needs the evidence:generate permission', { permission: 'evidence:generate' });
    }
    const match = /^(evp_[0-9a-f]{20})\.zip$/.exec(file);
    const archive = match ? await this.runtime.evidence.archive(tenantId, match[1]!) : undefined;
    if (!match || !archive) throw new DomainError('NOT_FOUND', 'evidence_pack.not_found', 'no finished evidence pack at this address');
    res.statusCode = 200;
    res.setHeader('content-type', 'application/zip');
    res.setHeader('content-length', String(archive.length));
    res.setHeader('content-disposition', `attachment; filename="evidence-${match[1]}.zip"`);
    res.setHeader('cache-control', 'private, no-store');
    res.setHeader('x-content-type-options', 'nosniff');
    res.end(archive);
  }
}

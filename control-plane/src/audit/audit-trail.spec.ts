import { openDatabase } from '../infra/database/database.js';
import { describeAuditTrail } from './audit-trail.contract.js';

describeAuditTrail('embedded PGlite', async () => {
  const database = await openDatabase({ kind: 'pglite' });
  return { prisma: database.prisma, sql: database.prisma, close: () => database.close() };
});

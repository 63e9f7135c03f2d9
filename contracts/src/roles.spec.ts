import { describe, expect, it } from 'vitest';
import { isPermission, PERMISSIONS } from './permissions.js';
import { BUILT_IN_ROLE_NAMES, BUILT_IN_ROLE_PERMISSIONS } from './roles.js';

describe('built-in roles', () => {
  it('grant only permissions from the catalogue, without duplicates', () => {
    for (const role of BUILT_IN_ROLE_NAMES) {
      const granted = BUILT_IN_ROLE_PERMISSIONS[role];
      expect(granted.every(isPermission), role).toBe(true);
      expect(new Set(granted).size, role).toBe(granted.length);
    }
  });

  it('let only platform-admin manage tenants themselves', () => {
    const holders = BUILT_IN_ROLE_NAMES.filter((r) => BUILT_IN_ROLE_PERMISSIONS[r].includes('platform:tenants:manage'));
    expect(holders).toEqual(['platform-admin']);
  });

  it('give tenant-admin every tenant-scoped permission, so no other role exceeds it', () => {
    const tenantAdmin = new Set(BUILT_IN_ROLE_PERMISSIONS['tenant-admin']);
    expect(PERMISSIONS.filter((p) => !tenantAdmin.has(p))).toEqual(['platform:tenants:manage']);
  });

  it('let tenant-admin and security-admin manage identity providers, and every tenant role read them', () => {
    expect(BUILT_IN_ROLE_NAMES.filter((r) => BUILT_IN_ROLE_PERMISSIONS[r].includes('idp:manage'))).toEqual(['platform-admin', 'tenant-admin', 'security-admin']);
    expect(BUILT_IN_ROLE_NAMES.filter((r) => !BUILT_IN_ROLE_PERMISSIONS[r].includes('idp:read'))).toEqual([]);
  });

  it('keep viewer and compliance-auditor read-only', () => {
    const writes = /:(manage|issue|revoke|update)$/;
    expect(BUILT_IN_ROLE_PERMISSIONS.viewer.filter((p) => writes.test(p))).toEqual([]);
    expect(BUILT_IN_ROLE_PERMISSIONS['compliance-auditor'].filter((p) => writes.test(p))).toEqual([]);
  });
});

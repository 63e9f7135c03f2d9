import type { AuditPrincipal, CallSubject, PolicySnapshot, SnapshotVirtualKey } from '@mcpgate/contracts';

/** A caller the HTTP layer has authenticated; MCP handling never reads credentials itself. */
export type Principal =
  | { readonly kind: 'virtual-key'; readonly key: SnapshotVirtualKey }
  | {
      readonly kind: 'oauth';
      readonly identityProviderId: string;
      readonly issuer: string;
      readonly subject: string;
      readonly clientId?: string;
      readonly groups: readonly string[];
      readonly scopes: readonly string[];
    }
  | { readonly kind: 'anonymous' };

/** The stable name a session is bound to: a later request with another principal does not find it. */
export const principalId = (principal: Principal): string => {
  switch (principal.kind) {
    case 'virtual-key':
      return `key:${principal.key.id}`;
    case 'oauth':
      return `oauth:${principal.issuer}#${principal.subject}`;
    case 'anonymous':
      return 'anonymous';
  }
};

/** How the principal appears in audit events: ids and prefixes, never a secret or a token. */
export const auditPrincipalOf = (principal: Principal): AuditPrincipal => {
  switch (principal.kind) {
    case 'virtual-key':
      return { kind: 'virtual-key', keyId: principal.key.id, keyPrefix: principal.key.prefix };
    case 'oauth':
      return {
        kind: 'oauth',
        issuer: principal.issuer,
        subject: principal.subject,
        ...(principal.clientId ? { clientId: principal.clientId } : {}),
        groups: principal.groups.slice(0, 200),
      };
    case 'anonymous':
      return { kind: 'anonymous' };
  }
};

/** The caller as tool rules see it: user, groups, the roles bound to them in the tenant, the key's own scope. */
export const callSubjectOf = (principal: Principal, snapshot: PolicySnapshot): CallSubject => {
  switch (principal.kind) {
    case 'virtual-key':
      return { keyId: principal.key.id, keyTools: principal.key.scopes.tools, groups: [], roles: [] };
    case 'oauth': {
      const roles = snapshot.roleBindings
        .filter(({ subject }) =>
          subject.kind === 'user'
            ? subject.issuer === principal.issuer && subject.subject === principal.subject
            : subject.idpId === principal.identityProviderId && principal.groups.includes(subject.group),
        )
        .map(({ role }) => role);
      return { user: principal.subject, groups: principal.groups, roles: [...new Set(roles)] };
    }
    case 'anonymous':
      return { groups: [], roles: [] };
  }
};

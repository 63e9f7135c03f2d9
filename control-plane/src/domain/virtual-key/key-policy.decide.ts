import type { KeyPolicyCommand, PolicyDocument, ToolFilter } from '@mcpgate/contracts';
import type { CommandContext } from '../command-context.js';
import { conflict, invalid, notFound } from '../domain-error.js';
import { streamOf, type Decision } from '../events.js';
import type { TenantView } from '../tenant-model.js';

/**
 * Tool globs that the tenant's policies deny to the acting user (by user, group or any role bound
 * to them). A key issued by that user must deny them too, so a key never reaches a tool its issuer
 * cannot: the decider narrows the key rather than refusing it, and says so in the event.
 */
export const toolsDeniedToActor = (model: TenantView, ctx: CommandContext): string[] => {
  if (ctx.actor.kind !== 'user') return [];
  const { issuer, subject } = ctx.actor;
  const roles = new Set(
    [...model.bindings.values()]
      .filter((b) => b.status === 'active')
      .filter((b) => (b.subject.kind === 'user' ? b.subject.issuer === issuer && b.subject.subject === subject : ctx.actorGroups.includes(b.subject.group)))
      .map((b) => model.roles.get(b.role)?.name ?? b.role),
  );
  const applies = (rule: PolicyDocument['toolRules'][number]) => {
    const s = rule.subjects;
    const everyone = !s.roles.length && !s.groups.length && !s.users.length && !s.keys.length;
    return everyone || s.users.includes(subject) || s.groups.some((g) => ctx.actorGroups.includes(g)) || s.roles.some((r) => roles.has(r));
  };
  const denied = [...model.policies.values()]
    .filter((p) => p.status === 'active')
    .flatMap((p) => p.document.toolRules.filter((r) => r.effect === 'deny' && !r.subjects.keys.length && applies(r)).flatMap((r) => r.tools));
  return [...new Set(denied)].sort();
};

const narrow = (tools: ToolFilter, denied: string[]): ToolFilter => ({ allow: tools.allow, deny: [...new Set([...tools.deny, ...denied])] });

const duplicateRuleIds = (document: PolicyDocument) => {
  const ids = [...document.toolRules.map((r) => r.id), ...document.rateLimits.map((r) => r.id), ...document.budgets.map((b) => b.id)];
  return ids.filter((id, i) => ids.indexOf(id) !== i);
};

export const decideKeyOrPolicy = (command: KeyPolicyCommand, model: TenantView, ctx: CommandContext): Decision => {
  switch (command.type) {
    case 'IssueVirtualKey': {
      const { name, scopes, expiresAt } = command.data;
      if (expiresAt && new Date(expiresAt) <= ctx.now) throw invalid('virtual_key.expiry_in_past', 'expiresAt must be in the future');
      const keyId = ctx.newId('vk');
      const { keyPrefix, secretHash } = ctx.newKeySecret();
      const narrowed = { ...scopes, tools: narrow(scopes.tools, toolsDeniedToActor(model, ctx)) };
      return {
        streamId: streamOf('virtual-key', keyId),
        createdId: keyId,
        events: [
          { type: 'VirtualKeyIssued', data: { keyId, name, keyPrefix, secretHash, scopes: narrowed, issuedBy: ctx.actor, ...(expiresAt ? { expiresAt } : {}) } },
        ],
      };
    }
    case 'RotateVirtualKey':
    case 'RevokeVirtualKey': {
      const key = model.keys.get(command.data.keyId);
      if (!key) throw notFound('virtual-key', command.data.keyId);
      const streamId = streamOf('virtual-key', key.keyId);
      if (command.type === 'RevokeVirtualKey') return { streamId, events: key.status === 'revoked' ? [] : [{ type: 'VirtualKeyRevoked', data: { reason: command.data.reason } }] };
      if (key.status === 'revoked') throw conflict('virtual_key.revoked', `key ${key.keyPrefix}… is revoked and cannot be rotated`);
      const { keyPrefix, secretHash } = ctx.newKeySecret();
      const grace = command.data.graceSeconds;
      const previousValidUntil = grace > 0 ? { previousValidUntil: new Date(ctx.now.getTime() + grace * 1000).toISOString() } : {};
      return { streamId, events: [{ type: 'VirtualKeyRotated', data: { keyPrefix, secretHash, ...previousValidUntil } }] };
    }
    case 'CreatePolicy':
    case 'UpdatePolicy': {
      const duplicates = duplicateRuleIds(command.data.document);
      if (duplicates.length) throw invalid('policy.duplicate_rule_id', `rule ids must be unique: ${duplicates.join(', ')}`, { ids: duplicates });
      if (command.type === 'CreatePolicy') {
        const policyId = ctx.newId('pol');
        return { streamId: streamOf('policy', policyId), createdId: policyId, events: [{ type: 'PolicyCreated', data: { policyId, ...command.data } }] };
      }
      const policy = model.policies.get(command.data.policyId);
      if (policy?.status !== 'active') throw notFound('policy', command.data.policyId);
      const unchanged = JSON.stringify(policy.document) === JSON.stringify(command.data.document);
      return {
        streamId: streamOf('policy', policy.policyId),
        events: unchanged ? [] : [{ type: 'PolicyUpdated', data: { document: command.data.document, changeNote: command.data.changeNote } }],
      };
    }
    case 'DeletePolicy': {
      const policy = model.policies.get(command.data.policyId);
      if (!policy) throw notFound('policy', command.data.policyId);
      return { streamId: streamOf('policy', policy.policyId), events: policy.status === 'deleted' ? [] : [{ type: 'PolicyDeleted', data: {} }] };
    }
    default: {
      const unhandled: never = command;
      throw new Error(`unhandled command ${JSON.stringify(unhandled)}`);
    }
  }
};

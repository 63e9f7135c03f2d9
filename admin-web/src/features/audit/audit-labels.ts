import { actorLabel } from '../overview/activity-chart-data';

/** Who made a call, never a secret: key prefix and id, token subject, or the admin actor. */
export const principalLabel = (principal: Record<string, unknown>): string => {
  switch (principal['kind']) {
    case 'virtual-key':
      return `key ${String(principal['keyPrefix'] ?? '')}… (${String(principal['keyId'] ?? '')})`;
    case 'oauth':
      return `${String(principal['subject'] ?? '')} (OAuth)`;
    case 'anonymous':
      return 'anonymous';
    case 'admin':
      return `${actorLabel((principal['actor'] as Record<string, unknown> | undefined) ?? {})} (admin)`;
    default:
      return String(principal['kind'] ?? 'unknown');
  }
};

export const OUTCOME_COLOURS: Record<string, string> = { allowed: 'green', denied: 'red', failed: 'orange' };

/** A record's subject in one phrase: the tool for calls, the change for admin records. */
export const whatLabel = (record: { tool: string | null; method: string }): string => record.tool ?? record.method;

import type { Actor, Permission } from '@mcpgate/contracts';

/**
 * Everything a decider may know besides the command and the tenant's state. Time, ids and secrets
 * are injected so deciders stay pure and tests are deterministic.
 */
export interface CommandContext {
  readonly tenantId: string;
  readonly now: Date;
  readonly actor: Actor;
  /** IdP groups of the acting user (empty for service accounts and the system). */
  readonly actorGroups: readonly string[];
  /**
   * What the actor may do in this tenant, when an authenticated principal is acting; undefined for
   * the control plane itself. Deciders use it so nothing created grants more than its creator holds.
   */
  readonly actorPermissions?: ReadonlySet<Permission>;
  /** A new id with the given prefix, e.g. `srv` → `srv_01J…`. */
  newId(prefix: string): string;
  /**
   * Generates a key secret and returns what may be stored about it. The caller keeps the secret
   * to show it once; the decider sees only the prefix and the hash.
   */
  newKeySecret(prefix?: 'mcpg_' | 'mcpgsa_'): { keyPrefix: string; secretHash: string };
}

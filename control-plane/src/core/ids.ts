import { createHash, randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A new id: `<prefix>_` + 10 characters of millisecond time + 16 random characters (Crockford
 * base32, ULID layout), so ids sort by creation time and never contain the `-` that separates a
 * stream's aggregate from its id.
 */
export const newId = (prefix: string, now = Date.now(), random: (n: number) => Buffer = randomBytes): string => {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = random(16);
  let rest = '';
  for (const byte of bytes) rest += CROCKFORD[byte % 32];
  return `${prefix}_${time}${rest}`;
};

/**
 * A tenant's id follows from its slug, so creating the same slug twice lands on the same stream and
 * the log itself keeps slugs unique across every partition and replica, with no directory service.
 */
export const tenantIdForSlug = (slug: string): string => `ten_${createHash('sha256').update(`tenant:${slug}`).digest('hex').slice(0, 24)}`;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export interface KeySecret {
  /** The whole secret, shown to its owner once and never stored. */
  secret: string;
  keyPrefix: string;
  secretHash: string;
}

/** SHA-256 hex of a key secret: what events, read models and snapshots store. */
export const hashKeySecret = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

/**
 * A bearer secret: `mcpg_` (virtual keys) or `mcpgsa_` (service-account API tokens) + 40 base62
 * characters (≈238 bits of randomness). The stored prefix is the marker plus 8 characters.
 */
export const newKeySecret = (random: (n: number) => Buffer = randomBytes, marker: 'mcpg_' | 'mcpgsa_' = 'mcpg_'): KeySecret => {
  let body = '';
  while (body.length < 40) {
    for (const byte of random(48)) {
      if (byte < 248 && body.length < 40) body += BASE62[byte % 62];
    }
  }
  const secret = `${marker}${body}`;
  return { secret, keyPrefix: secret.slice(0, marker.length + 8), secretHash: hashKeySecret(secret) };
};

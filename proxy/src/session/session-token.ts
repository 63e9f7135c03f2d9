import { createCipheriv, createDecipheriv, createHash, createSecretKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { LruMap } from '../limits/lru-map.js';

/** One upstream of an agent session: which endpoint it was opened on and the upstream's own session. */
export interface UpstreamSession {
  /** Upstream server id. */
  readonly s: string;
  /** Endpoint id within the server (failover moves a session only by re-initializing it). */
  readonly e: string;
  /** The upstream's Mcp-Session-Id, when it issued one (stdio upstreams have none). */
  readonly sid?: string;
  /** Protocol version the upstream negotiated. */
  readonly pv: string;
  /** Upstream capability flags: t tools, p prompts, r resources, s resource subscribe, l logging, c completions. */
  readonly cap: string;
}

/**
 * Everything a replica needs to continue an agent session, carried by the agent in its
 * Mcp-Session-Id. No replica keeps a session map, so any replica serves any request.
 */
export interface SessionState {
  readonly v: 1;
  /** Random, so two sessions never share a token; also the audit's session id. */
  readonly id: string;
  readonly tenantId: string;
  readonly virtualServerId: string;
  /** Who opened the session (`key:<id>`, `oauth:<issuer>#<sub>`, `anonymous`): later requests must match. */
  readonly principal: string;
  readonly protocolVersion: string;
  readonly clientCapabilities: Record<string, unknown>;
  readonly clientInfo?: { readonly name: string; readonly version: string };
  readonly upstreams: readonly UpstreamSession[];
  /** The replica that holds the session's long-lived resources (upstream GET streams, stdio children). */
  readonly home: string;
  /** Issued and expiry times, epoch seconds. */
  readonly iat: number;
  readonly exp: number;
}

export type OpenSessionResult = { readonly ok: true; readonly state: SessionState } | { readonly ok: false; readonly reason: 'malformed' | 'unknown-key' | 'forged' | 'expired' };

const PREFIX = 'mcpg1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals session state into an opaque Mcp-Session-Id with AES-256-GCM. The key is derived once per
 * region key version with HKDF (never per session), so every replica of a region opens what any
 * other sealed; a token from another region, a tampered one or an expired one does not open.
 * Format: `mcpg1.<key tag>.<base64url(iv | ciphertext | tag)>`, visible ASCII as the spec requires.
 */
export class SessionSealer {
  private readonly keys = new Map<string, KeyObject>();
  private readonly currentTag: string;
  /**
   * Tokens opened recently, by their exact text: an agent sends the same id on every request, and
   * the text is authenticated, so a hit skips the decryption (expiry is still checked each time).
   */
  private readonly opened = new LruMap<string, SessionState>(10_000);

  constructor(
    regionKeys: readonly { readonly keyId: string; readonly secret: string | Buffer }[],
    private readonly now: () => number = Date.now,
  ) {
    if (!regionKeys.length) throw new Error('a session sealer needs at least one region key');
    for (const { keyId, secret } of regionKeys) {
      const key = createSecretKey(Buffer.from(hkdfSync('sha256', secret, 'mcpgate-session-v1', keyId, 32)));
      this.keys.set(SessionSealer.tagOf(keyId), key);
    }
    this.currentTag = SessionSealer.tagOf(regionKeys[0]!.keyId);
  }

  private static tagOf(keyId: string): string {
    return createHash('sha256').update(keyId).digest('base64url').slice(0, 8);
  }

  /** A fresh session id: random, so no two sessions share a token. */
  static newId(): string {
    return randomBytes(12).toString('base64url');
  }

  seal(state: Omit<SessionState, 'v' | 'iat' | 'exp'>, lifetimeSeconds: number): { token: string; state: SessionState } {
    const iat = Math.floor(this.now() / 1000);
    const full: SessionState = { v: 1, ...state, iat, exp: iat + lifetimeSeconds };
    return { token: this.sealState(full), state: full };
  }

  /** Re-seals a changed state (e.g. an upstream moved to another endpoint) keeping id and expiry. */
  sealState(state: SessionState): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentTag)!, iv);
    cipher.setAAD(Buffer.from(`${PREFIX}.${this.currentTag}`));
    const body = Buffer.concat([cipher.update(JSON.stringify(state), 'utf8'), cipher.final()]);
    return `${PREFIX}.${this.currentTag}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
  }

  open(token: string): OpenSessionResult {
    const cached = this.opened.get(token);
    if (cached) {
      if (cached.exp * 1000 > this.now()) return { ok: true, state: cached };
      this.opened.delete(token);
      return { ok: false, reason: 'expired' };
    }
    const result = this.decrypt(token);
    if (result.ok) this.opened.set(token, result.state);
    return result;
  }

  private decrypt(token: string): OpenSessionResult {
    const parts = token.split('.');
    // base64url decoding skips characters outside its alphabet: only the canonical text opens
    if (parts.length !== 3 || parts[0] !== PREFIX || token.length > 16_384 || !/^[A-Za-z0-9_-]+$/.test(parts[2]!)) return { ok: false, reason: 'malformed' };
    const key = this.keys.get(parts[1]!);
    if (!key) return { ok: false, reason: 'unknown-key' };
    const raw = Buffer.from(parts[2]!, 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES + 2 || raw.toString('base64url') !== parts[2]) return { ok: false, reason: 'malformed' };
    let state: SessionState;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(`${PREFIX}.${parts[1]}`));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
      state = JSON.parse(plain.toString('utf8')) as SessionState;
    } catch {
      return { ok: false, reason: 'forged' };
    }
    if (state.v !== 1) return { ok: false, reason: 'malformed' };
    if (state.exp * 1000 <= this.now()) return { ok: false, reason: 'expired' };
    return { ok: true, state };
  }
}

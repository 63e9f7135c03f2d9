import { createHmac, timingSafeEqual } from 'node:crypto';
import { RestartableHttpServer } from './http-receiver.js';

export interface WebhookDelivery {
  readonly deliveryId: string;
  readonly timestamp: number;
  readonly body: Record<string, unknown>;
}

export interface WebhookReceiverOptions {
  /** The shared HMAC-SHA256 key. */
  readonly key: string;
  /** How far a request's timestamp may be from this receiver's clock (default 300 s). */
  readonly toleranceSeconds?: number;
  readonly now?: () => number;
}

export interface WebhookReceiver {
  readonly url: string;
  /** Deliveries whose signature verified, in arrival order. */
  readonly deliveries: WebhookDelivery[];
  /** Refused requests and why: `missing`, `stale`, `replayed`, `bad-signature`, `not-json`. */
  readonly refused: string[];
  down(): Promise<void>;
  up(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A webhook receiver that verifies mcpgate's signatures the way a customer's endpoint should,
 * written from the documented scheme (not mcpgate's code): `X-Mcpgate-Signature: v1=<hex>` is
 * HMAC-SHA256(key, `<X-Mcpgate-Timestamp>.<X-Mcpgate-Delivery>.<raw body>`), compared in constant
 * time; a timestamp outside the tolerance is refused (stale), and a delivery id seen before is
 * refused (replayed). Refusals are 401; a verified request is 200.
 */
export const startWebhookReceiver = async (options: WebhookReceiverOptions): Promise<WebhookReceiver> => {
  const deliveries: WebhookDelivery[] = [];
  const refused: string[] = [];
  const seen = new Set<string>();
  const tolerance = options.toleranceSeconds ?? 300;
  const now = options.now ?? (() => Date.now() / 1000);
  const refuse = (why: string) => {
    refused.push(why);
    return { status: 401, body: { error: why } };
  };
  const server = new RestartableHttpServer((req, body) => {
    const timestampText = req.headers['x-mcpgate-timestamp'];
    const deliveryId = req.headers['x-mcpgate-delivery'];
    const signature = req.headers['x-mcpgate-signature'];
    if (req.method !== 'POST' || typeof timestampText !== 'string' || typeof deliveryId !== 'string' || typeof signature !== 'string') return refuse('missing');
    const timestamp = Number(timestampText);
    if (!/^\d+$/.test(timestampText) || Math.abs(now() - timestamp) > tolerance) return refuse('stale');
    const expected = Buffer.from(`v1=${createHmac('sha256', options.key).update(`${timestampText}.${deliveryId}.`).update(body).digest('hex')}`);
    const actual = Buffer.from(signature);
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return refuse('bad-signature');
    if (seen.has(deliveryId)) return refuse('replayed');
    seen.add(deliveryId);
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    } catch {
      return refuse('not-json');
    }
    deliveries.push({ deliveryId, timestamp, body: parsed });
    return { status: 200, body: { ok: true } };
  });
  await server.up();
  return { url: server.url, deliveries, refused, down: () => server.down(), up: () => server.up(), stop: () => server.down() };
};

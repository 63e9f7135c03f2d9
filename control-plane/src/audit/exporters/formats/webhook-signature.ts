import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-mcpgate-signature';
export const TIMESTAMP_HEADER = 'x-mcpgate-timestamp';
export const DELIVERY_HEADER = 'x-mcpgate-delivery';

/**
 * The webhook signature: `v1=` + hex HMAC-SHA256 under the shared key over
 * `<timestamp>.<delivery id>.<body>`. The timestamp (unix seconds) lets a receiver refuse old
 * requests and the delivery id (new for every attempt) lets it refuse one it has seen: together
 * they stop replays; the HMAC stops forgery and changes to any of the three.
 */
export const signWebhook = (key: string, timestamp: number, deliveryId: string, body: string): string =>
  `v1=${createHmac('sha256', key).update(`${timestamp}.${deliveryId}.`).update(body).digest('hex')}`;

/** Checks a signature in constant time (for receivers and tests). */
export const verifyWebhookSignature = (key: string, timestamp: number, deliveryId: string, body: string, signature: string): boolean => {
  const expected = Buffer.from(signWebhook(key, timestamp, deliveryId, body));
  const actual = Buffer.from(signature);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
};

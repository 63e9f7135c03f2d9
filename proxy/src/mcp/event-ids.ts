/**
 * SSE event ids the proxy gives agents. They carry what any replica needs to resume: for a POST
 * stream, the upstream and that upstream's event id; for the GET stream, the last event id of every
 * upstream's standalone stream (index = the upstream's place in the session).
 */
export type ClientEventId =
  | { readonly kind: 'post'; readonly upstreamIndex: number; readonly eventId: string }
  | { readonly kind: 'get'; readonly positions: readonly (string | undefined)[] };

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const unb64 = (text: string) => Buffer.from(text, 'base64url').toString('utf8');

export const encodeEventId = (id: ClientEventId): string =>
  id.kind === 'post' ? `p.${id.upstreamIndex}.${b64(id.eventId)}` : `g.${id.positions.map((p) => (p === undefined ? '' : b64(p))).join('.')}`;

export const decodeEventId = (text: string): ClientEventId | undefined => {
  if (text.length > 8_192) return undefined;
  const parts = text.split('.');
  if (parts[0] === 'p' && parts.length === 3 && /^\d{1,3}$/.test(parts[1]!) && parts[2]) return { kind: 'post', upstreamIndex: Number(parts[1]), eventId: unb64(parts[2]) };
  if (parts[0] === 'g') return { kind: 'get', positions: parts.slice(1).map((p) => (p ? unb64(p) : undefined)) };
  return undefined;
};

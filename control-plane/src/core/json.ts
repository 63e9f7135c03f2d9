/** A JSON.stringify replacer that writes bigints (log offsets) as decimal strings instead of throwing. */
export const bigintAsString = (_key: string, value: unknown): unknown => (typeof value === 'bigint' ? value.toString() : value);

/** A JSON.stringify replacer that writes bigints (log offsets) as decimal strings instead of throwing. */
export const bigintAsString = (_key: string, value: unknown): unknown => (typeof value === 'bigint' ? value.toString() : value);

/**
 * `JSON.stringify(value, bigintAsString)`, the same text, about twice as fast for a value without
 * bigints: a replacer function takes V8 off its fast serializer for every value, so the value is
 * first written without one, and only one that holds a bigint (the plain call throws a TypeError
 * for it) is written again with the replacer.
 */
export const jsonWithBigints = (value: unknown): string => {
  try {
    return JSON.stringify(value);
  } catch {
    return JSON.stringify(value, bigintAsString);
  }
};

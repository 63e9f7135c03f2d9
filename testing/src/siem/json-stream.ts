/**
 * Splits a text of concatenated JSON values (`{…}{…}` or `{…}\n{…}`, as Splunk HEC reads them) into
 * the values, or says at which one it stopped parsing.
 */
export const splitJsonObjects = (text: string): { ok: true; values: unknown[] } | { ok: false; index: number } => {
  const values: unknown[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    if (text[i] !== '{') return { ok: false, index: values.length };
    let depth = 0;
    let inString = false;
    let j = i;
    for (; j < text.length; j++) {
      const c = text[j];
      if (inString) {
        if (c === '\\') j++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) break;
      }
    }
    if (depth !== 0) return { ok: false, index: values.length };
    try {
      values.push(JSON.parse(text.slice(i, j + 1)));
    } catch {
      return { ok: false, index: values.length };
    }
    i = j + 1;
  }
  return { ok: true, values };
};

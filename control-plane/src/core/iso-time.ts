/**
 * A time as the text `Date.prototype.toISOString` writes (UTC, milliseconds, `Z`). A time already
 * in that form is returned as it is: checking the form costs about a tenth of a Date round trip,
 * and events, audit records and read-model rows carry their times in it. Valid calendar dates
 * only: `2026-02-30T…` would read as March 2nd, so the day must exist in its month. Anything else
 * takes the round trip (and an unreadable time throws its RangeError, as `toISOString` does).
 */
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** The last time checked and its answer: a row carries the same time in several columns, and a commit's events share one. */
let lastTime: string | undefined;
let lastText = '';

export const isoTimeText = (time: string): string => {
  if (time === lastTime) return lastText;
  lastText = canonicalTimeText(time);
  lastTime = time;
  return lastText;
};

/** `YYYY-MM-DDTHH:MM:SS.sssZ`, read by character codes: a regular expression with captures allocates an array and three strings per time. */
const digit = (time: string, at: number): number => {
  const code = time.charCodeAt(at) - 48;
  return code >= 0 && code <= 9 ? code : NaN;
};
const twoDigits = (time: string, at: number) => digit(time, at) * 10 + digit(time, at + 1);
const SEPARATORS: readonly (readonly [at: number, code: number])[] = [
  [4, 45], // -
  [7, 45], // -
  [10, 84], // T
  [13, 58], // :
  [16, 58], // :
  [19, 46], // .
  [23, 90], // Z
];

const isCanonicalTime = (time: string): boolean => {
  if (time.length !== 24) return false;
  for (const [at, code] of SEPARATORS) if (time.charCodeAt(at) !== code) return false;
  const year = twoDigits(time, 0) * 100 + twoDigits(time, 2);
  const month = twoDigits(time, 5);
  const day = twoDigits(time, 8);
  const fraction = digit(time, 20) + digit(time, 21) + digit(time, 22);
  // NaN (a character that is not a digit) fails every comparison below
  if (!(year >= 0 && month >= 1 && month <= 12 && day >= 1 && fraction >= 0)) return false;
  if (!(twoDigits(time, 11) <= 23 && twoDigits(time, 14) <= 59 && twoDigits(time, 17) <= 59)) return false;
  return day <= DAYS_IN_MONTH[month - 1]! && (month !== 2 || day < 29 || isLeap(year));
};

const canonicalTimeText = (time: string): string => (isCanonicalTime(time) ? time : new Date(Date.parse(time)).toISOString());

/**
 * A time as the text `Date.prototype.toISOString` writes (UTC, milliseconds, `Z`). A time already
 * in that form is returned as it is: checking the form costs about a tenth of a Date round trip,
 * and events, audit records and read-model rows carry their times in it. Valid calendar dates
 * only: `2026-02-30T…` would read as March 2nd, so the day must exist in its month. Anything else
 * takes the round trip (and an unreadable time throws its RangeError, as `toISOString` does).
 */
const CANONICAL_TIME = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;
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

const canonicalTimeText = (time: string): string => {
  const form = CANONICAL_TIME.exec(time);
  if (form) {
    const [year, month, day] = [Number(form[1]), Number(form[2]), Number(form[3])];
    if (day <= DAYS_IN_MONTH[month - 1]! && (month !== 2 || day < 29 || isLeap(year))) return time;
  }
  return new Date(Date.parse(time)).toISOString();
};

import { describe, expect, it } from 'vitest';
import { isoTimeText } from './iso-time.js';

describe(isoTimeText.name, () => {
  it('keeps a time already in toISOString form, leap days included', () => {
    for (const time of ['2026-11-01T23:59:59.999Z', '2024-02-29T12:00:00.000Z', '2000-02-29T00:00:00.000Z', '0000-01-01T00:00:00.000Z']) expect(isoTimeText(time)).toBe(time);
  });

  it('writes any other readable time as toISOString does: offsets, precision, a missing fraction', () => {
    for (const time of ['2026-11-01T02:00:00.123456+02:00', '2026-11-01T00:00:00Z', '2026-11-01', 'Sun, 01 Nov 2026 00:00:00 GMT']) {
      expect(isoTimeText(time)).toBe(new Date(time).toISOString());
    }
  });

  it('reads a day its month does not have as Date does, and throws on an unreadable time as toISOString does', () => {
    expect(isoTimeText('2025-02-29T00:00:00.000Z')).toBe(new Date('2025-02-29T00:00:00.000Z').toISOString());
    expect(isoTimeText('2100-02-29T00:00:00.000Z')).not.toBe('2100-02-29T00:00:00.000Z');
    expect(() => isoTimeText('not a time')).toThrow(RangeError);
  });

  it('agrees with a Date round trip on every day of six years and on random times', () => {
    const start = Date.UTC(2023, 0, 1);
    for (let day = 0; day < 6 * 366; day++) {
      const time = new Date(start + day * 86_400_000 + ((day * 7919) % 86_400_000)).toISOString();
      expect(isoTimeText(time)).toBe(time);
      // the same text with day 29, 30 or 31 in every month, whether the month has it or not
      for (const d of ['29', '30', '31']) {
        const shifted = `${time.slice(0, 8)}${d}${time.slice(10)}`;
        const viaDate = Number.isNaN(Date.parse(shifted)) ? undefined : new Date(shifted).toISOString();
        if (viaDate === undefined) expect(() => isoTimeText(shifted)).toThrow(RangeError);
        else expect(isoTimeText(shifted)).toBe(viaDate);
      }
    }
  });
});

describe(`${isoTimeText.name}: the shape of the text`, () => {
  it('sends every near miss of the form through Date, character by character', () => {
    const time = '2026-11-27T08:09:10.123Z';
    for (let at = 0; at < time.length; at++) {
      for (const replacement of ['x', ' ', '/', ':', '9', '0']) {
        const variant = `${time.slice(0, at)}${replacement}${time.slice(at + 1)}`;
        const viaDate = Number.isNaN(Date.parse(variant)) ? undefined : new Date(variant).toISOString();
        if (viaDate === undefined) expect(() => isoTimeText(variant), variant).toThrow(RangeError);
        else expect(isoTimeText(variant), variant).toBe(viaDate);
      }
    }
    for (const variant of [`${time}Z`, time.slice(0, -1), `+${time}`, '2026-11-27T24:00:00.000Z', '2026-11-27T23:60:00.000Z', '2026-11-27T23:59:60.000Z', '2026-00-27T00:00:00.000Z', '2026-11-00T00:00:00.000Z']) {
      const viaDate = Number.isNaN(Date.parse(variant)) ? undefined : new Date(variant).toISOString();
      if (viaDate === undefined) expect(() => isoTimeText(variant), variant).toThrow(RangeError);
      else expect(isoTimeText(variant), variant).toBe(viaDate);
    }
  });

  it('answers a repeated time as the first time, a refused one included', () => {
    expect(() => isoTimeText('2026-13-01T00:00:00.000Z')).toThrow(RangeError);
    expect(() => isoTimeText('2026-13-01T00:00:00.000Z')).toThrow(RangeError);
    expect(isoTimeText('2026-11-01T02:00:00+02:00')).toBe('2026-11-01T00:00:00.000Z');
    expect(isoTimeText('2026-11-01T02:00:00+02:00')).toBe('2026-11-01T00:00:00.000Z');
  });
});

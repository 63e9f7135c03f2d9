import { describe, expect, it } from 'vitest';
import { parseCsv } from '../test/parse-csv.js';
import { CsvWriter, csvLine, safeCell } from './csv-file.js';

describe('CSV files for auditors', () => {
  it.each(['=HYPERLINK("http://x")', '+1+2', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd'])('prefixes a formula-looking cell %j so spreadsheets show it as text', (cell) => {
    expect(safeCell(cell)).toBe(`'${cell}`);
  });

  it('keeps ordinary text, negative numbers as numbers, times as ISO and empties empty', () => {
    expect(safeCell('policy.tool_denied')).toBe('policy.tool_denied');
    expect(safeCell(-3)).toBe('-3');
    expect(safeCell(new Date(Date.UTC(2026, 10, 1)))).toBe('2026-11-01T00:00:00.000Z');
    expect(safeCell(null)).toBe('');
    expect(safeCell(undefined)).toBe('');
    expect(safeCell(false)).toBe('false');
  });

  it('quotes commas, quotes and line breaks so every cell reads back as written', () => {
    const cells = ['a,b', 'say "hi"', 'two\nlines', ' padded ', '=1+1'];
    const line = csvLine(cells);
    expect(line.endsWith('\r\n')).toBe(true);
    expect(parseCsv(line)).toEqual([['a,b', 'say "hi"', 'two\nlines', ' padded ', "'=1+1"]]);
  });

  it('writes a header and counts rows, refusing a row of the wrong width', () => {
    const sut = new CsvWriter(['a', 'b']);
    sut.row([1, 'x']);
    sut.row([2, '@y']);
    expect(sut.count).toBe(2);
    expect(sut.bytes().toString()).toBe("a,b\r\n1,x\r\n2,'@y\r\n");
    expect(() => sut.row([1])).toThrow(/1 cells, the header 2/);
  });
});

import { controlsForFile, controlsOf, packFiles } from '../control-mapping.js';
import type { EvidenceFramework } from '../evidence-request.js';
import { CsvWriter } from './csv-file.js';

/** controls.csv: one row per (file, control) with what the file evidences for it. */
export const controlsCsv = (framework: EvidenceFramework): CsvWriter => {
  const titles = new Map(controlsOf(framework).map((c) => [c.id, c.title]));
  const csv = new CsvWriter(['framework', 'control', 'control_title', 'file', 'evidences']);
  for (const path of packFiles(framework)) for (const e of controlsForFile(path, framework)) csv.row([framework, e.control, titles.get(e.control) ?? '', path, e.evidences]);
  return csv;
};

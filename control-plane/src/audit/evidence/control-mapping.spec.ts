import { describe, expect, it } from 'vitest';
import { controlsForFile, controlsOf, filesByControl, HIPAA_CONTROLS, packFiles, SOC2_CONTROLS } from './control-mapping.js';
import { EVIDENCE_FRAMEWORKS } from './evidence-request.js';

describe('control mapping', () => {
  it('names exactly the controls of the issue for each framework', () => {
    expect(SOC2_CONTROLS.map((c) => c.id)).toEqual(['CC6.1', 'CC6.2', 'CC6.3', 'CC6.6', 'CC7.2', 'CC7.3', 'CC8.1']);
    expect(HIPAA_CONTROLS.map((c) => c.id)).toEqual(['164.308(a)(1)(ii)(D)', '164.308(a)(3)/(4)', '164.312(a)(1)', '164.312(b)', '164.312(c)(1)', '164.312(d)', '164.312(e)(1)']);
  });

  it.each(EVIDENCE_FRAMEWORKS)('evidences every %s control with at least one file, and maps files only to that framework’s controls', (framework) => {
    const ids = new Set(controlsOf(framework).map((c) => c.id));
    for (const [control, files] of filesByControl(framework)) expect(files.length, control).toBeGreaterThan(0);
    for (const path of packFiles(framework)) {
      for (const e of controlsForFile(path, framework)) {
        expect(ids.has(e.control), `${path} → ${e.control}`).toBe(true);
        expect(e.evidences).toMatch(/^[A-Z].+\.$/);
      }
    }
  });

  it('puts the PHI access file in HIPAA packs only', () => {
    expect(packFiles('HIPAA')).toContain('csv/phi-access.csv');
    expect(packFiles('SOC2')).not.toContain('csv/phi-access.csv');
    expect(controlsForFile('csv/phi-access.csv', 'SOC2')).toEqual([]);
    expect(controlsForFile('nope.txt', 'SOC2')).toEqual([]);
  });
});

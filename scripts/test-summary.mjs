// Prints what the Vitest JSON report says: per project, then one closing line
// `Summary: N passed, N failed, N skipped`. Exits 1 when anything failed, when nothing ran,
// or when the integration projects ran no test (so infrastructure problems cannot hide as skips).
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const byProject = new Map();
for (const file of report.testResults) {
  const rel = relative(process.cwd(), file.name);
  const pkg = rel.startsWith('scripts/') ? 'workspace' : rel.split('/')[0];
  const kind = /\.(int|e2e)\.spec\.tsx?$/.test(rel) ? 'int' : 'unit';
  const key = `${pkg}:${kind}`;
  const row = byProject.get(key) ?? { files: 0, passed: 0, failed: 0, skipped: 0 };
  row.files += 1;
  for (const t of file.assertionResults) {
    if (t.status === 'passed') row.passed += 1;
    else if (t.status === 'failed') row.failed += 1;
    else row.skipped += 1;
  }
  // a file can fail outside any test (it did not load, or a beforeAll/afterAll hook failed)
  if (file.status === 'failed' && !file.assertionResults.some((t) => t.status === 'failed')) row.failed += 1;
  byProject.set(key, row);
}
let passed = 0, failed = 0, skipped = 0;
console.log('project                          files  passed  failed  skipped');
for (const [key, r] of [...byProject].sort()) {
  console.log(`${key.padEnd(32)} ${String(r.files).padStart(5)} ${String(r.passed).padStart(7)} ${String(r.failed).padStart(7)} ${String(r.skipped).padStart(8)}`);
  passed += r.passed; failed += r.failed; skipped += r.skipped;
}
const intPassed = [...byProject].filter(([k]) => k.endsWith(':int')).reduce((n, [, r]) => n + r.passed, 0);
if (intPassed === 0) { console.log('no integration test passed: is the Docker engine up?'); failed += 1; }
console.log(`Summary: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);

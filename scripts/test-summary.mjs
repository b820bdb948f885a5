// A node:test reporter that prints "N passed, N failed" (the closing line CI
// reads), the slowest test files (where the suite's time goes), and fails
// the run when no test executed at all.
const SLOWEST = 12;

export default async function* summary(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let todo = 0;
  const files = new Map();
  for await (const event of source) {
    // A file's time: its top-level tests and suites, which run one after the other.
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0 && event.data.file && event.data.name !== event.data.file) {
      files.set(event.data.file, (files.get(event.data.file) ?? 0) + (event.data.details?.duration_ms ?? 0));
    }
    if (event.type === 'test:pass' && event.data.details?.type !== 'suite') {
      if (event.data.skip || event.data.todo) skipped++;
      else passed++;
    }
    if (event.type === 'test:fail' && event.data.details?.type !== 'suite') {
      // A failing todo (a known bug still open) does not fail the run: say so apart.
      if (event.data.todo) todo++;
      else failed++;
    }
  }
  if (passed + failed === 0) {
    process.exitCode = 1;
    yield 'no test executed\n';
  }
  if (files.size > 1) {
    const root = `${process.cwd()}/`;
    const total = [...files.values()].reduce((sum, ms) => sum + ms, 0);
    yield `\nslowest test files (of ${files.size}, ${(total / 1000).toFixed(0)} s of tests in all):\n`;
    for (const [file, ms] of [...files].sort((a, b) => b[1] - a[1]).slice(0, SLOWEST)) yield `  ${(ms / 1000).toFixed(1).padStart(6)} s  ${file.replace(root, '')}\n`;
  }
  yield `\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}${todo ? `, ${todo} known bugs (todo)` : ''}\n`;
}

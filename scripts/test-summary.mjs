// Prints vitest's JSON reports (one per run; a missing one counts when it is the first) as one closing line: "tests: N passed, N failed".
import { existsSync, readFileSync } from 'node:fs';

const [first, ...others] = process.argv.slice(2);
const totals = { numPassedTests: 0, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0, numTotalTests: 0 };
for (const file of [first, ...others.filter(other => existsSync(other))]) {
    let report;
    try {
        report = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
        console.error(`test-summary: no vitest report at ${file}: ${error.message}`);
        process.exit(1);
    }
    for (const key of Object.keys(totals)) {
        totals[key] += report[key] ?? 0;
    }
}
const skipped = totals.numPendingTests + totals.numTodoTests;
console.log(`tests: ${totals.numPassedTests} passed, ${totals.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(totals.numFailedTests > 0 || totals.numTotalTests === 0 ? 1 : 0);

// Prints vitest's JSON report as one closing line: "tests: N passed, N failed".
import { readFileSync } from 'node:fs';

const file = process.argv[2];
let report;
try {
    report = JSON.parse(readFileSync(file, 'utf8'));
} catch (error) {
    console.error(`test-summary: no vitest report at ${file}: ${error.message}`);
    process.exit(1);
}
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(report.numFailedTests > 0 || report.numTotalTests === 0 ? 1 : 0);

/**
 * One worker process of the queue bench: opens the archive, says `ready`,
 * waits for a line on stdin, then claims and completes no-op jobs until the
 * queue is empty and prints `{"done": n}`.
 *   node queue-bench-worker.js <archive file> <phase> <batch>
 */
import * as readline from 'readline';
import { ArchiveDatabase } from '@imageparser/archive-core/lib/node/store/database';
import { SqliteJobQueue } from '@imageparser/archive-core/lib/node/jobs/sqlite-job-queue';

async function main(): Promise<void> {
    const [file, phase, batch] = process.argv.slice(2);
    const database = ArchiveDatabase.open(file);
    const queue = new SqliteJobQueue(database);
    process.stdout.write('ready\n');
    await new Promise(resolve => readline.createInterface({ input: process.stdin }).once('line', resolve));
    const worker = `bench-${process.pid}`;
    let done = 0;
    for (let jobs = await queue.claim([phase], Number(batch), worker); jobs.length; jobs = await queue.claim([phase], Number(batch), worker)) {
        for (const job of jobs) {
            if (await queue.complete(job.leaseToken, undefined) === 'done') {
                done++;
            }
        }
    }
    database.close();
    process.stdout.write(`${JSON.stringify({ done })}\n`);
}

main().then(() => process.exit(0), error => {
    process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
    process.exit(1);
});

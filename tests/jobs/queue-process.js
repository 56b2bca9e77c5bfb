// One process working on an archive's job queue through the compiled engine, for the two-process tests.
//   node queue-process.js enqueue <archive file> <first asset> <asset count> <phases, comma-separated>
//   node queue-process.js claim <archive file> <phases, comma-separated> <batch>
// It opens the archive, prints "ready", waits for a line on stdin, works, then prints one JSON line with what it did.
'use strict';
const readline = require('readline');
const path = require('path');
const lib = path.resolve(__dirname, '../../extensions/archive-core/lib/node');
const { ArchiveDatabase } = require(path.join(lib, 'store/database'));
const { SqliteJobQueue } = require(path.join(lib, 'jobs/sqlite-job-queue'));

async function enqueue(queue, first, count, phases) {
    let added = 0;
    for (let asset = first; asset < first + count; asset++) {
        for (const phase of phases) {
            added += await queue.enqueue([{ assetId: asset, phase, model: '', contentHash: `content-${asset}` }]);
        }
    }
    return { added };
}

async function claim(queue, phases, batch) {
    const claimed = [];
    let refused = 0;
    const workerId = `${process.pid}`;
    for (;;) {
        const jobs = await queue.claim(phases, batch, workerId);
        if (!jobs.length) {
            return { claimed, refused };
        }
        for (const job of jobs) {
            claimed.push(job.jobId);
            try {
                await queue.complete(job.leaseToken, { by: workerId });
            } catch (error) {
                if (error.name !== 'LeaseRefusedError') {
                    throw error;
                }
                refused++;
            }
        }
        // A worker spends some time on each batch: 2 ms here, so on a loaded machine one process
        // cannot drain the whole queue before the other is even scheduled (the spec needs both in the race).
        await new Promise(resolve => setTimeout(resolve, 2));
    }
}

async function main() {
    const [mode, file, ...args] = process.argv.slice(2);
    const database = ArchiveDatabase.open(file);
    const queue = new SqliteJobQueue(database);
    process.stdout.write('ready\n');
    await new Promise(resolve => readline.createInterface({ input: process.stdin }).once('line', resolve));
    const result = mode === 'enqueue'
        ? await enqueue(queue, Number(args[0]), Number(args[1]), args[2].split(','))
        : await claim(queue, args[0].split(','), Number(args[1]));
    database.close();
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
}

main().catch(error => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
});

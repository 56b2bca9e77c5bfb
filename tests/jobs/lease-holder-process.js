// A worker process holding one job mid-work, for the contract's kill -9 test, on either engine through the compiled code.
//   node lease-holder-process.js sqlite <archive file> <phase> <options JSON>
//   node lease-holder-process.js redis <redis url> <phase> <options JSON with prefix>
// It claims one job of the phase, prints it as one JSON line, then heartbeats it every third of the lease, never finishing:
// only a kill ends it. It reads no stdin.
'use strict';
const path = require('path');
const lib = path.resolve(__dirname, '../../extensions/archive-core/lib/node');

async function main() {
    const [engine, where, phase, optionsJson] = process.argv.slice(2);
    const options = JSON.parse(optionsJson);
    let queue;
    if (engine === 'sqlite') {
        const { ArchiveDatabase } = require(path.join(lib, 'store/database'));
        const { SqliteJobQueue } = require(path.join(lib, 'jobs/sqlite-job-queue'));
        queue = new SqliteJobQueue(ArchiveDatabase.open(where), options);
    } else {
        const { RedisJobQueue } = require(path.join(lib, 'jobs/bullmq/redis-job-queue'));
        queue = new RedisJobQueue({ ...options, connection: where });
    }
    const [job] = await queue.claim([phase], 1, `holder-${process.pid}`);
    process.stdout.write(`${JSON.stringify(job ?? null)}\n`);
    if (job) {
        setInterval(() => queue.heartbeat(job.leaseToken).catch(error => process.stderr.write(`${error.message}\n`)), Math.max(10, options.leaseMs / 3));
    }
}

main().catch(error => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
});

// A phase contributed to a spawned `imageparser run` through IMAGEPARSER_PHASE_MODULES, for the tests.
// Each execution is appended to RECORDING_PHASE_LOG (and synced) before it works, so a count of
// executions per job survives any kill; each stored result is a row of test_record_results, written
// in the transaction that completes the job. Only the "model" is a test double.
// When `<log>.stall` appears, one process takes it and stalls (its event loop blocked, as in a long
// pause: no heartbeat) for RECORDING_PHASE_STALL_MS inside a job, after writing its pid to `<log>.stalled`.
const fs = require('fs');
const { ContainerModule } = require('@theia/core/shared/inversify');
const { PhaseContribution } = require('../../extensions/archive-core/lib/node/jobs/phase-contribution');

function sleep(ms, signal) {
    return new Promise(resolve => {
        const timer = setTimeout(resolve, ms);
        signal?.addEventListener('abort', () => {
            clearTimeout(timer);
            resolve();
        });
    });
}

/** Stalls this process (blocks its event loop) once, when the test asks for it and no other process took the stall. */
function stallWhenAsked(log, stallMs) {
    try {
        fs.unlinkSync(`${log}.stall`);
    } catch {
        return;
    }
    fs.writeFileSync(`${log}.stalled`, String(process.pid));
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, stallMs);
}

/** The recording phase; `log` is the executions file, `delayMs` the work per job. */
function createRecordingPhase({ log, delayMs = 0, batchSize = 2, model = 'record-1', stallMs = 0 }) {
    return {
        id: 'record',
        needs: ['parse'],
        batchSize,
        model: { id: model, isAvailable: () => true, state: () => 'loaded' },
        isEnabled: () => true,
        async process(batch) {
            const outputs = [];
            for (const input of batch) {
                const fd = fs.openSync(log, 'a');
                fs.writeSync(fd, `${process.pid} ${input.job.jobId} ${input.job.assetId}\n`);
                fs.fsyncSync(fd);
                fs.closeSync(fd);
                if (delayMs) {
                    await sleep(delayMs, input.signal);
                }
                if (stallMs) {
                    stallWhenAsked(log, stallMs);
                }
                outputs.push({ kind: 'done', result: { hash: input.job.contentHash.slice(0, 12), pid: process.pid, job: input.job.jobId } });
            }
            return outputs;
        },
        store(db, job, result) {
            db.prepare('CREATE TABLE IF NOT EXISTS test_record_results (asset_id INTEGER, job_id INTEGER, pid INTEGER, result TEXT)').run();
            db.prepare('INSERT INTO test_record_results (asset_id, job_id, pid, result) VALUES (?, ?, ?, ?)')
                .run(job.assetId, job.jobId, result.pid, JSON.stringify(result));
        }
    };
}

module.exports = new ContainerModule(bind => {
    bind(PhaseContribution).toConstantValue(createRecordingPhase({
        log: process.env.RECORDING_PHASE_LOG,
        delayMs: Number(process.env.RECORDING_PHASE_DELAY_MS) || 0,
        batchSize: Number(process.env.RECORDING_PHASE_BATCH) || 2,
        model: process.env.RECORDING_PHASE_MODEL || 'record-1',
        stallMs: Number(process.env.RECORDING_PHASE_STALL_MS) || 0
    }));
});
module.exports.createRecordingPhase = createRecordingPhase;

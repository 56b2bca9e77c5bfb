import * as fs from 'fs';
import * as path from 'path';
import BetterSqlite3 = require('better-sqlite3');
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeNoisePngs } from '../ingest/generated-images';
import { imageparser, recordingEnv, ServeProcess, startServe } from './fleet-cli-process';
import { archiveRows, archiveValue, makeFleetTempFolder } from './fleet-test-archive';
import { FleetTestWorker, registration } from './fleet-test-worker';

const ASSETS = 4;
/** Each test spawns several Node processes: on a busy 2-core machine one may take a while to start (a deadline, not a measure). */
const PROCESS_TEST_MS = 120_000;

/** `imageparser serve` and `imageparser token` as processes, over a real archive, with a worker calling over HTTP. */
describe('imageparser serve and token', () => {
    let temp: { folder: string; remove: () => void };
    let archive: string;
    let log: string;
    let serve: ServeProcess | undefined;

    beforeEach(async () => {
        temp = makeFleetTempFolder('imageparser-serve-');
        archive = path.join(temp.folder, '아카이브');
        log = path.join(temp.folder, 'executions.log');
        await writeNoisePngs(path.join(temp.folder, 'images'), ASSETS, 32, 5);
        expect(imageparser(['index', path.join(temp.folder, 'images'), '--archive', archive, '--threads', '1'], recordingEnv(log)).status).toBe(0);
    }, PROCESS_TEST_MS);

    afterEach(async () => {
        if (serve && serve.child.exitCode === null && serve.child.signalCode === null) {
            serve.child.kill('SIGKILL');
            await serve.exited;
        }
        serve = undefined;
        temp.remove();
    }, PROCESS_TEST_MS);

    const executions = () => fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];

    it('serves the worker API to a worker with an issued token, leaves the phases to workers with IMAGEPARSER_LOCAL_PHASES=none, and closes on SIGTERM', async () => {
        const issued = imageparser(['token', 'issue', '3층 렌더 서버', '--archive', archive], recordingEnv(log));
        expect(issued.status).toBe(0);
        const secret = issued.stdout.trim();
        expect(secret).toMatch(/^ipw1\.[0-9a-f]{16}\.[A-Za-z0-9_-]{43}$/);
        const listed = imageparser(['token', 'list', '--archive', archive], recordingEnv(log));
        expect(listed.stdout).toContain('active');
        expect(listed.stdout).toContain('3층 렌더 서버');
        expect(listed.stdout).not.toContain(secret);

        serve = await startServe(archive, recordingEnv(log, { IMAGEPARSER_LOCAL_PHASES: 'none' }));
        expect(serve.stdout.join('')).toContain(`imageparser: serving ${archive} at http://127.0.0.1:`);
        const worker = new FleetTestWorker(serve.base, secret);
        const registered = await worker.register(registration({ hostname: '렌더-01', role: 'all' }));
        expect(registered.body.phases).toEqual([{ phase: 'record', model: 'record-1' }]);
        // The server's own pipeline works nothing: every job waits for the worker.
        let done = 0;
        while (done < ASSETS) {
            const jobs = await worker.claim(2);
            expect(jobs.length).toBeGreaterThan(0);
            for (const job of jobs) {
                expect((await worker.source(job.assetId, 'image')).status).toBe(200);
                expect((await worker.complete(job.leaseToken, { kind: 'done', result: { hash: job.contentHash.slice(0, 12), pid: 0, job: job.jobId } })).body)
                    .toEqual({ outcome: 'done' });
                done++;
            }
        }
        expect(await worker.claim(2)).toEqual([]);
        expect(executions()).toEqual([]);
        expect(archiveValue(archive, 'SELECT count(DISTINCT asset_id) FROM test_record_results')).toBe(ASSETS);
        expect(archiveValue(archive, 'SELECT count(*) FROM test_record_results')).toBe(ASSETS);

        // Revoked from another process while it serves: the worker's next call is refused.
        const id = secret.split('.')[1];
        expect(imageparser(['token', 'revoke', id, '--archive', archive], recordingEnv(log)).status).toBe(0);
        expect(await worker.heartbeat()).toMatchObject({ status: 401, body: { code: 'revoked' } });
        expect(imageparser(['token', 'list', '--archive', archive], recordingEnv(log)).stdout).toContain('revoked');

        serve.child.kill('SIGTERM');
        expect(await serve.exited).toBe(0);
        expect(serve.stderr.join('')).toContain('SIGTERM: closing the server');
    }, PROCESS_TEST_MS);

    it('queues again, while it serves, what the archive is missing when the queue lost its jobs', async () => {
        const issued = imageparser(['token', 'issue', 'sweeper', '--archive', archive], recordingEnv(log)).stdout.trim();
        serve = await startServe(archive, recordingEnv(log, { IMAGEPARSER_LOCAL_PHASES: 'none', IMAGEPARSER_SWEEP_MS: '300' }));
        // The queue loses every job (as a Redis restarted without persistence would); the store still says what is missing.
        const db = new BetterSqlite3(path.join(archive, 'archive.sqlite'), { timeout: 5000 });
        expect(db.prepare('DELETE FROM phase_jobs').run().changes).toBe(ASSETS);
        db.close();
        const worker = new FleetTestWorker(serve.base, issued);
        await worker.register(registration({ role: 'all' }));
        const claimed = new Set<number>();
        await expect.poll(async () => {
            for (const job of await worker.claim(ASSETS)) {
                claimed.add(job.assetId);
                await worker.complete(job.leaseToken, { kind: 'done', result: { hash: '', pid: 0, job: job.jobId } });
            }
            return claimed.size;
        }, { timeout: 15_000, interval: 200 }).toBe(ASSETS);
        expect(archiveValue(archive, 'SELECT count(*) FROM test_record_results')).toBe(ASSETS);
    }, PROCESS_TEST_MS);

    it('works the phases itself by default, every asset once', async () => {
        serve = await startServe(archive, recordingEnv(log));
        await expect.poll(() => archiveRows<{ n: number }>(archive, "SELECT count(*) AS n FROM phase_states WHERE phase = 'record' AND state = 'done'")[0].n,
            { timeout: 30_000 }).toBe(ASSETS);
        const pids = new Set(executions().map(line => Number(line.split(' ')[0])));
        expect(pids).toEqual(new Set([serve.child.pid]));
        serve.child.kill('SIGTERM');
        expect(await serve.exited).toBe(0);
    }, PROCESS_TEST_MS);
});

describe('imageparser serve and token arguments', () => {
    it('answers wrong arguments with exit status 2 and a failed action with 1', () => {
        const temp = makeFleetTempFolder('imageparser-serve-args-');
        try {
            const env = recordingEnv(path.join(temp.folder, 'log'));
            expect(imageparser(['serve', '--port', 'eighty'], env).status).toBe(2);
            expect(imageparser(['token', 'issue', '--archive', temp.folder], env).status).toBe(2);
            const unknown = imageparser(['token', 'revoke', 'feedfacefeedface', '--archive', temp.folder], env);
            expect(unknown.status).toBe(1);
            expect(unknown.stderr).toContain('There is no worker token "feedfacefeedface"');
        } finally {
            temp.remove();
        }
    }, PROCESS_TEST_MS);
});

import * as fs from 'fs';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { CliProcess, queryValue, until } from '../ingest/cli-process';
import { executions, spawnPhases } from '../phases/phase-cli-process';
import { rows, value } from '../phases/phase-test-archive';

const corpus = path.resolve(__dirname, '../../../shared/corpus');
const KILLS = 24;
const LEASE_MS = 1000;
const DELAY_MS = 50;
const STALL_MS = 2.5 * LEASE_MS;

/** Mulberry32: a small seeded generator, so a failing run can be replayed with its seed. */
function random(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/**
 * SIGKILLs the process running the phases (a real `imageparser run`, with a
 * recording phase contributed) at random points of a run over the shared
 * corpus, at least 20 times; some rounds stall a process past its
 * lease (event loop blocked inside a job, so no heartbeat) while another
 * takes its jobs over, then go on before the kill, so it tries to complete
 * work that is no longer its own. Afterwards
 * every asset has the phase done exactly once: no job lost, no result
 * stored twice, and each stored result is the one of the job that holds
 * the completion. The seed is printed; IMAGEPARSER_CHAOS_SEED replays a run.
 */
describe('killing the phase runner at random points', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let archive: string;
    let database: string;
    let log: string;
    const seed = Number(process.env.IMAGEPARSER_CHAOS_SEED) || Math.floor(Math.random() * 2 ** 31);
    const next = random(seed);
    let running: CliProcess[] = [];

    beforeAll(async () => {
        temp = makeTempFolder();
        archive = path.join(temp.folder, 'archive');
        database = path.join(archive, 'archive.sqlite');
        log = path.join(temp.folder, 'executions.log');
        fs.writeFileSync(log, '');
        // Indexing queues the recording phase's job with each asset.
        const index = spawnPhases(['index', corpus, '--threads', '2'], archive, { log });
        expect(await index.exited, index.stderr.join('')).toBe(0);
    }, 180_000);
    afterAll(() => {
        running.forEach(each => each.child.kill('SIGKILL'));
        temp.remove();
    });

    const executed = () => executions(fs.readFileSync(log, 'utf8'));
    const runner = () => {
        const child = spawnPhases(['run'], archive, { log, delayMs: DELAY_MS, batchSize: 2, leaseMs: LEASE_MS, stallMs: STALL_MS });
        running.push(child);
        return child;
    };
    const alive = (each: CliProcess) => each.child.exitCode === null && each.child.signalCode === null;

    it('does every asset\'s phase exactly once through 20 and more kills', async () => {
        console.log(`chaos seed ${seed} (IMAGEPARSER_CHAOS_SEED=${seed} replays it)`);
        const assets = value<number>(archive, 'SELECT count(*) FROM assets WHERE superseded = 0');
        expect(value<number>(archive, "SELECT count(*) FROM phase_jobs WHERE phase = 'record' AND state = 'queued'")).toBe(assets);
        let kills = 0;
        let stalled = 0;
        let refused = 0;
        const points: string[] = [];
        const started = Date.now();
        for (let round = 0; kills < KILLS && round < KILLS * 2; round++) {
            // Each runner dies after a random number of its own executions (so the kills spread over the run), plus a random delay,
            // or while it starts.
            const target = 1 + Math.floor(next() * 16);
            const first = runner();
            const mine = () => executed().filter(each => each.pid === first.child.pid).length;
            const starting = next() < 0.1;
            if (!starting) {
                await until(() => !alive(first) || mine() >= target, 120_000, `kill point ${kills + 1}`);
            }
            if (!starting && alive(first) && next() < 0.15) {
                // This one stalls past its lease (its event loop blocked inside a job: no heartbeat); another takes its jobs
                // over; then it wakes up with work that is no longer its own and tries to complete it.
                const stalledFile = `${log}.stalled`;
                fs.rmSync(stalledFile, { force: true });
                fs.writeFileSync(`${log}.stall`, '');
                await until(() => !alive(first) || fs.existsSync(stalledFile), 60_000, 'the runner to stall');
                const stallStarted = Date.now();
                fs.rmSync(`${log}.stall`, { force: true });
                const second = runner();
                const before = executed().length;
                await until(() => !alive(second) || executed().length >= before + 3, 60_000, 'the second runner at work');
                await new Promise(resolve => setTimeout(resolve, Math.max(0, stallStarted + STALL_MS + 500 - Date.now())));
                for (const each of [first, second]) {
                    if (alive(each)) {
                        each.child.kill('SIGKILL');
                        kills++;
                    }
                    await each.exited;
                }
                stalled++;
                // The runner that stalled had its late heartbeat or completion refused: its work was dropped, not stored.
                refused += first.stderr.join('').split('lost its lease').length - 1;
                points.push(`stalled+${executed().length}`);
            } else {
                const delay = Math.floor(next() * (starting ? 800 : 200));
                await new Promise(resolve => setTimeout(resolve, delay));
                if (alive(first)) {
                    first.child.kill('SIGKILL');
                    kills++;
                }
                await first.exited;
                points.push(`${starting ? 'starting' : `after ${target}`}+${delay}ms→${executed().length}`);
            }
            running = running.filter(alive);
            expect(queryValue<string>(database, 'PRAGMA integrity_check')).toBe('ok');
        }
        const last = spawnPhases(['run'], archive, { log, leaseMs: LEASE_MS });
        expect(await last.exited, last.stderr.join('')).toBe(0);
        const runs = executed();
        const perAsset = new Map<number, number>();
        runs.forEach(each => perAsset.set(each.assetId, (perAsset.get(each.assetId) ?? 0) + 1));
        console.log(`kills (when → executions so far): ${points.join(', ')}`);
        console.log(`${kills} kills survived (${stalled} rounds stalled a runner past its lease, ${refused} late lease calls refused); ${runs.length} executions for ${assets} assets, `
            + `${[...perAsset.values()].filter(count => count > 1).length} worked again after a kill (${Math.round((Date.now() - started) / 1000)} s)`);
        expect(kills).toBeGreaterThanOrEqual(20);
        expect(stalled === 0 || refused > 0).toBe(true);

        // Every asset: the phase done once, for its model, with one stored result, the one of the job that completed.
        expect(value<number>(archive, "SELECT count(*) FROM phase_states WHERE phase = 'record' AND model = 'record-1' AND state = 'done'")).toBe(assets);
        expect(value<number>(archive, "SELECT count(*) FROM phase_states WHERE phase = 'record' AND state != 'done'")).toBe(0);
        expect(rows(archive, "SELECT state, count(*) AS n FROM phase_jobs WHERE phase = 'record' GROUP BY state")).toEqual([{ state: 'done', n: assets }]);
        expect(value<number>(archive, 'SELECT count(*) FROM test_record_results')).toBe(assets);
        expect(value<number>(archive, 'SELECT count(DISTINCT asset_id) FROM test_record_results')).toBe(assets);
        expect(value<number>(archive, `SELECT count(*) FROM test_record_results r JOIN phase_jobs j ON j.asset_id = r.asset_id AND j.phase = 'record'
            WHERE j.state = 'done' AND j.id = r.job_id`)).toBe(assets);
        expect(value<number>(archive, `SELECT count(*) FROM test_record_results r JOIN assets a ON a.id = r.asset_id
            JOIN phase_results p ON p.content_hash = a.content_hash AND p.phase = 'record' AND p.model = 'record-1' WHERE p.result = r.result`)).toBe(assets);
        expect(perAsset.size).toBe(assets);
        expect(queryValue<string>(database, 'PRAGMA integrity_check')).toBe('ok');
    }, 290_000);
});

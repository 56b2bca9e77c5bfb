import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { OpenAiTestServer } from '../../extensions/archive-core/src/node/test/openai-test-server';
import { queryValue, until } from '../ingest/cli-process';
import { RedisTestServer } from '../redis/redis-test-server';
import { ChaosFleet, FleetEngine } from './chaos-fleet';
import { FLEET_PHASES, fleetAiEnv, FleetModels, phaseTallies, PhaseTally, jobStates, storedCaptions, storedVectors, writeFleetAssets, writeFleetModels } from './fleet-archive';
import type { CutMode } from './tcp-proxy';

const ASSETS = 24;
const LEASE_MS = 6000;
const HEARTBEAT_MS = 2000;
/** The caption model's time per picture (the test endpoint's delay) and its slots: the run lasts long enough for every event to land in it. */
const CAPTION_MS = 200;
const CAPTION_SLOTS = 2;
const ROLES = [['worker-1', 'all'], ['worker-2', 'caption'], ['worker-3', 'visual'], ['worker-4', 'text']] as const;

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

type ChaosEvent = 'kill-worker' | 'kill-server' | 'cut' | 'restart-redis';

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
const done = (tallies: readonly PhaseTally[]) => tallies.reduce((sum, tally) => sum + tally.doneStates, 0);

/**
 * A real fleet on this machine: `imageparser serve` over an archive of
 * pictures and four `imageparser worker` processes (all-in-one, caption,
 * visual, text) with the tiny models — a CLIP folder, the tiny sentence
 * model, captions from an OpenAI-compatible test server — reaching the
 * server through a TCP proxy. While they work, at random points: workers
 * SIGKILLed (and started again), the server SIGKILLed and restarted on its
 * port, the network cut (connections reset, or held past the job lease)
 * and restored, and on the BullMQ engine Redis killed and started again
 * empty. At the end, from the archive file: every asset has every phase
 * done exactly once (one done state, one stored result; on the embedded
 * engine one done job and none left open), nothing lost, nothing twice.
 * Prints the events, kills survived and jobs redone, and the seed
 * (IMAGEPARSER_CHAOS_SEED replays a run). A failing run keeps every
 * process's log and prints where.
 */
describe.each<FleetEngine>(['embedded', 'bullmq'])('a fleet of four workers on the %s engine through kills and cuts', engine => {
    let temp: ReturnType<typeof makeTempFolder>;
    let models: FleetModels;
    let endpoint: OpenAiTestServer;
    let redis: RedisTestServer | undefined;
    let fleet: ChaosFleet | undefined;
    let keep = false;
    const seed = Number(process.env.IMAGEPARSER_CHAOS_SEED) || Math.floor(Math.random() * 2 ** 31);
    const next = random(seed);

    beforeAll(async () => {
        temp = makeTempFolder('imageparser-fleet-chaos-');
        models = writeFleetModels(temp.folder);
        await writeFleetAssets(path.join(temp.folder, 'art'), ASSETS);
        endpoint = await new OpenAiTestServer().start();
        endpoint.delayMs = CAPTION_MS;
        endpoint.concurrencyLimit = CAPTION_SLOTS;
        redis = engine === 'bullmq' ? await RedisTestServer.start() : undefined;
    }, 60_000);
    afterAll(async () => {
        await fleet?.stop();
        await redis?.stop();
        await endpoint?.stop();
        if (keep) {
            console.log(`the failing run's logs and archive stay in ${temp.folder}`);
        } else {
            temp?.remove();
        }
    }, 30_000);

    it('does every asset\'s every phase exactly once', async () => {
        onTestFailed(() => {
            keep = true;
        });
        console.log(`${engine}: chaos seed ${seed} (IMAGEPARSER_CHAOS_SEED=${seed} replays it)`);
        const archive = path.join(temp.folder, 'archive');
        const started = Date.now();
        fleet = await ChaosFleet.create({
            archive, logs: path.join(temp.folder, 'logs'), aiEnv: fleetAiEnv(models, endpoint.endpoint), engine, redisUrl: redis?.url,
            leaseMs: LEASE_MS, heartbeatMs: HEARTBEAT_MS
        });
        await fleet.index(path.join(temp.folder, 'art'));
        expect(queryValue<number>(path.join(archive, 'archive.sqlite'), 'SELECT count(*) FROM assets WHERE superseded = 0')).toBe(ASSETS);
        await fleet.startServer();
        const running = fleet;
        ROLES.forEach(([slot, role]) => running.startWorker(slot, role));

        // Every kind of event at least twice, in a seeded order, each after a seeded amount of progress.
        const kinds: ChaosEvent[] = ['kill-worker', 'kill-worker', 'kill-worker', 'kill-worker', 'kill-worker', 'kill-worker', 'kill-server', 'kill-server', 'cut', 'cut',
            ...(engine === 'bullmq' ? ['restart-redis', 'restart-redis'] as const : [])];
        const events = kinds.map(kind => ({ kind, order: next() })).sort((a, b) => a.order - b.order).map(each => each.kind);
        const total = ASSETS * FLEET_PHASES.length;
        const log: string[] = [];
        const survived = { workers: 0, server: 0, cuts: 0, redis: 0 };
        for (const [number, kind] of events.entries()) {
            // Spread the events over the run: the next one once this share of the work is done (or a few seconds went by without).
            const target = Math.floor(total * (number + 1) / (events.length + 2));
            await until(() => done(phaseTallies(archive)) >= target, 8_000, `progress to ${target}`).catch(() => undefined);
            await sleep(Math.floor(next() * 300));
            const at = done(phaseTallies(archive));
            console.log(`${engine}: ${at}/${total} done: ${kind}`);
            if (kind === 'kill-worker') {
                const [slot] = ROLES[Math.floor(next() * ROLES.length)];
                if (await running.killWorker(slot)) {
                    survived.workers++;
                }
                await sleep(Math.floor(next() * 400));
                running.startWorker(slot);
                log.push(`${at}: kill -9 ${slot}`);
            } else if (kind === 'kill-server') {
                if (await running.killServer()) {
                    survived.server++;
                }
                await sleep(Math.floor(next() * 500));
                await running.startServer();
                log.push(`${at}: kill -9 server`);
            } else if (kind === 'cut') {
                const mode: CutMode = next() < 0.5 ? 'reset' : 'hold';
                // Some cuts outlast the lease: the server gives those jobs to nobody until the line is back, then to whoever claims first.
                const ms = Math.floor(300 + next() * 2 * LEASE_MS);
                running.proxy.cut(mode);
                await sleep(ms);
                running.proxy.restore();
                survived.cuts++;
                log.push(`${at}: cut (${mode}) ${ms} ms`);
            } else {
                await redis!.restart();
                survived.redis++;
                log.push(`${at}: redis restarted empty`);
            }
        }

        // Whatever the events took, the fleet finishes within the test's time, so a stuck run fails with the archive's counts rather than a timeout.
        await until(() => done(phaseTallies(archive)) === total, Math.max(30_000, started + 225_000 - Date.now()), 'every phase done').catch(error => {
            throw new Error(`${error instanceof Error ? error.message : String(error)} after ${log.join(', ')}: ${JSON.stringify(phaseTallies(archive))}; jobs ${JSON.stringify(jobStates(archive))}`);
        });
        const tallies = phaseTallies(archive);
        await running.stop();
        fleet = undefined;

        const redone = tallies.reduce((sum, tally) => sum + tally.redone, 0);
        console.log(`${engine}: events (done so far: what): ${log.join(', ')}`);
        console.log(`${engine}: ${plural(survived.workers, 'worker kill')} and ${plural(survived.server, 'server kill')} survived, ${plural(survived.cuts, 'network cut')}`
            + `${engine === 'bullmq' ? `, ${plural(survived.redis, 'Redis restart')}` : ''}; ${plural(running.workerStarts, 'worker start')}; `
            + `${plural(endpoint.requests - ASSETS, 'caption request')} repeated${engine === 'embedded' ? `, ${plural(redone, 'job')} redone` : ''} for ${ASSETS} assets `
            + `(${Math.round((Date.now() - started) / 1000)} s)`);

        expect(survived.workers).toBeGreaterThanOrEqual(4);
        expect(survived.server).toBe(2);
        expect(survived.cuts).toBe(2);
        // Every phase done once for every asset, and nothing else left in any state.
        for (const tally of tallies) {
            expect({ phase: tally.phase, done: tally.doneStates, other: tally.otherStates, twice: tally.doneTwice })
                .toEqual({ phase: tally.phase, done: ASSETS, other: 0, twice: 0 });
            if (engine === 'embedded') {
                expect({ phase: tally.phase, doneJobs: tally.doneJobs, severalDone: tally.assetsWithSeveralDoneJobs, open: tally.openJobs })
                    .toEqual({ phase: tally.phase, doneJobs: ASSETS, severalDone: 0, open: 0 });
            }
        }
        // One stored caption per asset and language; one vector per asset on each axis.
        expect(storedCaptions(archive)).toEqual({ captioned: ASSETS, captionRows: 2 * ASSETS });
        const vectors = storedVectors(archive, 'tiny');
        expect(Object.keys(vectors)).toHaveLength(2);
        expect(Object.values(vectors)).toEqual([ASSETS, ASSETS]);
        expect(endpoint.requests).toBeGreaterThanOrEqual(ASSETS);
        expect(queryValue<string>(path.join(archive, 'archive.sqlite'), 'PRAGMA integrity_check')).toBe('ok');
        if (engine === 'bullmq') {
            expect(survived.redis).toBe(2);
        }
    }, 240_000);
});

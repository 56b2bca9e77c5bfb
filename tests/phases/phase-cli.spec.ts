import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { PhaseContribution } from '../../extensions/archive-core/src/node/jobs/phase-contribution';
import { CLI } from '../ingest/cli-process';
import { writeNoisePngs } from '../ingest/generated-images';
import { disposeArchiveTestContainer, phaseContainer, pipelineOf, rows, value } from './phase-test-archive';
import { executions, RECORDING_PHASE_MODULE, spawnPhases } from './phase-cli-process';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createRecordingPhase } = require('./recording-phase-module.js');

/** The cells of the row of `phase` in the table `imageparser phases` and `imageparser run` print. */
function tableRow(table: string, phase: string): string[] {
    const line = table.split('\n').find(each => each.startsWith(`${phase} `));
    if (!line) {
        throw new Error(`no row for ${phase} in:\n${table}`);
    }
    return line.trim().split(/\s{2,}/);
}

/**
 * `imageparser phases` and `imageparser run`, spawned as built, on real
 * archives, with a phase contributed to them through
 * IMAGEPARSER_PHASE_MODULES; and the command-line tool working the same
 * queue as a backend in another process at once.
 */
describe('the phases on the command line', () => {
    let temp: ReturnType<typeof makeTempFolder>;

    beforeAll(() => {
        temp = makeTempFolder();
    });
    afterAll(() => temp.remove());

    async function indexed(name: string, images: number, seed: number): Promise<{ art: string; archive: string; log: string }> {
        const art = path.join(temp.folder, `${name}-art`);
        const archive = path.join(temp.folder, `${name}-archive`);
        const log = path.join(temp.folder, `${name}.log`);
        await writeNoisePngs(art, images, 32, seed);
        const index = spawnPhases(['index', art], archive, { log });
        expect(await index.exited, index.stderr.join('')).toBe(0);
        return { art, archive, log };
    }

    it('prints each phase\'s counts with `phases`, and works every queued job once with `run`, in plain lines off a terminal', async () => {
        const { archive, log } = await indexed('plain', 40, 3);
        const phases = spawnPhases(['phases'], archive, { log });
        expect(await phases.exited, phases.stderr.join('')).toBe(0);
        const before = phases.stdout.join('');
        expect(tableRow(before, 'parse').slice(0, 7)).toEqual(['parse', '-', '40', '0', '0', '0', '100.0%']);
        expect(tableRow(before, 'parse').slice(-2)).toEqual(['none', 'on']);
        expect(tableRow(before, 'record').slice(0, 7)).toEqual(['record', 'record-1', '0', '40', '0', '0', '0.0%']);
        expect(tableRow(before, 'record').slice(-2)).toEqual(['loaded', 'on']);

        const run = spawnPhases(['run'], archive, { log, delayMs: 20 });
        expect(await run.exited, run.stderr.join('')).toBe(0);
        expect(run.stderr.join('')).toMatch(/^record: \d+\/40 \(\d+ done, 0 failed, \d+ in progress\)/m);
        expect(tableRow(run.stdout.join(''), 'record').slice(0, 7)).toEqual(['record', 'record-1', '40', '0', '0', '0', '100.0%']);
        const runs = executions(fs.readFileSync(log, 'utf8'));
        expect(runs).toHaveLength(40);
        expect(new Set(runs.map(each => each.jobId)).size).toBe(40);
        expect(value<number>(archive, 'SELECT count(DISTINCT asset_id) FROM test_record_results')).toBe(40);
        expect(value<number>(archive, 'SELECT count(*) FROM test_record_results')).toBe(40);

        const after = spawnPhases(['phases'], archive, { log });
        expect(await after.exited).toBe(0);
        expect(tableRow(after.stdout.join(''), 'record').slice(0, 7)).toEqual(['record', 'record-1', '40', '0', '0', '0', '100.0%']);
    });

    it('draws a progress bar per phase on a terminal', async () => {
        const { archive, log } = await indexed('tty', 12, 5);
        const command = [process.execPath, CLI, 'run', '--archive', archive].map(arg => `'${arg}'`).join(' ');
        const terminal = spawn('script', ['-qec', command, '/dev/null'], {
            stdio: ['ignore', 'pipe', 'pipe'],
            env: { ...process.env, IMAGEPARSER_PHASE_MODULES: RECORDING_PHASE_MODULE, RECORDING_PHASE_LOG: log, RECORDING_PHASE_DELAY_MS: '30' }
        });
        let output = '';
        terminal.stdout.on('data', chunk => output += String(chunk));
        const code = await new Promise(resolve => terminal.once('exit', resolve));
        expect(code, output).toBe(0);
        expect(output).toMatch(/record [█░]+ \d+\/12/);
        expect(output).not.toMatch(/^record: \d+\/12/m);
        expect(executions(fs.readFileSync(log, 'utf8'))).toHaveLength(12);
    });

    it('never works a job twice while a backend and two `run` processes work the same archive at once', async () => {
        const images = 90;
        const { archive, log } = await indexed('shared', images, 7);
        // This test's process is the app's backend: the same pipeline the backend module binds, with the same phase.
        // Jobs slow enough (150 ms) that the three overlap even when a process is slow to start on a loaded machine.
        const backend = phaseContainer(archive, [createRecordingPhase({ log, delayMs: 150, batchSize: 2 }) as PhaseContribution], { idleMs: 50 });
        try {
            const first = spawnPhases(['run'], archive, { log, delayMs: 150 });
            const second = spawnPhases(['run'], archive, { log, delayMs: 150 });
            // The backend joins once both command-line runs work (each has executed a job), so all three work the queue at once.
            const started = () => new Set(fs.existsSync(log) ? executions(fs.readFileSync(log, 'utf8')).map(each => each.pid) : []);
            await expect.poll(() => started().has(first.child.pid!) && started().has(second.child.pid!), { timeout: 60_000 }).toBe(true);
            pipelineOf(backend).start();
            expect(await first.exited, first.stderr.join('')).toBe(0);
            expect(await second.exited, second.stderr.join('')).toBe(0);
            await expect.poll(() => value<number>(archive, "SELECT count(*) FROM phase_states WHERE phase = 'record' AND state = 'done'")).toBe(images);
            const runs = executions(fs.readFileSync(log, 'utf8'));
            const perJob = new Map<number, number>();
            runs.forEach(each => perJob.set(each.jobId, (perJob.get(each.jobId) ?? 0) + 1));
            const workers = new Set(runs.map(each => each.pid));
            console.log(`${runs.length} executions of ${perJob.size} jobs by ${workers.size} processes (${[first.child.pid, second.child.pid, process.pid].map(pid =>
                `${pid === process.pid ? 'backend' : 'run'} ${runs.filter(each => each.pid === pid).length}`).join(', ')}); most executions of one job: ${Math.max(...perJob.values())}`);
            expect(perJob.size).toBe(images);
            expect([...perJob.values()].every(count => count === 1)).toBe(true);
            expect(workers).toEqual(new Set([first.child.pid, second.child.pid, process.pid]));
            expect(rows(archive, 'SELECT asset_id FROM test_record_results GROUP BY asset_id HAVING count(*) != 1')).toEqual([]);
            expect(value<number>(archive, 'SELECT count(*) FROM test_record_results')).toBe(images);
        } finally {
            await disposeArchiveTestContainer(backend);
        }
    });
});

import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { OpenAiTestServer } from '../../extensions/archive-core/src/node/test/openai-test-server';
import { fleetAiEnv, phaseTallies, storedCaptions, storedVectors, writeFleetAssets, writeFleetModels } from '../chaos/fleet-archive';
import { spawnImageparser, waitForOutput } from '../chaos/fleet-processes';
import { TcpProxy } from '../chaos/tcp-proxy';
import { queryValue, until } from '../ingest/cli-process';

/**
 * `imageparser run` with the AI models set by environment variables (the
 * command-line tool has no preferences): the caption, visual and text
 * phases run to the end, each once per asset. Before the fix the command
 * looked at the phases before their models were checked, found them off,
 * and left every AI job waiting ("caption: 14 jobs wait: it is off").
 */
describe('imageparser run with the AI models set in the environment', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let endpoint: OpenAiTestServer;
    /** The caption endpoint as the processes see it: held, it answers late (a busy model server). */
    let late: TcpProxy;

    beforeAll(async () => {
        temp = makeTempFolder();
        endpoint = await new OpenAiTestServer().start();
        late = await new TcpProxy(Number(new URL(endpoint.endpoint).port)).start();
        await writeFleetAssets(path.join(temp.folder, 'art'), 10);
    });
    afterAll(async () => {
        await late.stop();
        await endpoint.stop();
        temp.remove();
    });

    const captionJobs = (archive: string) => queryValue<number>(path.join(archive, 'archive.sqlite'), "SELECT count(*) FROM phase_jobs WHERE phase = 'caption'");

    it('captions, embeds and embeds the captions of every indexed picture once', async () => {
        const env = fleetAiEnv(writeFleetModels(temp.folder), endpoint.endpoint);
        const art = path.join(temp.folder, 'art');
        const archive = path.join(temp.folder, 'archive');
        const logs = path.join(temp.folder, 'logs');
        const index = spawnImageparser('index', ['index', art, '--archive', archive, '--threads', '1'], env, logs);
        expect(await index.exited, index.output.join('')).toBe(0);

        const run = spawnImageparser('run', ['run', '--archive', archive], env, logs);
        expect(await run.exited, run.output.join('')).toBe(0);
        const output = run.output.join('');
        expect(output).not.toMatch(/jobs? waits?: it is off/);
        const tallies = phaseTallies(archive);
        expect(tallies.map(({ phase, doneStates, doneJobs, openJobs }) => ({ phase, doneStates, doneJobs, openJobs }))).toEqual([
            { phase: 'caption', doneStates: 10, doneJobs: 10, openJobs: 0 },
            { phase: 'visual', doneStates: 10, doneJobs: 10, openJobs: 0 },
            { phase: 'text', doneStates: 10, doneJobs: 10, openJobs: 0 }
        ]);
        // An English and a Korean caption per picture, from one request each.
        expect(storedCaptions(archive)).toEqual({ captioned: 10, captionRows: 20 });
        expect(endpoint.requests).toBe(10);
        // One vector per picture on the visual axis (tiny CLIP) and on the caption axis (tiny sentence model).
        expect(Object.values(storedVectors(archive, 'tiny'))).toEqual([10, 10]);
    });

    // Before the fix, files parsed while the models' settings were still being checked queued none of the AI phases (they read as off).
    it('index queues the AI phases of every file when the caption endpoint answers late', async () => {
        const env = fleetAiEnv(writeFleetModels(path.join(temp.folder, 'late-index')), `${late.url}/v1`);
        const archive = path.join(temp.folder, 'late-index', 'archive');
        late.cut('hold');
        const index = spawnImageparser('index-late', ['index', path.join(temp.folder, 'art'), '--archive', archive, '--threads', '1'], env, path.join(temp.folder, 'logs'));
        await new Promise(resolve => setTimeout(resolve, 1500));
        late.restore();
        expect(await index.exited, index.output.join('')).toBe(0);
        expect(captionJobs(archive)).toBe(10);
    });

    // Before the fix, the server's sweep at start ran before the models were checked, queued none of the AI phases, and never ran again.
    it('serve queues the AI phases an archive is missing when the caption endpoint answers late', async () => {
        const folder = path.join(temp.folder, 'late-serve');
        const archive = path.join(folder, 'archive');
        const logs = path.join(temp.folder, 'logs');
        // Indexed without AI settings: no AI jobs at all.
        const index = spawnImageparser('index-plain', ['index', path.join(temp.folder, 'art'), '--archive', archive, '--threads', '1'], { IMAGEPARSER_OCR: 'off' }, logs);
        expect(await index.exited, index.output.join('')).toBe(0);
        expect(captionJobs(archive)).toBe(0);

        late.cut('hold');
        const env = { ...fleetAiEnv(writeFleetModels(folder), `${late.url}/v1`), IMAGEPARSER_LOCAL_PHASES: 'none' };
        const server = spawnImageparser('serve-late', ['serve', '--archive', archive, '--port', '0', '--host', '127.0.0.1'], env, logs);
        try {
            await new Promise(resolve => setTimeout(resolve, 1500));
            late.restore();
            await waitForOutput(server, /imageparser: serving/, 30_000);
            await until(() => captionJobs(archive) === 10, 15_000, `10 caption jobs queued (${captionJobs(archive)} are)`);
        } finally {
            server.child.kill('SIGTERM');
            await server.exited;
        }
    });
});

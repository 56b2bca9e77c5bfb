import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { OpenAiTestServer } from '../../extensions/archive-core/src/node/test/openai-test-server';
import { fleetAiEnv, phaseTallies, storedCaptions, storedVectors, writeFleetAssets, writeFleetModels } from '../chaos/fleet-archive';
import { spawnImageparser } from '../chaos/fleet-processes';

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

    beforeAll(async () => {
        temp = makeTempFolder();
        endpoint = await new OpenAiTestServer().start();
    });
    afterAll(async () => {
        await endpoint.stop();
        temp.remove();
    });

    it('captions, embeds and embeds the captions of every indexed picture once', async () => {
        const env = fleetAiEnv(writeFleetModels(temp.folder), endpoint.endpoint);
        const art = path.join(temp.folder, 'art');
        const archive = path.join(temp.folder, 'archive');
        const logs = path.join(temp.folder, 'logs');
        await writeFleetAssets(art, 10);
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
});

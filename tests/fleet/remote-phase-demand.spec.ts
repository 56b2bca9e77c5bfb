import * as path from 'path';
import { Container } from '@theia/core/shared/inversify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { LOCAL_PHASES_ENV } from '../../extensions/archive-core/src/node/jobs/local-phases';
import { writeNoisePngs } from '../ingest/generated-images';
import { RecordingPhase } from '../phases/recording-phase';
import { disposeArchiveTestContainer, ingest, phaseContainer, pipelineOf, rows } from '../phases/phase-test-archive';

const IMAGES = 4;

/**
 * A server whose own pipeline leaves a phase to worker machines
 * (IMAGEPARSER_LOCAL_PHASES) still queues that phase's jobs when the phase
 * is turned on (an AI phase is once its model was checked, after the
 * backend started): otherwise the workers would find nothing to claim.
 */
describe('phases left to worker machines', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let art: string;
    let container: Container | undefined;
    const before = process.env[LOCAL_PHASES_ENV];

    beforeAll(async () => {
        temp = makeTempFolder();
        art = path.join(temp.folder, 'art');
        await writeNoisePngs(art, IMAGES, 48, 5);
        process.env[LOCAL_PHASES_ENV] = 'parse';
    }, 60_000);
    afterEach(async () => {
        if (container) {
            await disposeArchiveTestContainer(container);
        }
        container = undefined;
    });
    afterAll(() => {
        if (before === undefined) {
            delete process.env[LOCAL_PHASES_ENV];
        } else {
            process.env[LOCAL_PHASES_ENV] = before;
        }
        temp.remove();
    });

    const queued = (folder: string) => rows<{ model: string; n: number }>(folder,
        "SELECT model, count(*) AS n FROM phase_jobs WHERE phase = 'words' AND state = 'queued' GROUP BY model ORDER BY model");

    async function started(words: RecordingPhase, name: string): Promise<string> {
        const folder = path.join(temp.folder, name);
        container = phaseContainer(folder, [words]);
        await ingest(container, art);
        pipelineOf(container).start();
        await expect.poll(() => rows(folder, "SELECT count(*) AS n FROM phase_states WHERE phase = 'parse' AND state = 'done'")).toEqual([{ n: IMAGES }]);
        // Let the pipeline's start-up sweep run and find nothing to queue.
        await pipelineOf(container).sweep();
        expect(queued(folder)).toEqual([]);
        return folder;
    }

    it('queues them once the phase is turned on (the AI phases are, once their models are checked after start), though nothing here works them', async () => {
        const words = new RecordingPhase('words');
        words.enabled = false;
        const folder = await started(words, 'archive-enabled');
        words.enabled = true;
        await expect.poll(() => queued(folder)).toEqual([{ model: 'model-1', n: IMAGES }]);
        expect(words.executions).toEqual([]);
    });
});

import * as path from 'path';
import { AiSettingsEnv } from '../../extensions/archive-core/src/node/inference/preference-ai-settings';
import { TEST_COLOURS } from '../../extensions/archive-core/src/node/test/openai-test-server';
import { writeColourPng } from '../../extensions/archive-core/src/node/test/tiny-models/colour-images';
import { writeTinyImageTextModel } from '../../extensions/archive-core/src/node/test/tiny-models/tiny-image-text-model';
import { writeTinySentenceModel } from '../../extensions/archive-core/src/node/test/tiny-models/tiny-sentence-model';
import { rows } from '../phases/phase-test-archive';

/** The AI phases a fleet works, in the order they run for one asset. */
export const FLEET_PHASES = ['caption', 'visual', 'text'] as const;

/** The tiny models of a fleet run, written once under a folder. */
export interface FleetModels {
    /** A CLIP-style folder the transformers provider loads (visual phase). */
    readonly visual: string;
    /** A sentence-embedding folder (text phase). */
    readonly text: string;
}

/** Writes the tiny CLIP and sentence models under `folder/models`. */
export function writeFleetModels(folder: string): FleetModels {
    const visual = path.join(folder, 'models', 'tiny-clip');
    const text = path.join(folder, 'models', 'tiny-sentence');
    writeTinyImageTextModel(visual, 'clip');
    writeTinySentenceModel(text);
    return { visual, text };
}

/**
 * The environment that makes a spawned `imageparser` (server or worker) run
 * the three AI phases on the tiny models, captions from the OpenAI test
 * server at `captionEndpoint` in English and Korean; OCR is off (these runs
 * are about the fleet, not Tesseract).
 */
export function fleetAiEnv(models: FleetModels, captionEndpoint: string): NodeJS.ProcessEnv {
    return {
        [AiSettingsEnv.CAPTION_ENDPOINT]: captionEndpoint,
        [AiSettingsEnv.CAPTION_MODEL]: 'test-vlm',
        [AiSettingsEnv.CAPTION_LANGUAGE]: 'both',
        [AiSettingsEnv.VISUAL_MODEL]: models.visual,
        [AiSettingsEnv.TEXT_MODEL]: models.text,
        IMAGEPARSER_OCR: 'off'
    };
}

/**
 * Writes `count` distinct PNGs into `folder` (the test server's colours in
 * turn, each file a size of its own so no two share content), half of them
 * under Korean names: answers their paths.
 */
export async function writeFleetAssets(folder: string, count: number): Promise<string[]> {
    const files: string[] = [];
    for (let index = 0; index < count; index++) {
        const colour = TEST_COLOURS[index % TEST_COLOURS.length];
        const name = index % 2 === 0 ? `${colour.en}-${index}` : `${colour.ko} 그림 ${index}`;
        files.push(await writeColourPng(folder, name, colour.rgb, 64 + index, 48 + (index % 7)));
    }
    return files;
}

/** How one phase ended over the archive's current assets, as the archive file has it. */
export interface PhaseTally {
    readonly phase: string;
    /** Current assets (not superseded). */
    readonly assets: number;
    /** Assets with a `done` phase state (any model). */
    readonly doneStates: number;
    /** Phase states that are not `done` (pending, failed, skipped). */
    readonly otherStates: number;
    /** Assets with more than one `done` state for this phase (two models, or a result stored twice). */
    readonly doneTwice: number;
    /** Jobs in state `done`, and assets with more than one done job. */
    readonly doneJobs: number;
    readonly assetsWithSeveralDoneJobs: number;
    /** Jobs still queued, leased or failed. */
    readonly openJobs: number;
    /** Done jobs that needed more than one lease (a kill, a cut or an expired lease made another worker redo them). */
    readonly redone: number;
}

/**
 * Reads how every AI phase ended from the archive folder's SQLite file: a
 * fleet run is right when, for each phase, every asset has exactly one
 * `done` state and one done job, and nothing is left queued, leased or
 * failed ({@link everyPhaseDoneOnce}).
 */
export function phaseTallies(archive: string, phases: readonly string[] = FLEET_PHASES): PhaseTally[] {
    return phases.map(phase => {
        const [tally] = rows<Omit<PhaseTally, 'phase'>>(archive, `
            WITH current AS (SELECT id FROM assets WHERE superseded = 0),
                 states AS (SELECT s.asset_id, s.state FROM phase_states s JOIN current c ON c.id = s.asset_id WHERE s.phase = @phase),
                 jobs AS (SELECT j.asset_id, j.state, j.attempts FROM phase_jobs j JOIN current c ON c.id = j.asset_id WHERE j.phase = @phase)
            SELECT (SELECT count(*) FROM current) AS assets,
                   (SELECT count(DISTINCT asset_id) FROM states WHERE state = 'done') AS doneStates,
                   (SELECT count(*) FROM states WHERE state != 'done') AS otherStates,
                   (SELECT count(*) FROM (SELECT asset_id FROM states WHERE state = 'done' GROUP BY asset_id HAVING count(*) > 1)) AS doneTwice,
                   (SELECT count(*) FROM jobs WHERE state = 'done') AS doneJobs,
                   (SELECT count(*) FROM (SELECT asset_id FROM jobs WHERE state = 'done' GROUP BY asset_id HAVING count(*) > 1)) AS assetsWithSeveralDoneJobs,
                   (SELECT count(*) FROM jobs WHERE state IN ('queued', 'leased', 'failed')) AS openJobs,
                   (SELECT count(*) FROM jobs WHERE state = 'done' AND attempts > 1) AS redone`, { phase });
        return { phase, ...tally };
    });
}

/** Whether a tally shows the phase done exactly once for every asset. */
export function doneOnce(tally: PhaseTally): boolean {
    return tally.assets > 0 && tally.doneStates === tally.assets && tally.otherStates === 0 && tally.doneTwice === 0
        && tally.doneJobs === tally.assets && tally.assetsWithSeveralDoneJobs === 0 && tally.openJobs === 0;
}

/** Every phase of `tallies` done exactly once for every asset. */
export function everyPhaseDoneOnce(tallies: readonly PhaseTally[]): boolean {
    return tallies.every(doneOnce);
}

/** What the AI phases stored, per asset: captions per language, and vectors. Used to check nothing was stored twice or lost. */
export interface StoredResults {
    /** Assets with an English and a Korean caption. */
    readonly captioned: number;
    /** Caption rows in all (two per captioned asset: one per language). */
    readonly captionRows: number;
}

/** Counts the stored captions of the current assets. */
export function storedCaptions(archive: string): StoredResults {
    const [stored] = rows<StoredResults>(archive, `
        WITH current AS (SELECT id FROM assets WHERE superseded = 0)
        SELECT (SELECT count(*) FROM (SELECT asset_id FROM asset_captions JOIN current c ON c.id = asset_id GROUP BY asset_id HAVING count(DISTINCT language) = 2)) AS captioned,
               (SELECT count(*) FROM asset_captions JOIN current c ON c.id = asset_id) AS captionRows`);
    return stored;
}

/** Vectors of the current assets per vector index whose model name contains `modelPart` (`tiny`: the tiny models'), by axis and model. */
export function storedVectors(archive: string, modelPart: string): Record<string, number> {
    const indexes = rows<{ name: string; axis: string; model: string }>(archive, 'SELECT name, axis, model FROM vector_indexes WHERE model LIKE ? ORDER BY axis',
        `%${modelPart}%`);
    return Object.fromEntries(indexes.map(index => [`${index.axis} ${index.model}`,
        rows<{ n: number }>(archive, `SELECT count(*) AS n FROM ${index.name} WHERE asset_id IN (SELECT id FROM assets WHERE superseded = 0)`)[0].n]));
}

/** The archive's phase jobs counted by phase and state (`caption queued: 3`…), for a failing run's message. */
export function jobStates(archive: string): Record<string, number> {
    return Object.fromEntries(rows<{ key: string; n: number }>(archive, "SELECT phase || ' ' || state AS key, count(*) AS n FROM phase_jobs GROUP BY phase, state ORDER BY phase, state")
        .map(row => [row.key, row.n]));
}

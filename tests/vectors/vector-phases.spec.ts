import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import BetterSqlite3 = require('better-sqlite3');
import * as sqliteVec from 'sqlite-vec';
import { Container } from '@theia/core/shared/inversify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PhaseIds } from '../../extensions/archive-core/src/common/job-protocol';
import { SearchQuery, SearchResult, SearchService } from '../../extensions/archive-core/src/common/search-protocol';
import { AiModels } from '../../extensions/archive-core/src/node/inference/ai-models';
import { bindInference } from '../../extensions/archive-core/src/node/inference/inference-bindings';
import { ModelManager } from '../../extensions/archive-core/src/node/inference/model-manager';
import { OCR_ENVIRONMENT_VARIABLE } from '../../extensions/archive-core/src/node/inference/ocr/ocr-phase-contribution';
import { PhasePipelineOptions } from '../../extensions/archive-core/src/node/jobs/default-phase-pipeline';
import { VectorAxisServing } from '../../extensions/archive-core/src/node/search/vector-axis-serving';
import { vectorIndexName, VectorIndexRepository } from '../../extensions/archive-core/src/node/store/vector-index-repository';
import { createArchiveTestContainer, makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import {
    ColourImageEmbedderProvider, EmbedCounts, SynonymTextEmbedderProvider, writeTestModelFolder
} from '../../extensions/archive-core/src/node/test/colour-embedders';
import { bindTestAiModels, TestAiSettings } from '../../extensions/archive-core/src/node/test/test-ai-models';
import { disposeArchiveTestContainer, ingest, pipelineOf, queueOf, rows, value } from '../phases/phase-test-archive';
import { COLOUR_CAPTION_SETTINGS, COLOUR_CAPTIONS, ColourCaptionerProvider } from './colour-caption-phase';

/** The images, by file name: solid colours, one two-fifths red and the rest blue, one grey (the stand-in captioner has nothing to say about grey). */
const IMAGES: Record<string, [number, number, number] | 'red-blue'> = {
    'pic-01.png': [220, 30, 30],
    'pic-02.png': [180, 20, 45],
    'pic-03.png': [30, 60, 220],
    'pic-04.png': [40, 180, 60],
    'pic-05.png': [230, 210, 40],
    'pic-06.png': [128, 128, 128],
    'pic-07.png': 'red-blue'
};
const RED = ['pic-01.png', 'pic-02.png'];

/** Writes to the archive through a connection of the test's own (as another process on the archive would). */
function writeArchive(folder: string, write: (db: BetterSqlite3.Database) => void): void {
    const db = new BetterSqlite3(path.join(folder, 'archive.sqlite'), { timeout: 5000 });
    sqliteVec.load(db);
    try {
        db.transaction(() => write(db))();
    } finally {
        db.close();
    }
}

async function png(colour: [number, number, number] | 'red-blue'): Promise<Buffer> {
    const width = 96, height = 64;
    if (colour !== 'red-blue') {
        return sharp({ create: { width, height, channels: 3, background: { r: colour[0], g: colour[1], b: colour[2] } } }).png().toBuffer();
    }
    const pixels = Buffer.alloc(width * height * 3);
    for (let i = 0; i < width * height; i++) {
        pixels.set(i % width < width * 0.4 ? [210, 30, 30] : [30, 60, 220], i * 3);
    }
    return sharp(pixels, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

/**
 * The visual (VV) and text (MV) phases and the V and M axes over the real
 * store, queue and search engine, on a real archive of generated PNGs; only
 * the models are test doubles (a colour-histogram image model with a
 * colour-word text tower, a synonym text embedder), loaded through the real
 * model manager, and the caption phase is a stand-in with a double captioner.
 */
describe('the vector phases and axes', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let art: string;
    let archive: string;
    let models: { a: string; b: string; text: string };
    const counts: EmbedCounts = { images: 0, imageTexts: 0, documents: 0, queries: 0, loads: 0 };
    let backend: Container;
    let captions: ColourCaptionerProvider;
    let settings: TestAiSettings;
    let ocrSetting: string | undefined;

    /** A backend over the archive with the phases bound as the app binds them, the test models and the stand-in caption phase. */
    function startBackend(): Container {
        const container = createArchiveTestContainer(archive, { threads: 1 });
        bindInference(container.bind.bind(container));
        container.bind(PhasePipelineOptions).toConstantValue({ idleMs: 50, reapMs: 200, heartbeatMs: 100 });
        captions = new ColourCaptionerProvider();
        settings = bindTestAiModels(container, { image: [new ColourImageEmbedderProvider(counts)], text: [new SynonymTextEmbedderProvider(counts)], captioner: [captions] },
            { caption: COLOUR_CAPTION_SETTINGS });
        pipelineOf(container).start();
        return container;
    }

    async function stopBackend(container: Container): Promise<void> {
        await disposeArchiveTestContainer(container);
        await container.get<ModelManager>(ModelManager).dispose();
    }

    async function configure(container: Container, visual: string | undefined, text: string | undefined): Promise<void> {
        settings.setVisual(visual ? { provider: 'test-colour', modelPath: visual } : undefined);
        settings.setText(text ? { provider: 'test-synonyms', modelPath: text, includeOcr: false } : undefined);
        await container.get<AiModels>(AiModels).refresh();
        await pipelineOf(container).sweep();
    }

    const search = (query: SearchQuery): Promise<SearchResult> => backend.get<SearchService>(SearchService).search(query);
    const axis = (result: SearchResult, id: 'S' | 'V' | 'M') => result.axes.find(report => report.axis === id)!;
    const currentAssets = () => value<number>(archive, 'SELECT count(*) FROM assets WHERE superseded = 0');

    function assetOf(name: string): number {
        return rows<{ asset_id: number }>(archive, 'SELECT asset_id FROM files WHERE path = ?', path.join(art, name))[0].asset_id;
    }

    function namesOf(result: SearchResult): string[] {
        return result.hits.map(hit => hit.name);
    }

    /** Waits until the phase has nothing queued or leased and a final state (done, skipped, failed) with its current model for every current asset. */
    async function settled(phase: string): Promise<void> {
        const state = async () => {
            const progress = (await pipelineOf(backend).progress()).find(each => each.phase === phase)!;
            const missing = value<number>(archive, `SELECT count(*) FROM assets a WHERE a.superseded = 0 AND NOT EXISTS (SELECT 1 FROM phase_states s
                WHERE s.asset_id = a.id AND s.phase = ? AND s.model = ? AND s.state IN ('done', 'skipped', 'failed'))`, phase, progress.model);
            return { missing, queued: progress.queued, leased: progress.leased };
        };
        // Polled as expect.poll would, but usable in beforeAll too.
        for (let tries = 0; tries < 600; tries++) {
            const now = await state();
            if (!now.missing && !now.queued && !now.leased) {
                return;
            }
            await new Promise(resolve => setTimeout(resolve, 100));
        }
        expect(await state()).toEqual({ missing: 0, queued: 0, leased: 0 });
    }

    /** The red images' asset ids, sorted. */
    const redIds = () => RED.map(assetOf).sort((a, b) => a - b);
    const topTwo = (result: SearchResult) => result.hits.slice(0, 2).map(hit => hit.assetId).sort((a, b) => a - b);
    /** The two hits V ranked first (whatever the other axes did to the fused order). */
    const visualTopTwo = (result: SearchResult) => result.hits.filter(hit => hit.axes.V && hit.axes.V.rank <= 2).map(hit => hit.assetId).sort((a, b) => a - b);

    beforeAll(async () => {
        ocrSetting = process.env[OCR_ENVIRONMENT_VARIABLE];
        process.env[OCR_ENVIRONMENT_VARIABLE] = 'off';
        temp = makeTempFolder('imageparser-vectors-');
        art = path.join(temp.folder, 'art');
        archive = path.join(temp.folder, 'archive');
        fs.mkdirSync(art);
        for (const [name, colour] of Object.entries(IMAGES)) {
            fs.writeFileSync(path.join(art, name), await png(colour));
        }
        const modelFolder = path.join(temp.folder, 'models');
        models = { a: writeTestModelFolder(modelFolder, 'a'), b: writeTestModelFolder(modelFolder, 'b'), text: writeTestModelFolder(modelFolder, 'synonyms') };
        backend = startBackend();
        await ingest(backend, art);
        await settled(PhaseIds.CAPTION);
    }, 120_000);

    afterAll(async () => {
        if (backend) {
            await stopBackend(backend);
        }
        temp?.remove();
        if (ocrSetting === undefined) {
            delete process.env[OCR_ENVIRONMENT_VARIABLE];
        } else {
            process.env[OCR_ENVIRONMENT_VARIABLE] = ocrSetting;
        }
    });

    it('says honestly why V and M skip a search by words while no model is configured, and while the first index is built', async () => {
        const none = await search({ text: 'red' });
        expect(axis(none, 'V')).toMatchObject({ used: false, skipped: 'no-image-model' });
        expect(axis(none, 'M')).toMatchObject({ used: false, skipped: 'no-text-model' });

        await pipelineOf(backend).pause(PhaseIds.VISUAL);
        await pipelineOf(backend).pause(PhaseIds.TEXT);
        await configure(backend, models.a, models.text);
        const building = await search({ text: 'red' });
        expect(axis(building, 'V')).toMatchObject({ used: false, skipped: 'index-not-ready' });
        expect(axis(building, 'M')).toMatchObject({ used: false, skipped: 'index-not-ready' });
        // Find-similar still answers meanwhile, from the built-in colour descriptor.
        const similar = await search({ references: { assetIds: [assetOf('pic-01.png')], mode: 'or' } });
        expect(axis(similar, 'V').used).toBe(true);
        expect(similar.hits.length).toBeGreaterThan(0);
        expect(await backend.get<VectorAxisServing>(VectorAxisServing).servingModel('visual')).toBe('builtin-colour-v1');
    });

    it('fills the image model\'s index, and "red" or "빨강" ranks the red images first through V with a "looks like" reason', async () => {
        await pipelineOf(backend).resume(PhaseIds.VISUAL);
        await settled(PhaseIds.VISUAL);
        expect(await backend.get<VectorIndexRepository>(VectorIndexRepository).count(vectorIndexName('visual', 'test-colour/a'))).toBe(currentAssets());
        expect(counts.images).toBe(currentAssets());

        for (const words of ['red', '빨강']) {
            const result = await search({ text: words });
            expect(axis(result, 'S').used).toBe(true);
            expect(axis(result, 'V')).toMatchObject({ used: true });
            expect(topTwo(result)).toEqual(redIds());
            expect(namesOf(result)[2]).toBe('pic-07.png');
            const top = result.hits[0];
            expect(top.axes.V?.rank).toBe(1);
            expect(top.axes.S).toBeUndefined();
            expect(top.reason.looksLike).toEqual({ text: words, similarity: expect.any(Number) });
            expect(top.reason.looksLike!.similarity).toBeGreaterThan(90);
            expect(top.reason.similarity).toBeUndefined();
            console.log(`"${words}": ${result.hits.map(hit => `${hit.name} ${hit.reason.looksLike?.similarity}%`).join(', ')}`);
        }
        expect(await backend.get<VectorAxisServing>(VectorAxisServing).servingModel('visual')).toBe('test-colour/a');
        expect(value<string>(archive, "SELECT model FROM axis_serving WHERE axis = 'visual'")).toBe('test-colour/a');
        // Find-similar searches the model's index now.
        const similar = await search({ references: { assetIds: [assetOf('pic-01.png')], mode: 'or' } });
        expect(namesOf(similar)[0]).toBe('pic-02.png');
        expect(similar.hits[0].reason.similarity).toBeGreaterThan(90);
    });

    it('embeds the captions, and M ranks the cat caption first for "kitten" and "새끼고양이" with a "means" reason; an image without a caption is skipped with the reason', async () => {
        await pipelineOf(backend).resume(PhaseIds.TEXT);
        await settled(PhaseIds.TEXT);
        expect(counts.documents).toBe(currentAssets() - 1);
        expect(value<number>(archive, 'SELECT count(*) FROM vec_meaning_test_synonyms_synonyms')).toBe(currentAssets() - 1);
        const grey = rows<{ state: string; error: string }>(archive, 'SELECT state, error FROM phase_states WHERE asset_id = ? AND phase = ?', assetOf('pic-06.png'), PhaseIds.TEXT);
        expect(grey).toEqual([{ state: 'skipped', error: 'This image has no caption text to embed.' }]);

        for (const words of ['kitten', '새끼고양이']) {
            const result = await search({ text: words, weights: { V: 0 } });
            expect(axis(result, 'M')).toMatchObject({ used: true });
            expect(topTwo(result)).toEqual(redIds());
            expect(result.hits[0].reason.means).toEqual({ text: words, similarity: expect.any(Number) });
            expect(result.hits[0].reason.means!.similarity).toBeGreaterThan(60);
            console.log(`"${words}": ${result.hits.map(hit => `${hit.name} ${hit.reason.means?.similarity}%`).join(', ')}`);
        }
        // The blue images' caption is about a dog on a beach.
        expect(namesOf(await search({ text: 'puppy', weights: { V: 0 } })).slice(0, 2).sort()).toEqual(['pic-03.png', 'pic-07.png']);
        expect(await backend.get<VectorAxisServing>(VectorAxisServing).servingModel('meaning')).toBe('test-synonyms/synonyms');

        const byWord = await search({ text: 'sofa', weights: { V: 0, M: 0 } });
        expect(byWord.hits.map(hit => hit.assetId).sort((a, b) => a - b)).toEqual(redIds());
        expect(byWord.hits[0].reason).toMatchObject({ fields: ['captions'], snippetField: 'captions', snippet: 'A cat sleeping on a «sofa»' });
    });

    it('caches query embeddings by model and words: other filters, weights and pages do not embed the words again', async () => {
        const queries = counts.queries;
        const imageTexts = counts.imageTexts;
        await search({ text: 'dog beach' });
        expect(counts.queries).toBe(queries + 1);
        expect(counts.imageTexts).toBe(imageTexts + 1);
        await search({ text: 'dog beach', weights: { S: 0.5 } });
        await search({ text: 'dog beach', filters: [{ kind: 'type', types: ['png'] }] });
        await search({ text: 'dog beach', offset: 1, limit: 2 });
        expect(counts.queries).toBe(queries + 1);
        expect(counts.imageTexts).toBe(imageTexts + 1);
        await search({ text: 'kitten', filters: [{ kind: 'type', types: ['png'] }] });
        expect(counts.queries).toBe(queries + 1);
    });

    it('never embeds again for a copy of a file, an edit undone, a lost state or a restart: vectors are kept by content, model and config', async () => {
        const before = { ...counts };
        const captioned = captions.captioned;
        fs.mkdirSync(path.join(art, 'copies'));
        fs.copyFileSync(path.join(art, 'pic-01.png'), path.join(art, 'copies', 'pic-01 copy.png'));
        await ingest(backend, art);
        await pipelineOf(backend).sweep();
        await settled(PhaseIds.VISUAL);
        await settled(PhaseIds.TEXT);
        expect({ ...counts, queries: before.queries, imageTexts: before.imageTexts }).toEqual(before);

        // An edit is new content (embedded once); undoing it brings back content whose vectors are kept.
        const original = fs.readFileSync(path.join(art, 'pic-05.png'));
        fs.writeFileSync(path.join(art, 'pic-05.png'), await png([150, 40, 200]));
        await ingest(backend, art);
        await settled(PhaseIds.VISUAL);
        await settled(PhaseIds.TEXT);
        expect(counts.images).toBe(before.images + 1);
        fs.writeFileSync(path.join(art, 'pic-05.png'), original);
        fs.utimesSync(path.join(art, 'pic-05.png'), new Date(), new Date(Date.now() + 5_000));
        await ingest(backend, art);
        await settled(PhaseIds.VISUAL);
        await settled(PhaseIds.TEXT);
        expect(counts.images).toBe(before.images + 1);
        expect(namesOf(await search({ text: 'yellow', weights: { M: 0 } }))[0]).toBe('pic-05.png');

        // The vectors are kept compactly by content, model and config: an asset whose state and vector are gone gets them back from there.
        const kept = rows<{ result: string }>(archive, "SELECT result FROM phase_results WHERE phase = 'visual' AND model = 'test-colour/a'");
        expect(kept.length).toBeGreaterThanOrEqual(currentAssets());
        expect(JSON.parse(kept[0].result)).toMatchObject({ model: 'test-colour/a', dimensions: 16, vector: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/) });
        const green = assetOf('pic-04.png');
        writeArchive(archive, db => {
            db.prepare("DELETE FROM phase_states WHERE asset_id = ? AND phase = 'visual'").run(green);
            db.prepare('DELETE FROM vec_visual_test_colour_a WHERE asset_id = ?').run(BigInt(green));
        });
        expect(namesOf(await search({ text: 'green', weights: { M: 0 } }))).not.toContain('pic-04.png');
        await pipelineOf(backend).sweep();
        await settled(PhaseIds.VISUAL);
        expect(counts.images).toBe(before.images + 1);
        expect(namesOf(await search({ text: 'green', weights: { M: 0 } }))[0]).toBe('pic-04.png');

        await stopBackend(backend);
        backend = startBackend();
        await configure(backend, models.a, models.text);
        await ingest(backend, art);
        await pipelineOf(backend).sweep();
        await settled(PhaseIds.VISUAL);
        await settled(PhaseIds.TEXT);
        expect(captions.captioned).toBe(0);
        expect(counts.images).toBe(before.images + 1);
        expect(counts.documents).toBe(before.documents);
        const red = await search({ text: 'red' });
        expect(visualTopTwo(red)).toEqual(redIds());
        expect(captioned).toBeGreaterThan(0);
    });

    it('switching the image model queues only the visual phase; the old index answers V until the new one is complete, then the new one does', async () => {
        const before = { ...counts };
        const assets = currentAssets();
        const textDone = value<number>(archive, "SELECT count(*) FROM phase_states WHERE phase = 'text' AND state IN ('done', 'skipped')");
        await pipelineOf(backend).pause(PhaseIds.VISUAL);
        await configure(backend, models.b, models.text);

        const queue = queueOf(backend);
        expect((await queue.counts(PhaseIds.VISUAL)).queued).toBe(assets);
        expect((await queue.counts(PhaseIds.CAPTION)).queued).toBe(0);
        expect((await queue.counts(PhaseIds.TEXT)).queued).toBe(0);

        // During the switch: V still answers, from model a's index, by words and by reference.
        const during = await search({ text: 'red' });
        expect(axis(during, 'V')).toMatchObject({ used: true });
        expect(visualTopTwo(during)).toEqual(redIds());
        expect(during.hits.find(hit => hit.axes.V?.rank === 1)!.reason.looksLike!.similarity).toBeGreaterThan(90);
        expect(await backend.get<VectorAxisServing>(VectorAxisServing).servingModel('visual')).toBe('test-colour/a');
        const similar = await search({ references: { assetIds: [assetOf('pic-01.png')], mode: 'or' } });
        expect(axis(similar, 'V').used).toBe(true);
        expect(redIds()).toContain(similar.hits[0].assetId);

        await pipelineOf(backend).resume(PhaseIds.VISUAL);
        await settled(PhaseIds.VISUAL);
        const after = await search({ text: '빨강' });
        expect(axis(after, 'V')).toMatchObject({ used: true });
        expect(visualTopTwo(after)).toEqual(redIds());
        expect(await backend.get<VectorAxisServing>(VectorAxisServing).servingModel('visual')).toBe('test-colour/b');
        expect(value<string>(archive, "SELECT model FROM axis_serving WHERE axis = 'visual'")).toBe('test-colour/b');
        expect(value<number>(archive, "SELECT dimensions FROM vector_indexes WHERE name = 'vec_visual_test_colour_b'")).toBe(24);

        expect(counts.images).toBe(before.images + assets);
        expect(counts.documents).toBe(before.documents);
        expect(captions.captioned).toBe(0);
        expect(value<number>(archive, "SELECT count(*) FROM phase_states WHERE phase = 'text' AND state IN ('done', 'skipped')")).toBe(textDone);

        // Quantized (as a large index is): the bit first pass and the int8 rescoring rank the same.
        expect(await backend.get<VectorIndexRepository>(VectorIndexRepository).quantize(vectorIndexName('visual', 'test-colour/b'))).toBe(assets);
        const quantized = await search({ text: '빨간', weights: { M: 0 } });
        expect(topTwo(quantized)).toEqual(redIds());
        expect(quantized.hits[2].assetId).toBe(assetOf('pic-07.png'));
    });

    it('embeds the captions again when they are written anew: red pictures re-captioned as a dog are found by "puppy" through M', async () => {
        const original = COLOUR_CAPTIONS.red;
        const documents = counts.documents;
        COLOUR_CAPTIONS.red = { en: 'A dog asleep on a sofa', ko: '소파에서 자는 강아지' };
        try {
            await pipelineOf(backend).rerun(PhaseIds.CAPTION, redIds());
            await settled(PhaseIds.CAPTION);
            await settled(PhaseIds.TEXT);
            // The two red pictures' captions changed: their caption embeddings were made again, the others' kept.
            expect(counts.documents).toBe(documents + 2);
            const puppy = await search({ text: 'puppy', weights: { S: 0, V: 0 } });
            expect(puppy.hits.filter(hit => hit.axes.M && hit.axes.M.rank <= 4).map(hit => hit.assetId)).toEqual(expect.arrayContaining(redIds()));
            const kitten = await search({ text: 'kitten', weights: { S: 0, V: 0 } });
            expect(kitten.hits.filter(hit => hit.axes.M && hit.axes.M.rank <= 2).map(hit => hit.assetId)).not.toEqual(expect.arrayContaining(redIds()));
        } finally {
            COLOUR_CAPTIONS.red = original;
        }
    });
});

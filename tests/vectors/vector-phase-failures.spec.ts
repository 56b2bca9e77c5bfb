import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { Container } from '@theia/core/shared/inversify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClaimedJob, PhaseIds } from '../../extensions/archive-core/src/common/job-protocol';
import { AiModels } from '../../extensions/archive-core/src/node/inference/ai-models';
import { bindInference } from '../../extensions/archive-core/src/node/inference/inference-bindings';
import { ModelManager } from '../../extensions/archive-core/src/node/inference/model-manager';
import { OCR_ENVIRONMENT_VARIABLE } from '../../extensions/archive-core/src/node/inference/ocr/ocr-phase-contribution';
import { TextPhaseContribution } from '../../extensions/archive-core/src/node/inference/text/text-phase-contribution';
import { VisualPhaseContribution } from '../../extensions/archive-core/src/node/inference/visual/visual-phase-contribution';
import { PhaseContribution, PhaseOutput } from '../../extensions/archive-core/src/node/jobs/phase-contribution';
import { ArchiveStore } from '../../extensions/archive-core/src/node/store/archive-store';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import {
    ColourImageEmbedderProvider, EmbedCounts, SynonymTextEmbedderProvider, writeTestModelFolder
} from '../../extensions/archive-core/src/node/test/colour-embedders';
import { bindTestAiModels, TestAiSettings } from '../../extensions/archive-core/src/node/test/test-ai-models';
import { ingest } from '../phases/phase-test-archive';

/**
 * The visual and text phases on what goes wrong, on a real archive, jobs
 * worked as the pipeline works them (process, then store in a write
 * transaction): each bad asset gets its own clear failure, the others their
 * vectors, and what may pass (a model that did not load, a model changed
 * meanwhile) comes back instead of failing for good.
 */
describe('the vector phases when things go wrong', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let art: string;
    let container: Container;
    let settings: TestAiSettings;
    let visual: VisualPhaseContribution;
    const counts: EmbedCounts = { images: 0, imageTexts: 0, documents: 0, queries: 0, loads: 0 };
    const folders: Record<string, string> = {};
    let ocrSetting: string | undefined;

    beforeAll(async () => {
        ocrSetting = process.env[OCR_ENVIRONMENT_VARIABLE];
        process.env[OCR_ENVIRONMENT_VARIABLE] = 'off';
        temp = makeTempFolder('imageparser-vector-failures-');
        art = path.join(temp.folder, 'art');
        fs.mkdirSync(art);
        const colours: Record<string, [number, number, number]> = { 'one.png': [220, 30, 30], 'two.png': [128, 128, 128], 'three.png': [30, 60, 220] };
        for (const [name, [r, g, b]] of Object.entries(colours)) {
            fs.writeFileSync(path.join(art, name), await sharp({ create: { width: 64, height: 48, channels: 3, background: { r, g, b } } }).png().toBuffer());
        }
        for (const name of ['a', 'nan', 'broken', 'synonyms']) {
            folders[name] = writeTestModelFolder(path.join(temp.folder, 'models'), name);
        }
        container = createArchiveTestContainer(path.join(temp.folder, 'archive'), { threads: 1 });
        bindInference(container.bind.bind(container));
        settings = bindTestAiModels(container, { image: [new ColourImageEmbedderProvider(counts)], text: [new SynonymTextEmbedderProvider(counts)] });
        visual = container.get(VisualPhaseContribution);
        await ingest(container, art);
    }, 60_000);

    afterAll(async () => {
        if (container) {
            await disposeArchiveTestContainer(container);
            await container.get<ModelManager>(ModelManager).dispose();
        }
        temp?.remove();
        if (ocrSetting === undefined) {
            delete process.env[OCR_ENVIRONMENT_VARIABLE];
        } else {
            process.env[OCR_ENVIRONMENT_VARIABLE] = ocrSetting;
        }
    });

    async function useImageModel(name: string | undefined): Promise<void> {
        settings.setVisual(name ? { provider: 'test-colour', modelPath: folders[name] } : undefined);
        await container.get<AiModels>(AiModels).refresh();
    }

    async function jobsFor(names: readonly string[], model: string): Promise<ClaimedJob[]> {
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        return names.map((name, i) => {
            const row = database.reader.prepare('SELECT a.id, a.content_hash FROM files f JOIN assets a ON a.id = f.asset_id WHERE f.path = ?')
                .get(path.join(art, name)) as { id: number; content_hash: string };
            return { jobId: i + 1, assetId: row.id, phase: PhaseIds.VISUAL, model, contentHash: row.content_hash, leaseToken: `t${i}`, leaseExpiresAt: Date.now() + 60_000, attempt: 0 };
        });
    }

    /** Works the jobs as the pipeline does: process the batch, then store each done result in a write transaction. */
    async function work(phase: PhaseContribution, jobs: readonly ClaimedJob[]): Promise<PhaseOutput[]> {
        const outputs = await phase.process(jobs.map(job => ({ job, signal: new AbortController().signal })));
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        outputs.forEach((output, i) => {
            if (output.kind === 'done') {
                database.write(db => phase.store!(db, jobs[i], output.result));
            }
        });
        return outputs;
    }

    const kinds = (outputs: readonly PhaseOutput[]) => outputs.map(output => output.kind === 'failed' ? `${output.error.code}${output.retryable ? ' (retry)' : ''}` : output.kind);

    it('stays off and claims nothing while no image or text model is configured', () => {
        expect(visual.isEnabled()).toBe(false);
        expect(visual.model).toBeUndefined();
        expect(visual.health()).toEqual({ state: 'not-configured' });
        expect(container.get(TextPhaseContribution).isEnabled()).toBe(false);
    });

    it('fails an image whose preview is gone for good and a vector the model got wrong, and stores the others', async () => {
        await useImageModel('nan');
        expect(visual.isEnabled()).toBe(true);
        expect(visual.model?.id).toBe('test-colour/nan');
        const jobs = await jobsFor(['one.png', 'two.png', 'three.png'], 'test-colour/nan');
        const { database, media } = await container.get<ArchiveStore>(ArchiveStore).open();
        const preview = database.reader.prepare('SELECT coalesce(preview_hash, thumbnail_hash) FROM assets WHERE id = ?').pluck().get(jobs[2].assetId) as string;
        fs.rmSync(media.pathOf(preview));

        const outputs = await work(visual, jobs);
        expect(kinds(outputs)).toEqual(['done', 'bad-vector', 'missing']);
        expect(outputs[2]).toMatchObject({ error: { message: expect.stringContaining('no stored preview') } });
        expect(database.reader.prepare('SELECT asset_id FROM vec_visual_test_colour_nan').pluck().all().map(Number)).toEqual([jobs[0].assetId]);
    });

    it('hands back, to be tried again, every job of a model that does not load or of a model no longer configured', async () => {
        await useImageModel('broken');
        expect(visual.model?.id).toBe('test-colour/broken');
        const outputs = await work(visual, await jobsFor(['one.png', 'two.png'], 'test-colour/broken'));
        expect(kinds(outputs)).toEqual(['model-load-failed (retry)', 'model-load-failed (retry)']);
        expect(outputs[0]).toMatchObject({ error: { message: expect.stringContaining('cannot be loaded') } });

        await useImageModel('a');
        const mixed = await work(visual, [...await jobsFor(['one.png'], 'test-colour/broken'), ...await jobsFor(['two.png'], 'test-colour/a')]);
        expect(kinds(mixed)).toEqual(['model-changed (retry)', 'done']);
    });

    it('waits for OCR too and keys its results apart when the text phase includes OCR text', async () => {
        const text = container.get(TextPhaseContribution);
        settings.setText({ provider: 'test-synonyms', modelPath: folders.synonyms, includeOcr: false });
        await container.get<AiModels>(AiModels).refresh();
        expect(text.isEnabled()).toBe(true);
        expect(text.needs).toEqual([PhaseIds.CAPTION]);
        const captionsOnly = text.configVersion;
        settings.setText({ provider: 'test-synonyms', modelPath: folders.synonyms, includeOcr: true });
        expect(text.needs).toEqual([PhaseIds.CAPTION, PhaseIds.OCR]);
        expect(text.configVersion).not.toBe(captionsOnly);
    });

    it('refuses to store a result that is not a vector of the job\'s model', async () => {
        const [job] = await jobsFor(['one.png'], 'test-colour/a');
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        expect(() => database.write(db => visual.store(db, job, { model: 'test-colour/a', dimensions: 16, vector: 'AAAA' }))).toThrow(/not one the phase writes/);
        expect(() => database.write(db => visual.store(db, job, { model: 'other', dimensions: 1, vector: 'AACAPw==' }))).toThrow(/made by other/);
    });
});

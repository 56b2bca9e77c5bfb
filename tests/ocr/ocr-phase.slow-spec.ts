import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { AddressInfo } from 'net';
import sharp from 'sharp';
import { Layer, writePsdBuffer } from 'ag-psd';
import { createWorker } from 'tesseract.js';
import { Container } from '@theia/core/shared/inversify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClaimedJob, PhaseIds } from '../../extensions/archive-core/src/common/job-protocol';
import { SearchService } from '../../extensions/archive-core/src/common/search-protocol';
import { ArchiveIngester } from '../../extensions/archive-core/src/node/ingest/archive-ingester';
import { bindInference } from '../../extensions/archive-core/src/node/inference/inference-bindings';
import { ModelManager } from '../../extensions/archive-core/src/node/inference/model-manager';
import { OcrEngine } from '../../extensions/archive-core/src/node/inference/ocr/ocr-engine';
import { OCR_NETWORK_REFUSAL, tessdataFolder } from '../../extensions/archive-core/src/node/inference/ocr/ocr-language-data';
import { OcrPhaseContribution } from '../../extensions/archive-core/src/node/inference/ocr/ocr-phase-contribution';
import { TesseractOcrEngine } from '../../extensions/archive-core/src/node/inference/ocr/tesseract-ocr-engine';
import { TesseractWorkers, tesseractWorkerOptions } from '../../extensions/archive-core/src/node/inference/ocr/tesseract-workers';
import { PhaseContribution, PhaseOutput } from '../../extensions/archive-core/src/node/jobs/phase-contribution';
import { ArchiveStore } from '../../extensions/archive-core/src/node/store/archive-store';
import { OcrTextRepository } from '../../extensions/archive-core/src/node/store/ocr-text-repository';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { assertTestFonts } from './ocr-text-images';

/** The engine with a hook on each loaded model instance, so a test can kill its threads as a crash would. */
class ObservedOcrEngine extends TesseractOcrEngine {
    loads: TesseractWorkers[] = [];
    onLoad: (workers: TesseractWorkers) => void = () => undefined;

    protected override async loadWorkers(): Promise<TesseractWorkers> {
        const workers = await super.loadWorkers();
        this.loads.push(workers);
        this.onLoad(workers);
        return workers;
    }
}

/** Dark text lines on white, drawn with Noto Sans CJK. */
async function textPng(lines: readonly string[], width = 1024, size = 48): Promise<Buffer> {
    const height = size * 2 + lines.length * size * 1.6;
    const text = lines.map((line, i) => `<text x="${size}" y="${size * 1.8 + i * size * 1.6}" font-family="Noto Sans CJK KR" font-size="${size}" fill="#111">${line}</text>`).join('');
    return sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fff"/>${text}</svg>`)).png().toBuffer();
}

/** A PSD whose composite shows two lines; the first is also a text layer's text. */
async function psdWithTextLayer(file: string, layerText: string, pixelsOnly: string): Promise<void> {
    const { data, info } = await sharp(await textPng([layerText, pixelsOnly])).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const imageData = { width: info.width, height: info.height, data: new Uint8ClampedArray(data), colorSpace: 'srgb' } as unknown as ImageData;
    const text: Layer = {
        name: 'title', left: 40, top: 40, right: 600, bottom: 110, imageData: { width: 560, height: 70, data: new Uint8ClampedArray(560 * 70 * 4), colorSpace: 'srgb' } as unknown as ImageData,
        text: { text: layerText, transform: [1, 0, 0, 1, 48, 86], style: { font: { name: 'NotoSansCJKkr-Regular' }, fontSize: 48 } }
    };
    fs.writeFileSync(file, writePsdBuffer({ width: info.width, height: info.height, imageData, children: [{ name: 'background', imageData }, text] }, { invalidateTextLayers: false }));
}

describe('the OCR phase on a real archive', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let art: string;
    let container: Container;
    let engine: ObservedOcrEngine;
    let phase: OcrPhaseContribution;

    beforeAll(async () => {
        assertTestFonts();
        temp = makeTempFolder('imageparser-ocr-phase-');
        art = path.join(temp.folder, 'art');
        fs.mkdirSync(art);
        fs.writeFileSync(path.join(art, 'scan-001.png'), await textPng(['해바라기 들판에서', 'Summer festival']));
        fs.writeFileSync(path.join(art, 'scan-002.png'), await textPng(['푸른 바다 전망대']));
        await psdWithTextLayer(path.join(art, 'cover.psd'), '레이어 제목 문장', '그림 속 해돋이 글자');
        for (let i = 0; i < 4; i++) {
            fs.writeFileSync(path.join(art, `page-${i}.png`), await textPng([`페이지 ${i} 안내문`]));
        }
        fs.writeFileSync(path.join(art, 'later-broken.png'), await textPng(['곧 망가질 파일']));

        container = createArchiveTestContainer(path.join(temp.folder, 'archive'));
        bindInference(container.bind.bind(container));
        container.rebind(TesseractOcrEngine).to(ObservedOcrEngine).inSingletonScope();
        engine = container.get(TesseractOcrEngine) as ObservedOcrEngine;
        phase = container.get(OcrPhaseContribution);
        const ingester = container.get<ArchiveIngester>(ArchiveIngester);
        await ingester.finished(await ingester.start(art));
    }, 180_000);

    afterAll(async () => {
        await container?.get<OcrEngine>(OcrEngine).dispose();
        if (container) {
            await disposeArchiveTestContainer(container);
        }
        temp?.remove();
    });

    async function assetOf(name: string): Promise<number> {
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        return database.reader.prepare('SELECT asset_id FROM files WHERE path = ?').pluck().get(path.join(art, name)) as number;
    }

    async function jobFor(name: string, attempt = 0): Promise<ClaimedJob> {
        const assetId = await assetOf(name);
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        const contentHash = database.reader.prepare('SELECT content_hash FROM assets WHERE id = ?').pluck().get(assetId) as string;
        return { jobId: assetId, assetId, phase: PhaseIds.OCR, model: phase.model.id, contentHash, leaseToken: `lease-${assetId}-${attempt}`, leaseExpiresAt: Date.now() + 60_000, attempt };
    }

    /** Runs the phase as the pipeline does: process a batch, then store each done result in a write transaction. */
    async function runPhase(names: readonly string[]): Promise<PhaseOutput[]> {
        const jobs = await Promise.all(names.map(name => jobFor(name)));
        const outputs = await phase.process(jobs.map(job => ({ job, signal: new AbortController().signal })));
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        outputs.forEach((output, i) => {
            if (output.kind === 'done') {
                database.write(db => phase.store(db, jobs[i], output.result));
            }
        });
        return outputs;
    }

    it('is a phase after parse, with the Tesseract model, enabled because the language data is installed', () => {
        const contributed = container.getAll<PhaseContribution>(PhaseContribution);
        expect(contributed).toContain(phase);
        expect(phase.id).toBe('ocr');
        expect(phase.needs).toEqual(['parse']);
        expect(phase.model.id).toBe('tesseract-5/kor+eng');
        expect(phase.model.isAvailable()).toBe(true);
        expect(phase.isEnabled()).toBe(true);
        expect(container.get<ModelManager>(ModelManager).state(phase.model.id)).toBe('unloaded');
        // The command-line tool has no preferences: IMAGEPARSER_OCR=off turns the phase off there.
        process.env.IMAGEPARSER_OCR = 'off';
        try {
            expect(phase.isEnabled()).toBe(false);
        } finally {
            delete process.env.IMAGEPARSER_OCR;
        }
        expect(phase.isEnabled()).toBe(true);
    });

    it('finds a Korean word that appears only inside an image, saying it matched in the text in the image', async () => {
        const outputs = await runPhase(['scan-001.png', 'scan-002.png']);
        expect(outputs.map(output => output.kind)).toEqual(['done', 'done']);
        expect(engine.state).toBe('loaded');
        // What the Phases view shows as the model's state while OCR works (it said "unloaded" before).
        expect(phase.model.state?.()).toBe('loaded');
        const search = container.get<SearchService>(SearchService);
        const scan = await assetOf('scan-001.png');
        for (const text of ['해바라기', 'ocr:해바라기', 'festival', '바다']) {
            const hits = (await search.search({ text, limit: 10 })).hits;
            const expected = text === '바다' ? await assetOf('scan-002.png') : scan;
            expect(hits.map(hit => hit.assetId), text).toEqual([expected]);
            expect(hits[0].reason.fields, text).toEqual(['ocr']);
            expect(hits[0].reason.snippet, text).toContain('«');
        }
        expect((await search.search({ text: 'text:해바라기', limit: 10 })).hits).toEqual([]);
        // Storing the same result again (a retried completion) changes nothing.
        const before = await container.get<OcrTextRepository>(OcrTextRepository).text(scan);
        await runPhase(['scan-001.png']);
        expect(await container.get<OcrTextRepository>(OcrTextRepository).text(scan)).toEqual(before);
    }, 90_000);

    it('does not index a PSD text layer twice: the lines its text layers hold are dropped, the pixels-only text stays', async () => {
        const [output] = await runPhase(['cover.psd']);
        expect(output.kind).toBe('done');
        const text = await container.get<OcrTextRepository>(OcrTextRepository).text(await assetOf('cover.psd'));
        expect(text?.droppedLayerLines).toBe(1);
        expect(text?.text).toContain('해돋이');
        expect(text?.text).not.toContain('제목');
        const hits = (await container.get<SearchService>(SearchService).search({ text: '제목', limit: 10 })).hits;
        expect(hits.map(hit => hit.reason.fields)).toEqual([['text']]);
    }, 90_000);

    it('ends a corrupt image as that asset\'s failure with a code, and reads the others of its batch', async () => {
        fs.writeFileSync(path.join(art, 'later-broken.png'), Buffer.concat([fs.readFileSync(path.join(art, 'later-broken.png')).subarray(0, 120), Buffer.alloc(500, 7)]));
        const outputs = await runPhase(['later-broken.png', 'page-0.png']);
        expect(outputs[0]).toMatchObject({ kind: 'failed', retryable: false, error: { code: 'corrupt' } });
        expect(outputs[1].kind).toBe('done');
    }, 90_000);

    it('survives its OCR thread killed mid-batch: the batch is retried on a reloaded model and every job ends done', async () => {
        await engine.dispose();
        const loadsBefore = engine.loads.length;
        let killed = false;
        engine.onLoad = workers => {
            if (!killed) {
                killed = true;
                // Killed as soon as the images are handed over: the first recognitions are in flight on it.
                setImmediate(() => workers.threads[0].terminate());
            }
        };
        const outputs = await runPhase(['page-0.png', 'page-1.png', 'page-2.png', 'page-3.png']);
        expect(killed).toBe(true);
        expect(outputs.map(output => output.kind)).toEqual(['done', 'done', 'done', 'done']);
        expect(engine.loads.length).toBeGreaterThanOrEqual(loadsBefore + 2);
        const text = await container.get<OcrTextRepository>(OcrTextRepository).text(await assetOf('page-3.png'));
        expect(text?.text).toContain('안내문');
    }, 90_000);

    it('hands a job back as a retryable failure when its thread dies every time, and keeps working afterwards', async () => {
        await engine.dispose();
        engine.onLoad = workers => setImmediate(() => workers.threads.forEach(thread => thread.terminate()));
        const outputs = await runPhase(['page-1.png', 'page-2.png']);
        for (const output of outputs) {
            expect(output).toMatchObject({ kind: 'failed', retryable: true, error: { code: 'worker-crashed' } });
        }
        engine.onLoad = () => undefined;
        expect((await runPhase(['page-1.png'])).map(output => output.kind)).toEqual(['done']);
    }, 90_000);

    it('reads a 300-megapixel image scaled down to the OCR pixel cap, as a clear per-asset result', async () => {
        const file = path.join(art, 'huge.png');
        const banner = await textPng(['거대한 현수막 글씨'], 4000, 180);
        await sharp({ create: { width: 20_000, height: 15_000, channels: 3, background: '#ffffff' }, limitInputPixels: false })
            .composite([{ input: banner, top: 7000, left: 8000 }]).png({ compressionLevel: 1 }).toFile(file);
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        database.write(db => {
            const now = new Date().toISOString();
            const asset = db.prepare(`INSERT INTO assets (content_hash, kind, width, height, layer_count, rating, registered_at) VALUES (?, 'png', 20000, 15000, 0, 0, ?)`)
                .run('f'.repeat(64), now).lastInsertRowid;
            db.prepare(`INSERT INTO files (path, size, mtime_ms, content_hash, asset_id, state, updated_at) VALUES (?, ?, 0, ?, ?, 'indexed', ?)`)
                .run(file, fs.statSync(file).size, 'f'.repeat(64), asset, now);
        });
        const [output] = await runPhase(['huge.png']);
        expect(output.kind).toBe('done');
        const text = await container.get<OcrTextRepository>(OcrTextRepository).text(await assetOf('huge.png'));
        expect(text!.readWidth! * text!.readHeight!).toBeLessThanOrEqual(16_000_000);
        expect(text!.readWidth).toBeLessThan(20_000);
        expect(text!.text).toContain('현수막');
    }, 120_000);

    it('reads the language data from the system tessdata folder and never reaches the network', async () => {
        const options = tesseractWorkerOptions(tessdataFolder(), () => undefined);
        expect(options).toMatchObject({ langPath: '/usr/share/tesseract-ocr/5/tessdata', gzip: false, cacheMethod: 'none' });
        expect(fs.existsSync(path.join(process.cwd(), 'kor.traineddata'))).toBe(false);

        // Pointed at a server, the OCR thread refuses to ask it for anything.
        let requests = 0;
        const server = http.createServer((_, response) => {
            requests++;
            response.end();
        });
        await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
        try {
            const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tessdata`;
            let failure = '';
            const loading = createWorker(['kor'], 1, tesseractWorkerOptions(url, error => failure = String(error)));
            loading.catch(() => undefined);
            await expect.poll(() => failure).toContain(OCR_NETWORK_REFUSAL);
            expect(requests).toBe(0);
        } finally {
            server.close();
        }
    });
});

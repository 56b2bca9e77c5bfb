/**
 * The caption section of `npm run bench:phases`: caption jobs per second
 * through the real caption phase (the embedded queue, the pipeline's worker,
 * the stored previews, the OpenAI-compatible captioner and the store's
 * commit, on a real archive) against the local test endpoint answering after
 * a fixed delay, at concurrency 1 and 4, next to the endpoint's own limit in
 * the same run: min(concurrency, its slots) / delay, and what a bare HTTP
 * client sending the same requests gets from it. Target: ours within 5 % of
 * the limit (ratio >= 0.95).
 *
 * Alone: `bash bench/run.sh phases-caption-section [--images <n>] [--delay <ms>] [--data <folder>]`.
 */
import * as fs from 'fs';
import * as path from 'path';
import 'reflect-metadata';
import sharp from 'sharp';
import { Container } from '@theia/core/shared/inversify';
import { Emitter } from '@theia/core/lib/common/event';
import { ILogger } from '@theia/core/lib/common/logger';
import { MockLogger } from '@theia/core/lib/common/test/mock-logger';
import { bindRootContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { ConnectionContainerModule } from '@theia/core/lib/node/messaging/connection-container-module';
import type { AiRole } from '@imageparser/archive-core/lib/common/ai-protocol';
import { AiImageSource } from '@imageparser/archive-core/lib/node/inference/ai-image';
import { AiModels } from '@imageparser/archive-core/lib/node/inference/ai-models';
import { AiSettings, CaptionSettings } from '@imageparser/archive-core/lib/node/inference/ai-settings';
import { bindCaptionPhase } from '@imageparser/archive-core/lib/node/inference/caption/caption-bindings';
import { CAPTION_IMAGE_EDGE } from '@imageparser/archive-core/lib/node/inference/caption/caption-phase-contribution';
import type { Captioner } from '@imageparser/archive-core/lib/node/inference/captioner';
import { OpenAiCaptioner } from '@imageparser/archive-core/lib/node/inference/openai/openai-captioner';
import { PreviewImageSource } from '@imageparser/archive-core/lib/node/inference/preview-image-source';
import { ArchiveIngester, DefaultArchiveIngester } from '@imageparser/archive-core/lib/node/ingest/archive-ingester';
import { bindIngest } from '@imageparser/archive-core/lib/node/ingest/ingest-bindings';
import { bindAnnotations } from '@imageparser/archive-core/lib/node/annotation-bindings';
import { bindAssetMedia } from '@imageparser/archive-core/lib/node/media/asset-media-bindings';
import { bindSearch } from '@imageparser/archive-core/lib/node/search/search-bindings';
import { bindCurrentUser } from '@imageparser/archive-core/lib/node/user/user-bindings';
import { DefaultPhasePipeline, PhasePipelineOptions } from '@imageparser/archive-core/lib/node/jobs/default-phase-pipeline';
import { bindPhasePipeline } from '@imageparser/archive-core/lib/node/jobs/phase-bindings';
import { ArchiveStore } from '@imageparser/archive-core/lib/node/store/archive-store';
import { bindArchiveStore } from '@imageparser/archive-core/lib/node/store/store-bindings';
import { OpenAiTestServer } from '../extensions/archive-core/src/node/test/openai-test-server';

export interface CaptionBenchOptions {
    /** Images captioned in each run (default 96). */
    readonly images: number;
    /** The endpoint's fixed time per request, in ms (default 200). */
    readonly delayMs: number;
    /** Requests the endpoint works at once; more wait for a slot (default 4). */
    readonly endpointSlots: number;
    /** The captioner's concurrency settings measured (default 1 and 4). */
    readonly concurrencies: readonly number[];
    /** Where the generated images are kept between runs. */
    readonly data: string;
    readonly log: (line: string) => void;
}

/** One concurrency's figures. */
export interface CaptionBenchRun {
    readonly concurrency: number;
    readonly images: number;
    /** Through the phase: seconds from the pipeline's start to the last caption committed. */
    readonly phaseSeconds: number;
    /** The same requests from a bare HTTP client at the same concurrency. */
    readonly bareSeconds: number;
    /** The endpoint's limit in jobs/s: min(concurrency, slots) / delay. */
    readonly limitPerSecond: number;
    /** Ours / the limit; the target is at least 0.95. */
    readonly ratio: number;
}

/** Runs the section: one archive and one endpoint per concurrency, the images indexed first (not timed). */
export async function runCaptionBenchSection(options: Partial<CaptionBenchOptions> = {}): Promise<CaptionBenchRun[]> {
    const root = path.resolve(__dirname, '..', '..', '..');
    const {
        images: count = 96, delayMs = 200, endpointSlots = 4, concurrencies = [1, 4],
        data = path.join(root, '.bench-data'), log = console.log
    } = options;
    const folder = path.join(data, `caption-${count}`);
    const images = path.join(folder, 'images');
    await ensureImages(images, count);
    log(`Captions: ${count} images, endpoint delay ${delayMs} ms, ${endpointSlots} slots`);
    const runs: CaptionBenchRun[] = [];
    for (const concurrency of concurrencies) {
        const server = await new OpenAiTestServer().start();
        server.delayMs = delayMs;
        server.concurrencyLimit = endpointSlots;
        try {
            const archive = path.join(folder, `archive-${process.pid}-${concurrency}`);
            const phaseSeconds = await runPhase(images, archive, server, concurrency, count);
            const bareSeconds = await runBare(archive, server, concurrency, count);
            fs.rmSync(archive, { recursive: true, force: true });
            const limitPerSecond = Math.min(concurrency, endpointSlots) / (delayMs / 1000);
            const run = { concurrency, images: count, phaseSeconds, bareSeconds, limitPerSecond, ratio: (count / phaseSeconds) / limitPerSecond };
            log(`Captions at concurrency ${concurrency}: phase ${(count / phaseSeconds).toFixed(2)} jobs/s, bare client ${(count / bareSeconds).toFixed(2)} jobs/s, `
                + `endpoint limit ${limitPerSecond.toFixed(2)} jobs/s: ${(run.ratio * 100).toFixed(1)} % of the limit (target >= 95 %)`);
            runs.push(run);
        } finally {
            await server.stop();
        }
    }
    return runs;
}

/** Flat colour images with a seeded speck each (so each is its own asset), 768 px, as PNG. */
async function ensureImages(folder: string, count: number): Promise<void> {
    fs.mkdirSync(folder, { recursive: true });
    for (let i = 0; i < count; i++) {
        const file = path.join(folder, `colour-${String(i).padStart(4, '0')}.png`);
        if (!fs.existsSync(file)) {
            const hue = (i * 47) % 360;
            const [r, g, b] = [0, 120, 240].map(offset => Math.round(127 + 120 * Math.cos((hue - offset) * Math.PI / 180)));
            const speck = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: i % 256, g: (i >> 8) % 256, b: 0 } } }).png().toBuffer();
            await sharp({ create: { width: 768, height: 512, channels: 3, background: { r, g, b } } })
                .composite([{ input: speck, left: 0, top: 0 }]).png().toFile(file);
        }
    }
}

/** The archive's services as the backend binds them, with the caption phase on the test endpoint. */
function captionContainer(archive: string, settings: CaptionSettings): Container {
    const container = new Container();
    const bind = container.bind.bind(container);
    container.bind(ILogger).to(MockLogger).inSingletonScope();
    bindRootContributionProvider(bind, ConnectionContainerModule);
    bindCurrentUser(bind);
    bindArchiveStore(bind, { location: { folder: archive, source: 'environment' } });
    bindIngest(bind, { parsePool: { threads: 2 } });
    bindSearch(bind);
    bindAssetMedia(bind);
    bindAnnotations(bind);
    bindPhasePipeline(bind);
    container.bind(PhasePipelineOptions).toConstantValue({ idleMs: 20, heartbeatMs: 5_000 });
    container.bind(AiSettings).toConstantValue(new BenchAiSettings(settings));
    container.bind(AiModels).toConstantValue(new BenchAiModels(settings));
    container.bind(PreviewImageSource).toSelf().inSingletonScope();
    container.bind(AiImageSource).toService(PreviewImageSource);
    bindCaptionPhase(bind);
    return container;
}

async function runPhase(images: string, archive: string, server: OpenAiTestServer, concurrency: number, count: number): Promise<number> {
    fs.rmSync(archive, { recursive: true, force: true });
    const settings: CaptionSettings = {
        provider: 'openai-compatible', endpoint: server.endpoint, model: 'test-vlm', language: 'en', timeoutMs: 30_000, concurrency
    };
    const container = captionContainer(archive, settings);
    try {
        const ingester = container.get<ArchiveIngester>(ArchiveIngester);
        await ingester.finished(await ingester.start(images));
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        const done = database.reader.prepare("SELECT count(*) FROM phase_states WHERE phase = 'caption' AND state = 'done'").pluck();
        const started = process.hrtime.bigint();
        container.get(DefaultPhasePipeline).start();
        while ((done.get() as number) < count) {
            await new Promise(resolve => setTimeout(resolve, 2));
        }
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        if (server.requests !== count || server.peakConcurrency > concurrency) {
            throw new Error(`The caption bench sent ${server.requests} requests for ${count} images, at most ${server.peakConcurrency} at once for a concurrency of ${concurrency}.`);
        }
        return seconds;
    } finally {
        await container.get(DefaultPhasePipeline).stop();
        await container.get(DefaultArchiveIngester).onStop();
        container.get<ArchiveStore>(ArchiveStore).close();
    }
}

/** The same images' requests from a bare captioner at the same concurrency (no queue, no store): what the endpoint gives a client. */
async function runBare(archive: string, server: OpenAiTestServer, concurrency: number, count: number): Promise<number> {
    const container = new Container();
    container.bind(ILogger).to(MockLogger).inSingletonScope();
    bindArchiveStore(container.bind.bind(container), { location: { folder: archive, source: 'environment' } });
    container.bind(PreviewImageSource).toSelf().inSingletonScope();
    const captioner = new OpenAiCaptioner({ provider: 'openai-compatible', endpoint: server.endpoint, model: 'test-vlm', language: 'en', timeoutMs: 30_000, concurrency });
    try {
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        const ids = database.reader.prepare('SELECT id FROM assets ORDER BY id').pluck().all() as number[];
        const source = container.get(PreviewImageSource);
        const prepared = await Promise.all(ids.map(id => source.image(id, CAPTION_IMAGE_EDGE)));
        const started = process.hrtime.bigint();
        let next = 0;
        await Promise.all(Array.from({ length: concurrency }, async () => {
            while (next < prepared.length) {
                const image = prepared[next++];
                if (image) {
                    await captioner.caption({ image, languages: ['en'] });
                }
            }
        }));
        if (prepared.length !== count) {
            throw new Error(`The bare caption run found ${prepared.length} assets, not ${count}.`);
        }
        return Number(process.hrtime.bigint() - started) / 1e9;
    } finally {
        captioner.dispose();
        container.get<ArchiveStore>(ArchiveStore).close();
    }
}

class BenchAiSettings implements AiSettings {
    readonly onDidChange = new Emitter<AiRole>().event;
    constructor(protected readonly settings: CaptionSettings) { }
    caption(): CaptionSettings {
        return this.settings;
    }
    visual(): undefined {
        return undefined;
    }
    text(): undefined {
        return undefined;
    }
    memoryBudgetBytes(): number {
        return 0;
    }
}

/** The AI models of the bench: the captioner on the test endpoint, nothing else. */
class BenchAiModels implements AiModels {
    readonly onDidChange = new Emitter<AiRole>().event;
    protected readonly captionerOf: Captioner;
    constructor(settings: CaptionSettings) {
        this.captionerOf = new OpenAiCaptioner(settings);
    }
    captioner(): Captioner {
        return this.captionerOf;
    }
    visual(): undefined {
        return undefined;
    }
    text(): undefined {
        return undefined;
    }
    health(role: AiRole): ReturnType<AiModels['health']> {
        return role === 'caption' ? this.captionerOf.health() : { state: 'not-configured' };
    }
    async status(): Promise<[]> {
        return [];
    }
    async refresh(): Promise<void> { }
}

function parseOptions(args: readonly string[]): Partial<CaptionBenchOptions> {
    const options: { images?: number; delayMs?: number; data?: string } = {};
    for (let i = 0; i < args.length; i += 2) {
        switch (args[i]) {
            case '--images': options.images = Number(args[i + 1]); break;
            case '--delay': options.delayMs = Number(args[i + 1]); break;
            case '--data': options.data = path.resolve(args[i + 1]); break;
            default: throw new Error(`phases-caption-section: unknown option ${args[i]}`);
        }
    }
    return options;
}

if (require.main === module) {
    runCaptionBenchSection(parseOptions(process.argv.slice(2))).then(() => process.exit(0), error => {
        console.error(error instanceof Error ? error.stack : error);
        process.exit(1);
    });
}

/**
 * The OCR section of `npm run bench:phases`: images per second read through
 * the OCR phase (its processor and store, on a real archive, Tesseract
 * threads one per core) against Debian's `tesseract` command line on the
 * same images in the same run (one process per core, each reading its share
 * of the images from a list with the model loaded once, OpenMP off so each
 * uses one core), printed as a ratio. Both read Korean and English from the
 * same system tessdata as one block of text (`--psm 6`).
 *
 * Alone: `bash bench/run.sh ocr-bench-section [--images <n>] [--threads <n>] [--data <folder>]`.
 */
import * as cp from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import 'reflect-metadata';
import { Container } from '@theia/core/shared/inversify';
import { ILogger } from '@theia/core/lib/common/logger';
import { MockLogger } from '@theia/core/lib/common/test/mock-logger';
import { PhaseIds } from '@imageparser/archive-core/lib/common/job-protocol';
import { bindInference } from '@imageparser/archive-core/lib/node/inference/inference-bindings';
import { OcrEngine } from '@imageparser/archive-core/lib/node/inference/ocr/ocr-engine';
import { OCR_THREADS_ENV } from '@imageparser/archive-core/lib/node/inference/ocr/tesseract-ocr-engine';
import { OcrPhaseContribution } from '@imageparser/archive-core/lib/node/inference/ocr/ocr-phase-contribution';
import { ArchiveStore } from '@imageparser/archive-core/lib/node/store/archive-store';
import { bindArchiveStore } from '@imageparser/archive-core/lib/node/store/store-bindings';
import { renderTextImage, textImageSet } from '../tests/ocr/ocr-text-images';

export interface OcrBenchOptions {
    /** Images read by each side (default 120, 1024 px wide, Korean, English and mixed text). */
    readonly images: number;
    /** Tesseract threads on our side, `tesseract` processes on the other (default: one per core). */
    readonly threads: number;
    /** Where the generated images and the archive are kept between runs. */
    readonly data: string;
    /** Where lines go (console.log by default). */
    readonly log: (line: string) => void;
}

export interface OcrBenchResult {
    readonly images: number;
    readonly threads: number;
    readonly oursSeconds: number;
    readonly oursImagesPerSecond: number;
    readonly cliSeconds: number;
    readonly cliImagesPerSecond: number;
    /** ours / command line; the target is at least 1. */
    readonly ratio: number;
}

/** Runs the section and prints its lines; the phases bench calls this, and so does running this file alone. */
export async function runOcrBenchSection(options: Partial<OcrBenchOptions> = {}): Promise<OcrBenchResult> {
    const root = path.resolve(__dirname, '..', '..', '..');
    const { images: count = 120, threads = os.availableParallelism(), data = path.join(root, '.bench-data'), log = console.log } = options;
    const folder = path.join(data, `ocr-${count}`);
    const files = await ensureImages(path.join(folder, 'images'), count);
    log(`OCR: ${files.length} images, ${threads} threads / processes`);

    const cliSeconds = await runCommandLine(files, threads, path.join(folder, 'lists'));
    const oursSeconds = await runPhase(path.join(folder, 'images'), path.join(folder, `archive-${process.pid}`), threads);
    const result: OcrBenchResult = {
        images: files.length, threads, oursSeconds, cliSeconds,
        oursImagesPerSecond: files.length / oursSeconds,
        cliImagesPerSecond: files.length / cliSeconds,
        ratio: cliSeconds / oursSeconds
    };
    log(`OCR through the phase:      ${result.oursImagesPerSecond.toFixed(2)} images/s (${oursSeconds.toFixed(1)} s)`);
    log(`OCR with tesseract (CLI):   ${result.cliImagesPerSecond.toFixed(2)} images/s (${cliSeconds.toFixed(1)} s)`);
    log(`OCR phase / tesseract CLI:  ${result.ratio.toFixed(2)}x (target >= 1.0x)`);
    return result;
}

async function ensureImages(folder: string, count: number): Promise<string[]> {
    fs.mkdirSync(folder, { recursive: true });
    const set = textImageSet();
    const files: string[] = [];
    for (let i = 0; i < count; i++) {
        const image = set[i % set.length];
        const file = path.join(folder, `${String(i).padStart(4, '0')}-${image.name}.${image.format === 'jpeg' ? 'jpg' : 'png'}`);
        if (!fs.existsSync(file)) {
            // The same text would make copies of one asset: each round's images differ by a line number.
            fs.writeFileSync(file, await renderTextImage({ ...image, lines: [...image.lines, `No. ${i}`] }));
        }
        files.push(file);
    }
    return files;
}

/** `tesseract` processes, one per thread, each given a list of its share of the images; wall time of them all. */
async function runCommandLine(files: readonly string[], processes: number, listFolder: string): Promise<number> {
    fs.mkdirSync(listFolder, { recursive: true });
    const lists = Array.from({ length: processes }, (_, p) => {
        const list = path.join(listFolder, `list-${p}.txt`);
        fs.writeFileSync(list, files.filter((_, i) => i % processes === p).join('\n') + '\n');
        return list;
    });
    const started = process.hrtime.bigint();
    await Promise.all(lists.map(list => new Promise<void>((resolve, reject) => {
        const child = cp.spawn('tesseract', [list, 'stdout', '-l', 'kor+eng', '--psm', '6'], {
            stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, OMP_THREAD_LIMIT: '1' }
        });
        let stderr = '';
        child.stderr.on('data', chunk => stderr += chunk);
        child.on('error', reject);
        child.on('exit', code => code === 0 ? resolve() : reject(new Error(`tesseract exited with ${code}: ${stderr.slice(-1000)}`)));
    })));
    return Number(process.hrtime.bigint() - started) / 1e9;
}

/**
 * The OCR phase as the pipeline runs it: the images indexed by the CLI (not timed), the
 * model loaded on a first image (not timed), then every asset's job
 * processed in batches by two claim loops, each done result stored in a
 * write transaction.
 */
async function runPhase(images: string, archive: string, threads: number): Promise<number> {
    process.env[OCR_THREADS_ENV] = String(threads);
    fs.rmSync(archive, { recursive: true, force: true });
    const cli = path.resolve(__dirname, '..', '..', '..', 'extensions/archive-core/lib/node/cli/imageparser.js');
    const indexed = cp.spawnSync(process.execPath, [cli, 'index', images, '--archive', archive, '--threads', String(threads)], { encoding: 'utf8' });
    if (indexed.status !== 0) {
        throw new Error(`Indexing the OCR bench images failed: ${indexed.stderr.slice(-2000)}`);
    }
    const container = new Container();
    container.bind(ILogger).to(MockLogger).inSingletonScope();
    bindArchiveStore(container.bind.bind(container), { location: { folder: archive, source: 'environment' } });
    bindInference(container.bind.bind(container));
    try {
        const phase = container.get(OcrPhaseContribution);
        const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
        const assets = database.reader.prepare('SELECT id, content_hash FROM assets ORDER BY id').all() as { id: number; content_hash: string }[];
        const jobs = assets.map((asset, i) => ({
            jobId: i + 1, assetId: asset.id, phase: PhaseIds.OCR, model: phase.model.id, contentHash: asset.content_hash,
            leaseToken: `bench-${i}`, leaseExpiresAt: Date.now() + 3_600_000, attempt: 0
        }));
        const signal = new AbortController().signal;
        await phase.process([{ job: jobs[0], signal }]);

        const started = process.hrtime.bigint();
        let next = 0;
        let failed = 0;
        const loop = async () => {
            while (next < jobs.length) {
                const batch = jobs.slice(next, next + threads);
                next += batch.length;
                const outputs = await phase.process(batch.map(job => ({ job, signal })));
                database.write(db => outputs.forEach((output, i) => output.kind === 'done' ? phase.store(db, batch[i], output.result) : failed++));
            }
        };
        await Promise.all([loop(), loop()]);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        if (failed) {
            throw new Error(`${failed} OCR jobs failed in the bench.`);
        }
        return seconds;
    } finally {
        await container.get<OcrEngine>(OcrEngine).dispose();
        container.get<ArchiveStore>(ArchiveStore).close();
        fs.rmSync(archive, { recursive: true, force: true });
    }
}

function parseOptions(args: readonly string[]): Partial<OcrBenchOptions> {
    const options: { images?: number; threads?: number; data?: string } = {};
    for (let i = 0; i < args.length; i += 2) {
        switch (args[i]) {
            case '--images': options.images = Number(args[i + 1]); break;
            case '--threads': options.threads = Number(args[i + 1]); break;
            case '--data': options.data = path.resolve(args[i + 1]); break;
            default: throw new Error(`ocr-bench-section: unknown option ${args[i]}`);
        }
    }
    return options;
}

if (require.main === module) {
    runOcrBenchSection(parseOptions(process.argv.slice(2))).then(() => process.exit(0), error => {
        console.error(error instanceof Error ? error.message : error);
        process.exit(1);
    });
}

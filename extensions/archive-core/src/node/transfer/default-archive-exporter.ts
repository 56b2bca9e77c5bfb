import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { inject, injectable, named } from '@theia/core/shared/inversify';
import { ILogger } from '@theia/core/lib/common/logger';
import { ExportOptions, ExportReport, ExportScope, TransferErrors } from '../../common/archive-transfer-protocol';
import { SearchService } from '../../common/search-protocol';
import { ArchiveExportRepository } from '../store/archive-export-repository';
import { ArchiveExportWriter, ExportSelection } from '../store/archive-export-writer';
import { MediaStore } from '../store/media-store';
import { ArchiveExporter, TransferProgressCallback } from './archive-exporter';
import { EXPORT_FORMAT, EXPORT_FORMAT_VERSION, ManifestKey } from './export-format';

/** Hits fetched per search page when a query scope is resolved. */
const QUERY_PAGE = 1000;
/** Media files read and written per turn of the event loop. */
const MEDIA_BATCH = 256;

/**
 * The exporter: resolves the scope, then has an {@link ArchiveExportWriter}
 * copy the chosen rows from one snapshot into `<file>.<random>.tmp` beside
 * the target, in batches (progress and cancel between them, the event loop
 * free), adds the media files, writes the manifest and renames the file into
 * place. A cancel, a failure or a refused rename deletes the temporary file.
 */
@injectable()
export class DefaultArchiveExporter implements ArchiveExporter {

    @inject(ArchiveExportRepository)
    protected readonly repository: ArchiveExportRepository;

    @inject(SearchService)
    protected readonly search: SearchService;

    @inject(ILogger) @named('archive-core:ArchiveExporter')
    protected readonly logger: ILogger;

    async export(options: ExportOptions, progress: TransferProgressCallback, signal: AbortSignal): Promise<ExportReport> {
        const started = performance.now();
        const target = path.resolve(options.file);
        const includeMedia = options.includeMedia ?? true;
        const includePaths = options.includePaths ?? true;
        this.checkTarget(target, options);
        this.checkCancelled(signal, target);
        const selection = await this.selectionOf(options.scope, signal, target);
        const temporary = `${target}.${crypto.randomBytes(6).toString('hex')}.tmp`;
        let writer: ArchiveExportWriter | undefined;
        try {
            const opened = await this.repository.openWriter(temporary, includePaths);
            writer = opened.writer;
            if (['', '-wal', '-shm', '-journal'].some(suffix => samePath(target, opened.archiveFile + suffix))) {
                throw TransferErrors.Refused({ reason: 'target-exists', file: target, detail: 'it is the archive\'s own database' });
            }
            writer.begin();
            progress({ step: 'snapshot', done: 1, total: 1 });
            const scopeLabel = this.scopeLabel(options.scope, writer, includePaths);
            const schemaVersion = writer.schemaVersion();
            const total = writer.select(selection);
            let done = 0;
            for (let batch = 0; batch < writer.batches; batch++) {
                await this.yieldTurn(signal, target);
                done += writer.copyAssets(batch);
                progress({ step: 'select', done, total });
            }
            const copiers = writer.vectorCopiers();
            const vectorSteps = copiers.reduce((sum, copier) => sum + copier.steps, 0);
            let vectorsDone = 0;
            for (const copier of copiers) {
                for (let step = 0; step < copier.steps; step++) {
                    await this.yieldTurn(signal, target);
                    copier.copy(step);
                    progress({ step: 'vectors', done: ++vectorsDone, total: vectorSteps });
                }
            }
            writer.finishRows(options.scope.kind === 'archive');
            if (includeMedia) {
                await this.copyMedia(writer, opened.media, progress, signal, target);
            }
            this.checkCancelled(signal, target);
            progress({ step: 'commit', done: 0, total: 1 });
            const counts = writer.counts();
            writer.commit({
                [ManifestKey.format]: EXPORT_FORMAT,
                [ManifestKey.formatVersion]: String(EXPORT_FORMAT_VERSION),
                [ManifestKey.schemaVersion]: String(schemaVersion),
                [ManifestKey.generator]: generator(),
                [ManifestKey.createdAt]: new Date().toISOString(),
                [ManifestKey.scopeLabel]: scopeLabel,
                [ManifestKey.includesMedia]: String(includeMedia),
                [ManifestKey.includesPaths]: String(includePaths),
                [ManifestKey.assets]: String(counts.assets),
                [ManifestKey.files]: String(counts.files),
                [ManifestKey.vectors]: String(counts.vectors),
                [ManifestKey.media]: String(counts.media),
                [ManifestKey.mediaBytes]: String(counts.mediaBytes),
                [ManifestKey.collections]: String(counts.collections)
            });
            writer = undefined;
            syncFile(temporary);
            this.checkCancelled(signal, target);
            this.checkTarget(target, options);
            fs.renameSync(temporary, target);
            progress({ step: 'commit', done: 1, total: 1 });
            const bytes = fs.statSync(target).size;
            this.logger.info(`Exported ${counts.assets} assets (${scopeLabel}) to ${target}: ${bytes} bytes`);
            return {
                file: target, assets: counts.assets, media: counts.media, vectors: counts.vectors, collections: counts.collections,
                bytes, tookMs: performance.now() - started
            };
        } catch (error) {
            writer?.abort();
            removeQuietly(temporary);
            throw error;
        } finally {
            // A failed commit or a crash of the writer can leave its journal.
            removeQuietly(`${temporary}-journal`);
        }
    }

    /** Refuses an existing target unless overwriting was asked for (a folder is never overwritten). */
    protected checkTarget(target: string, options: ExportOptions): void {
        let stat: fs.Stats | undefined;
        try {
            stat = fs.statSync(target);
        } catch {
            stat = undefined;
        }
        if (stat && (!options.overwrite || !stat.isFile())) {
            throw TransferErrors.Refused({ reason: 'target-exists', file: target, detail: stat.isFile() ? undefined : 'it is a folder' });
        }
        if (!fs.existsSync(path.dirname(target))) {
            throw TransferErrors.Refused({ reason: 'not-found', file: target, detail: `the folder ${path.dirname(target)} does not exist` });
        }
    }

    protected checkCancelled(signal: AbortSignal, target: string): void {
        if (signal.aborted) {
            throw TransferErrors.Refused({ reason: 'cancelled', file: target });
        }
    }

    /** Lets the event loop run (RPC, other requests, a cancel) between batches, then checks for a cancel. */
    protected async yieldTurn(signal: AbortSignal, target: string): Promise<void> {
        await new Promise(resolve => setImmediate(resolve));
        this.checkCancelled(signal, target);
    }

    protected async selectionOf(scope: ExportScope, signal: AbortSignal, target: string): Promise<ExportSelection> {
        switch (scope.kind) {
            case 'archive':
            case 'collection':
                return scope;
            case 'folder':
                return { kind: 'folder', path: path.resolve(scope.path) };
            case 'assets':
                return { kind: 'ids', assetIds: scope.assetIds };
            case 'query':
                return { kind: 'ids', assetIds: await this.queryHits(scope, signal, target) };
        }
    }

    /** Every hit of the query, all pages, through the real search engine. */
    protected async queryHits(scope: Extract<ExportScope, { kind: 'query' }>, signal: AbortSignal, target: string): Promise<number[]> {
        const ids: number[] = [];
        for (let offset = 0; ; offset += QUERY_PAGE) {
            const result = await this.search.search({ ...scope.query, offset, limit: QUERY_PAGE });
            ids.push(...result.hits.map(hit => hit.assetId));
            this.checkCancelled(signal, target);
            if (!result.hits.length || offset + QUERY_PAGE >= result.total) {
                return ids;
            }
        }
    }

    /** How the manifest describes the scope; without paths, no folder path or query text (which may hold one). */
    protected scopeLabel(scope: ExportScope, writer: ArchiveExportWriter, includePaths: boolean): string {
        switch (scope.kind) {
            case 'archive':
                return 'archive';
            case 'collection':
                return `collection: ${writer.collectionName(scope.collectionId) ?? scope.collectionId}`;
            case 'folder':
                return `folder: ${includePaths ? path.resolve(scope.path) : path.basename(scope.path)}`;
            case 'query':
                return includePaths && scope.query.text ? `query: ${scope.query.text}` : 'query';
            case 'assets':
                return `assets: ${scope.assetIds.length}`;
        }
    }

    /**
     * Reads each thumbnail and preview from the media folder into the file,
     * a batch per turn of the event loop (progress and cancel between
     * batches); one missing from the folder is left out. The reads are
     * synchronous: for small files already in the page cache one
     * synchronous read costs less than the four thread-pool round trips of an
     * asynchronous read (the bench: 100,000 10 KB thumbnails in about a third
     * of the time), and a batch blocks the loop for a few milliseconds only.
     * Every file is read into one reused buffer (SQLite copies the bytes it
     * is given), see {@link readQuietly}.
     */
    protected async copyMedia(writer: ArchiveExportWriter, media: MediaStore, progress: TransferProgressCallback, signal: AbortSignal, target: string): Promise<void> {
        const hashes = writer.mediaHashes();
        const buffer = Buffer.allocUnsafe(MEDIA_READ_BUFFER);
        let missing = 0;
        for (let start = 0; start < hashes.length; start += MEDIA_BATCH) {
            await this.yieldTurn(signal, target);
            for (const hash of hashes.slice(start, start + MEDIA_BATCH)) {
                const bytes = readQuietly(media.pathOf(hash), buffer);
                if (bytes) {
                    writer.addMedia(hash, bytes);
                } else {
                    missing++;
                }
            }
            progress({ step: 'media', done: Math.min(start + MEDIA_BATCH, hashes.length), total: hashes.length });
        }
        if (missing) {
            this.logger.warn(`Export: ${missing} of ${hashes.length} thumbnails and previews are not in the media folder; left out`);
        }
    }
}

/** The size of the buffer media files are read into (a larger file is read on its own). */
const MEDIA_READ_BUFFER = 1024 * 1024;

/**
 * The file's bytes, read into `buffer` (the answer is a view of it, valid
 * until the next read), or undefined when it cannot be read (gone from the
 * media folder). One buffer for every file: no allocation, no `fstat` and
 * less garbage per file than `readFileSync`; a file that fills the buffer is
 * read again whole.
 */
function readQuietly(file: string, buffer: Buffer): Uint8Array | undefined {
    let fd: number;
    try {
        fd = fs.openSync(file, 'r');
    } catch {
        return undefined;
    }
    try {
        let length = 0;
        for (let read = -1; read !== 0 && length < buffer.length; length += read) {
            read = fs.readSync(fd, buffer, length, buffer.length - length, null);
        }
        return length < buffer.length ? buffer.subarray(0, length) : fs.readFileSync(file);
    } catch {
        return undefined;
    } finally {
        fs.closeSync(fd);
    }
}

function generator(): string {
    try {
        const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as { version?: string };
        return `ImageParser ${manifest.version ?? ''}`.trim();
    } catch {
        return 'ImageParser';
    }
}

function samePath(a: string, b: string): boolean {
    return process.platform === 'win32' || process.platform === 'darwin' ? a.toLowerCase() === path.resolve(b).toLowerCase() : a === path.resolve(b);
}

function syncFile(file: string): void {
    const fd = fs.openSync(file, 'r+');
    try {
        fs.fsyncSync(fd);
    } finally {
        fs.closeSync(fd);
    }
}

function removeQuietly(file: string): void {
    fs.rmSync(file, { force: true });
}

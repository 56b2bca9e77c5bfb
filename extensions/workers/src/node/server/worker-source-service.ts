import * as fs from 'fs';
import { inject, injectable, optional } from '@theia/core/shared/inversify';
import type { Readable as ReadableStream } from 'stream';
import { AiSettings } from '@imageparser/archive-core/lib/node/inference/ai-settings';
import { AssetMediaService } from '@imageparser/archive-core/lib/node/media/asset-media-service';
import { ArchiveStore } from '@imageparser/archive-core/lib/node/store/archive-store';
import { captionsOf } from '@imageparser/archive-core/lib/node/store/caption-store';
import { OcrTextRepository } from '@imageparser/archive-core/lib/node/store/ocr-text-repository';
import type { TextSource } from '../../common/fleet-protocol';

/** Characters of an asset's text handed to a text-embedding worker (as the server's own text phase). */
const MAX_TEXT = 4000;

/** Bytes to stream to a worker, with their type and, when known, length. */
export interface SourceStream {
    readonly stream: ReadableStream;
    readonly mime: string;
    readonly size?: number;
}

export const WorkerSourceService = Symbol('WorkerSourceService');

/**
 * What a worker's job reads, by asset id only (no path from a worker ever
 * reaches the file system): the stored preview (what the AI phases read in
 * process), the asset's text for text embedding, and the original
 * file's bytes (OCR). The route checks the worker holds a lease on the asset first.
 */
export interface WorkerSourceService {
    /**
     * The asset's stored preview (its thumbnail when it has none), the file's own bytes and type (at most 1024 px,
     * upright, as the parse phase stored it); undefined when it has neither.
     */
    image(assetId: number): Promise<SourceStream | undefined>;
    /** The asset's captions (every language), then its OCR text when the text settings include it. */
    text(assetId: number): Promise<TextSource>;
    /** The original file of the asset; undefined when no file carries it now. */
    original(assetId: number): Promise<SourceStream | undefined>;
}

@injectable()
export class DefaultWorkerSourceService implements WorkerSourceService {

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    @inject(AssetMediaService)
    protected readonly media: AssetMediaService;

    @inject(OcrTextRepository)
    protected readonly ocr: OcrTextRepository;

    @inject(AiSettings) @optional()
    protected readonly settings: AiSettings | undefined;

    async image(assetId: number): Promise<SourceStream | undefined> {
        // The stored file itself: the worker scales and decodes it as the server's own phases do (decodeAiImage), so its results are theirs.
        const stored = await this.media.storedMedia(assetId, 'preview') ?? await this.media.storedMedia(assetId, 'thumbnail');
        return stored && this.fileStream(stored.file, stored.mime);
    }

    async text(assetId: number): Promise<TextSource> {
        const { database } = await this.store.open();
        const captions = captionsOf(database.reader, assetId).map(caption => caption.text.trim()).filter(text => text);
        if (!captions.length) {
            return { text: '' };
        }
        const ocr = this.settings?.text()?.includeOcr ? (await this.ocr.text(assetId))?.text.trim() : undefined;
        return { text: [...captions, ...ocr ? [ocr] : []].join('\n').slice(0, MAX_TEXT) };
    }

    async original(assetId: number): Promise<SourceStream | undefined> {
        const source = await this.media.sourceOf(assetId);
        return source && this.fileStream(source.file, 'application/octet-stream');
    }

    /** A regular file's bytes as a stream; undefined when it is gone or not a regular file. */
    protected async fileStream(file: string, mime: string): Promise<SourceStream | undefined> {
        const handle = await fs.promises.open(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0)).catch(() => undefined);
        if (!handle) {
            return undefined;
        }
        const stat = await handle.stat().catch(() => undefined);
        if (!stat?.isFile()) {
            await handle.close();
            return undefined;
        }
        // Read through the handle opened and checked above: the file cannot be swapped between the check and the read.
        return { stream: handle.createReadStream(), mime, size: stat.size };
    }
}

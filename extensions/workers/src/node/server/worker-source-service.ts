import * as fs from 'fs';
import { inject, injectable } from '@theia/core/shared/inversify';
import type { Readable as ReadableStream } from 'stream';
import { TextDocumentSource } from '@imageparser/archive-core/lib/node/inference/text/text-document-source';
import { AssetMediaService } from '@imageparser/archive-core/lib/node/media/asset-media-service';
import type { TextSource } from '../../common/fleet-protocol';

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
    /** The document the text phase embeds for the asset (archive-core's `TextDocumentSource`: captions, then OCR text when included). */
    text(assetId: number): Promise<TextSource>;
    /** The original file of the asset; undefined when no file carries it now. */
    original(assetId: number): Promise<SourceStream | undefined>;
}

@injectable()
export class DefaultWorkerSourceService implements WorkerSourceService {

    @inject(AssetMediaService)
    protected readonly media: AssetMediaService;

    @inject(TextDocumentSource)
    protected readonly documents: TextDocumentSource;

    async image(assetId: number): Promise<SourceStream | undefined> {
        // The stored file itself: the worker scales and decodes it as the server's own phases do (decodeAiImage), so its results are theirs.
        const stored = await this.media.storedMedia(assetId, 'preview') ?? await this.media.storedMedia(assetId, 'thumbnail');
        return stored && this.fileStream(stored.file, stored.mime);
    }

    async text(assetId: number): Promise<TextSource> {
        // The very document the server's own text phase would embed.
        return { text: await this.documents.documentOf(assetId) };
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

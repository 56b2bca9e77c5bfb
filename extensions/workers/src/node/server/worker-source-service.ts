import * as fs from 'fs';
import { inject, injectable, optional } from '@theia/core/shared/inversify';
import { Readable as ReadableStream } from 'stream';
import { AiImageSource } from '@imageparser/archive-core/lib/node/inference/ai-image';
import { AiSettings } from '@imageparser/archive-core/lib/node/inference/ai-settings';
import { AssetMediaService } from '@imageparser/archive-core/lib/node/media/asset-media-service';
import { ArchiveStore } from '@imageparser/archive-core/lib/node/store/archive-store';
import { captionsOf } from '@imageparser/archive-core/lib/node/store/caption-store';
import { OcrTextRepository } from '@imageparser/archive-core/lib/node/store/ocr-text-repository';
import type { TextSource } from '../../common/fleet-protocol';

/** The longest edge a worker may ask for; the stored preview is at most 1024 px anyway. */
export const MAX_IMAGE_EDGE = 4096;
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
 * reaches the file system): the stored preview as JPEG (what the AI phases
 * read in process), the asset's text for text embedding, and the original
 * file's bytes (OCR). The route checks the worker holds a lease on the asset first.
 */
export interface WorkerSourceService {
    /** The asset's stored preview (or thumbnail) scaled to at most `maxEdge`, as JPEG; undefined when it has neither. */
    image(assetId: number, maxEdge: number): Promise<SourceStream | undefined>;
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

    @inject(AiImageSource)
    protected readonly images: AiImageSource;

    @inject(OcrTextRepository)
    protected readonly ocr: OcrTextRepository;

    @inject(AiSettings) @optional()
    protected readonly settings: AiSettings | undefined;

    async image(assetId: number, maxEdge: number): Promise<SourceStream | undefined> {
        // The very image the server's own phases read (preview, upright, sRGB), so a remote worker's result matches.
        const image = await this.images.image(assetId, Math.max(16, Math.min(MAX_IMAGE_EDGE, Math.floor(maxEdge))));
        return image && { stream: ReadableStream.from([image.jpeg]), mime: 'image/jpeg', size: image.jpeg.length };
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
        if (!source) {
            return undefined;
        }
        const stat = await fs.promises.stat(source.file).catch(() => undefined);
        if (!stat?.isFile()) {
            return undefined;
        }
        return { stream: fs.createReadStream(source.file), mime: 'application/octet-stream', size: stat.size };
    }
}

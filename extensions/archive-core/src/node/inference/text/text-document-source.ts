import { inject, injectable, optional } from '@theia/core/shared/inversify';
import { ArchiveStore } from '../../store/archive-store';
import { captionsOf } from '../../store/caption-store';
import { OcrTextRepository } from '../../store/ocr-text-repository';
import { AiSettings } from '../ai-settings';

/** Characters of an asset's text handed to the model; sentence embedders read a few hundred tokens at most. */
export const MAX_TEXT_DOCUMENT = 4000;

export const TextDocumentSource = Symbol('TextDocumentSource');

/**
 * Reads the document the text phase embeds for an asset, by asset id only:
 * in the archive's process from its store, on a worker machine from the
 * server's worker API, so the phase runs unchanged on either.
 */
export interface TextDocumentSource {
    /** The asset's captions (every language), then its OCR text when that is included; '' when it has no caption. */
    documentOf(assetId: number): Promise<string>;
}

/** The text phase's document read from the archive's own store (captions, then OCR text when `AiSettings.text().includeOcr`). */
@injectable()
export class StoreTextDocumentSource implements TextDocumentSource {

    @inject(ArchiveStore)
    protected readonly archive: ArchiveStore;

    @inject(OcrTextRepository)
    protected readonly ocr: OcrTextRepository;

    @inject(AiSettings) @optional()
    protected readonly settings?: AiSettings;

    async documentOf(assetId: number): Promise<string> {
        const { database } = await this.archive.open();
        const captions = captionsOf(database.reader, assetId).map(caption => caption.text.trim()).filter(text => text);
        if (!captions.length) {
            return '';
        }
        const ocr = this.settings?.text()?.includeOcr ? (await this.ocr.text(assetId))?.text.trim() : undefined;
        return [...captions, ...ocr ? [ocr] : []].join('\n').slice(0, MAX_TEXT_DOCUMENT);
    }
}

import { inject, injectable } from '@theia/core/shared/inversify';
import type { AiImage, AiImageSource } from '@imageparser/archive-core/lib/node/inference/ai-image';
import { decodeAiImage } from '@imageparser/archive-core/lib/node/inference/preview-image-source';
import type { TextDocumentSource } from '@imageparser/archive-core/lib/node/inference/text/text-document-source';
import { FleetApi, TextSource } from '../../common/fleet-protocol';
import { FleetHttpClient, FleetRequestError, FleetUnreachableError } from './fleet-http-client';

/** How long a source read is tried again while the server cannot be reached (a lease's length is the most worth waiting). */
const SOURCE_RETRY_MS = 30_000;

/**
 * An asset's image on a worker machine: the server's stored preview, GET
 * by asset id from the worker API (only while this session holds a lease on
 * a job of the asset), decoded here as archive-core decodes it in-process.
 * A preview the server does not have (404) or will not serve (403: the lease
 * is gone) answers undefined; a server that cannot be reached is tried
 * again for a while, so a network cut does not fail the job as missing.
 */
@injectable()
export class RemoteAiImageSource implements AiImageSource {

    @inject(FleetHttpClient)
    protected readonly http: FleetHttpClient;

    async image(assetId: number, maxEdge: number): Promise<AiImage | undefined> {
        const edge = Math.max(16, Math.floor(maxEdge));
        const bytes = await retried(() => this.http.bytes(`${FleetApi.SOURCES}/${assetId}/image?maxEdge=${edge}`), 403);
        return bytes && bytes.length ? decodeAiImage(bytes, assetId, edge) : undefined;
    }
}

/** The text phase's document on a worker machine: the server reads it from its store (captions, then OCR text when it includes it). */
@injectable()
export class RemoteTextDocumentSource implements TextDocumentSource {

    @inject(FleetHttpClient)
    protected readonly http: FleetHttpClient;

    async documentOf(assetId: number): Promise<string> {
        const answer = await retried(() => this.http.get<TextSource>(`${FleetApi.SOURCES}/${assetId}/text`), 403);
        return typeof answer?.text === 'string' ? answer.text : '';
    }
}

/** Runs a read again while the server cannot be reached (or answers 5xx), up to {@link SOURCE_RETRY_MS}; `absentStatus` answers undefined. */
async function retried<T>(read: () => Promise<T>, absentStatus: number): Promise<T | undefined> {
    const deadline = Date.now() + SOURCE_RETRY_MS;
    for (let attempt = 0; ; attempt++) {
        try {
            return await read();
        } catch (error) {
            if (error instanceof FleetRequestError && error.status === absentStatus) {
                return undefined;
            }
            const transient = error instanceof FleetUnreachableError || (error instanceof FleetRequestError && error.transient);
            if (!transient || Date.now() > deadline) {
                throw error;
            }
            await new Promise(resolve => setTimeout(resolve, Math.min(2000, 100 * 2 ** attempt)));
        }
    }
}

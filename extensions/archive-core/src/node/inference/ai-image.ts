/** An asset's image as the AI phases get it: its stored preview, upright, in sRGB. */
export interface AiImage {
    readonly assetId: number;
    /** JPEG bytes at most `maxEdge` on the longest side, for a captioning endpoint. */
    readonly jpeg: Buffer;
    /** The same image as 8-bit RGB pixels, row by row, for an image embedder. */
    readonly rgb: { readonly data: Uint8Array; readonly width: number; readonly height: number };
}

export const AiImageSource = Symbol('AiImageSource');

/**
 * Reads the image an AI phase works on, by asset id only: the preview the
 * parse phase stored (a PSD's composite, a photo turned upright), so no
 * phase decodes an original again and a remote worker can be served the same bytes.
 */
export interface AiImageSource {
    /** The asset's image scaled to at most `maxEdge` pixels on its longest side; undefined when the asset or its preview is gone. */
    image(assetId: number, maxEdge: number): Promise<AiImage | undefined>;
}

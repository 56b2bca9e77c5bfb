import type { LayerRecord, ParseErrorCode } from '@imageparser/psd';

/** What kind of file an asset came from. */
export type AssetKind = 'psd' | 'psb' | 'png' | 'jpeg';

/** Everything the parse phase learns about one file's content. */
export interface ParsedAsset {
    readonly kind: AssetKind;
    readonly width: number;
    readonly height: number;
    /** e.g. `rgb`, `cmyk`, `grayscale`, `lab`, `indexed`, `bitmap`, `multichannel`, `duotone`, `srgb`, `b-w`. */
    readonly colorMode: string;
    readonly bitDepth: number;
    readonly dpi?: number;
    readonly hasAlpha: boolean;
    readonly iccProfile?: string;
    readonly orientation?: number;
    readonly capturedAt?: string;
    readonly camera?: string;
    readonly software?: string;
    readonly layers: readonly LayerRecord[];
    /** Something the user should know about how this file was read, e.g. a layer tree that could not be read. */
    readonly notes?: string;
    readonly thumbnail: Uint8Array;
    readonly preview: Uint8Array;
    readonly descriptor: readonly number[];
    /** 64-bit perceptual hash, 16 hex digits. */
    readonly phash: string;
}

export interface ParseFailure {
    readonly code: ParseErrorCode;
    readonly message: string;
}

export type ParseOutcome =
    | { readonly ok: true; readonly asset: ParsedAsset; readonly hash?: string }
    | { readonly ok: false; readonly error: ParseFailure };

import type { AssetLayerDetails } from '../../common/asset-details-protocol';

/** What kind of file an asset came from. */
export type AssetKind = 'psd' | 'psb' | 'png' | 'jpeg';

/** What a PSD layer is. */
export type LayerKind = 'pixel' | 'text' | 'group' | 'adjustment' | 'smart-object' | 'shape';

/** One layer of a PSD's tree, flattened in document order (top of the panel first): the layer the viewer's protocol describes, with its kind narrowed. */
export interface LayerRecord extends Omit<AssetLayerDetails, 'kind'> {
    readonly kind: LayerKind;
}

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

/** Why a file could not be parsed; each code comes with a readable message. */
export type ParseErrorCode =
    | 'empty'
    | 'unsupported-format'
    | 'truncated'
    | 'corrupt'
    | 'too-large'
    | 'timeout'
    | 'out-of-memory'
    | 'unreadable'
    | 'disk-full'
    | 'too-many-open-files';

export interface ParseFailure {
    readonly code: ParseErrorCode;
    readonly message: string;
}

export type ParseOutcome =
    | { readonly ok: true; readonly asset: ParsedAsset; readonly hash?: string }
    | { readonly ok: false; readonly error: ParseFailure };

/** Thrown inside parsers; the parse worker turns it into a {@link ParseFailure}. */
export class ParseError extends Error {
    constructor(readonly code: ParseErrorCode, message: string) {
        super(message);
        this.name = 'ParseError';
    }
}

/** Limits a parser checks against the file's header before it decodes anything. */
export interface ParseLimits {
    /** Largest width x height accepted. */
    readonly maxPixels: number;
    /** Largest memory a fully decoded image (PSD) may need, in bytes. */
    readonly maxDecodeBytes: number;
    /** Most layers (groups included, their end markers not) a PSD's layers are rendered with. */
    readonly maxLayerCount?: number;
    /** Deepest nesting of groups a PSD's layers are rendered with (Photoshop itself allows 10). */
    readonly maxGroupDepth?: number;
}

/**
 * One gigapixel: a 20000 x 14000 photo passes (libvips shrinks JPEGs while
 * loading), 65536 x 65536 and 100000 x 100000 do not. PSD pixels are decoded
 * whole, so they also count against `maxDecodeBytes`.
 */
export const DEFAULT_PARSE_LIMITS: ParseLimits = {
    maxPixels: 1_000_000_000,
    maxDecodeBytes: 1024 * 1024 * 1024,
    maxLayerCount: 10_000,
    maxGroupDepth: 100
};

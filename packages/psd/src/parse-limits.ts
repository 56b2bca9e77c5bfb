/** Limits a reader checks against the file's header before it decodes anything. */
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

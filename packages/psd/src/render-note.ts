/**
 * What a layer rendering could not draw exactly, as a code the UI words in
 * the display language (pure data: no imports, safe for browser code to import as a type).
 */
export type RenderNoteCode =
    /** A blend mode drawn as normal; params.mode is ag-psd's name of it, e.g. `dissolve`. */
    | 'blendModeApproximated'
    | 'adjustmentsNotApplied'
    | 'effectsNotDrawn'
    | 'vectorMasksNotApplied'
    | 'strokesNotDrawn'
    | 'layersWithoutPixels'
    | 'textFromStoredPixels'
    | 'smartObjectsFromStoredPixels'
    | 'featherNotApplied'
    | 'blendIfNotApplied'
    | 'knockoutNotApplied';

/** One note of a layer rendering: its code and, where the wording needs them, parameters. */
export interface RenderNote {
    readonly code: RenderNoteCode;
    readonly params?: { readonly [name: string]: string };
}

/** The codes that say pixels are drawn as the file stores them: what Photoshop itself shows until it re-renders. */
export const STORED_PIXEL_NOTES: readonly RenderNoteCode[] = ['textFromStoredPixels', 'smartObjectsFromStoredPixels'];

/**
 * The search contract between the frontend and archive-core's engine: a
 * query is free text, typed filter clauses, reference assets combined with
 * AND or OR, per-axis weights, a sort and a page. The engine searches on
 * three axes (S: words, V: look, M: meaning) and fuses them into one ranking.
 */
import type { AssetLocation } from './asset-location';

export const SEARCH_SERVICE_PATH = '/services/imageparser/search';

/** S = full-text words, V = visual similarity, M = caption meaning. */
export type SearchAxisId = 'S' | 'V' | 'M';
export const SEARCH_AXES: readonly SearchAxisId[] = ['S', 'V', 'M'];

/**
 * A serializable filter clause. `kind` names the filter (built-in or
 * contributed); the rest is the filter's own JSON. The backend twin
 * registered for `kind` compiles it to SQL.
 */
export interface FilterClause {
    readonly kind: string;
    readonly [option: string]: unknown;
}

/** The built-in filters' clauses. */
export namespace BuiltinFilters {
    /** File modified (mtime), ISO dates, either end open. */
    export interface Modified extends FilterClause { kind: 'modified'; from?: string; to?: string }
    /** Added to the archive, ISO dates. */
    export interface Added extends FilterClause { kind: 'added'; from?: string; to?: string }
    /** The longer side in pixels. */
    export interface Resolution extends FilterClause { kind: 'resolution'; min?: number; max?: number }
    export interface LayerCount extends FilterClause { kind: 'layers'; min?: number; max?: number }
    /** Asset kinds: psd, psb, png, jpeg. */
    export interface FileType extends FilterClause { kind: 'type'; types: string[] }
    export interface Rating extends FilterClause { kind: 'rating'; min?: number; max?: number }
    export interface Tags extends FilterClause { kind: 'tags'; tags: string[]; mode: 'any' | 'all' }
    /** Assets with a file in this folder or below it. */
    export interface Folder extends FilterClause { kind: 'folder'; path: string }
    /** Assets all of whose files are missing, assets with a file that failed to re-index, or assets on disk. */
    export interface State extends FilterClause { kind: 'state'; state: 'missing' | 'error' | 'ok' }
}

/**
 * `manual`: the order of the collection the query's `collection` filter
 * names (a manual collection's own order, a smart collection's query
 * order); without such a filter it sorts as `relevance`.
 */
export type SortField = 'relevance' | 'modified' | 'added' | 'name' | 'rating' | 'resolution' | 'layers' | 'manual';

export interface SearchSort {
    readonly by: SortField;
    readonly direction: 'asc' | 'desc';
}

export interface SearchQuery {
    /** Free text: words, "phrases", -negation, and tag: layer: text: ocr: path: ext: prefixes. */
    readonly text?: string;
    readonly filters?: readonly FilterClause[];
    /** Find images like these: AND = close to all of them, OR = close to any. */
    readonly references?: { readonly assetIds: readonly number[]; readonly mode: 'and' | 'or' };
    /** Near-duplicates of this asset, through the perceptual hash. */
    readonly nearDuplicatesOf?: number;
    /** Per-axis weights (0 switches an axis off); 1 each by default. */
    readonly weights?: Partial<Record<SearchAxisId, number>>;
    readonly sort?: SearchSort;
    readonly offset?: number;
    readonly limit?: number;
}

/** Where one axis placed a hit. */
export interface AxisMatch {
    /** 1-based rank among the axis's candidates. */
    readonly rank: number;
    /** The axis's own score: bm25 (lower is better) for S, cosine similarity for V and M. */
    readonly score: number;
}

/** Why an asset matched, for the result tile's tooltip and the list view. */
export interface MatchReason {
    /** The text fields that matched: name, path, layers, text, tags, captions, comments, ocr (text in the image). */
    readonly fields: readonly string[];
    /** A piece of the best-matching field with the matched words between « and ». */
    readonly snippet?: string;
    /** The text field {@link snippet} was cut from (`captions`: the view says "caption: …"). */
    readonly snippetField?: string;
    /** Visual similarity to the references, 0-100. */
    readonly similarity?: number;
    /** V ranked the hit by the query's words through the image model's text tower: the image looks like them, this much (0-100). */
    readonly looksLike?: { readonly text: string; readonly similarity: number };
    /** M ranked the hit by the meaning of its captions: they mean what the query says, this much (0-100). */
    readonly means?: { readonly text: string; readonly similarity: number };
    /** Bits that differ from the near-duplicate reference's perceptual hash (0-64). */
    readonly hashDistance?: number;
}

export interface SearchHit {
    readonly assetId: number;
    /** The fused score (higher is better). */
    readonly score: number;
    readonly axes: Partial<Record<SearchAxisId, AxisMatch>>;
    readonly reason: MatchReason;
    /** The file's name. */
    readonly name: string;
    /** Where the asset's file lies (its first file on disk, else its first missing one): a root label and a path below it, never an OS path. */
    readonly location: AssetLocation;
    readonly kind: string;
    readonly width: number;
    readonly height: number;
    readonly layerCount: number;
    readonly rating: number;
    /** The asset's tags (user and AI), by name, at most {@link SEARCH_HIT_TAG_LIMIT}: for badges on the result. */
    readonly tags: readonly string[];
    readonly missing: boolean;
}

/**
 * Why an axis did not rank this query, as a code the frontend words in the
 * display language: `no-words` (no words to match), `no-references` (no
 * reference images), `no-visual-vectors` (the references have no visual
 * vectors yet), `no-perceptual-hash` (the near-duplicate reference has none),
 * `no-caption-model` (no caption model is configured), `no-image-model` (a
 * search by words needs an image model's text tower for V), `no-text-model`
 * (no text-embedding model is configured for M), `index-not-ready` (the
 * configured model's index is still being built and no earlier one serves),
 * `model-unavailable` (the model could not embed the query), `no-provider` (no
 * package provides the axis), `switched-off` (its weight is 0).
 */
export type AxisSkipReason = 'no-words' | 'no-references' | 'no-visual-vectors' | 'no-perceptual-hash' | 'no-caption-model' | 'no-image-model'
    | 'no-text-model' | 'index-not-ready' | 'model-unavailable' | 'no-provider' | 'switched-off';

/** How many tag names a {@link SearchHit} carries. */
export const SEARCH_HIT_TAG_LIMIT = 8;

/** What an axis did for this query. */
export interface AxisReport {
    readonly axis: SearchAxisId;
    readonly used: boolean;
    /** Why it was skipped. */
    readonly skipped?: AxisSkipReason;
    readonly candidates: number;
    /** Time the axis took to answer its candidates. */
    readonly tookMs?: number;
    /** Set when the axis ranked a share of its matches only (too many to rank them all in a fused query). */
    readonly bounded?: BoundedRanking;
}

/** How an axis bounded its ranking: it matched more than `over` assets and scored `ranked` of them. */
export interface BoundedRanking {
    readonly ranked: number;
    readonly over: number;
}

export interface SearchResult {
    /** Hits matching the query in all; `hits` is the requested page of them. */
    readonly total: number;
    readonly hits: readonly SearchHit[];
    readonly axes: readonly AxisReport[];
    readonly tookMs: number;
    /** The most used tags among all the hits (not only this page), for the tag cloud. */
    readonly tags: readonly { readonly name: string; readonly count: number }[];
    /** Whether the answer came from the result cache. */
    readonly cached: boolean;
}

export const SearchService = Symbol('SearchService');

export interface SearchService {
    search(query: SearchQuery): Promise<SearchResult>;
    /** Tags, layer names and captions starting with (or containing) the text, most used first. */
    suggest(text: string, limit?: number): Promise<string[]>;
}

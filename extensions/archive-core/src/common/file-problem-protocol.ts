/**
 * The file-problem RPC contract: the files the archive could not index
 * (failed) or no longer finds on disk (missing), with their reasons, and
 * retrying the failed ones. A failed file is not an asset, so searches never
 * return it: this contract is how the frontend lists it.
 */
import type { AssetLocation } from './asset-location';

export const FILE_PROBLEM_SERVICE_PATH = '/services/imageparser/file-problems';

/** `failed`: ingest gave up on the file (its reason is kept); `missing`: the file was indexed once and is gone from its folder. */
export type FileProblemState = 'failed' | 'missing';

/** One failed or missing file. Its identity is {@link fileId}; its location is for display. */
export interface FileProblem {
    readonly fileId: number;
    /** Its root folder (`location.rootId`, 0 when none is recorded) and its path below it. */
    readonly location: AssetLocation;
    readonly state: FileProblemState;
    /**
     * Why it failed, for failed files: `empty`, `unsupported-format`,
     * `truncated`, `corrupt`, `too-large`, `timeout`, `out-of-memory`,
     * `unreadable` or `internal`; other codes may come with newer parsers.
     */
    readonly code?: string;
    /** The ingester's own words about the failure (English), for the curious and for bug reports. */
    readonly message?: string;
    /** Size in bytes when it was last seen. */
    readonly size: number;
    /** When the file got this state (ISO 8601). */
    readonly since: string;
    /** For a missing file: the asset it carried (its thumbnail and tags are still in the archive). */
    readonly assetId?: number;
}

/** A folder with problems. */
export interface FileProblemRoot {
    readonly rootId: number;
    /** The folder's display label: its name, never its OS path (see `AssetLocation.root`). */
    readonly label: string;
    readonly failed: number;
    readonly missing: number;
}

/** How many files have problems, in all and per folder. */
export interface FileProblemSummary {
    readonly failed: number;
    readonly missing: number;
    /** Folders that have failed or missing files. */
    readonly roots: readonly FileProblemRoot[];
}

export interface FileProblemQuery {
    /** Which problems; both when omitted. */
    readonly states?: readonly FileProblemState[];
    /** Only the files of this folder. */
    readonly rootId?: number;
    readonly offset?: number;
    /** At most 1000; 200 when omitted. */
    readonly limit?: number;
}

export interface FileProblemPage {
    /** Problems matching the query in all; `problems` is the requested page, by folder and path. */
    readonly total: number;
    readonly problems: readonly FileProblem[];
    readonly roots: readonly FileProblemRoot[];
}

export const FileProblemService = Symbol('FileProblemService');

/**
 * Lists failed and missing files and retries failed ones. While the archive
 * file cannot be used, calls reject as the archive service's do.
 */
export interface FileProblemService {
    summary(): Promise<FileProblemSummary>;
    list(query: FileProblemQuery): Promise<FileProblemPage>;
    /**
     * Queues failed files again (all of them, or those of `fileIds` that are
     * still failed) in one ingest run per folder, and answers the run ids;
     * the runs report progress to ingest clients like any other run. Files
     * that fail again keep a reason, possibly a new one.
     */
    retryFailed(fileIds?: readonly number[]): Promise<number[]>;
}

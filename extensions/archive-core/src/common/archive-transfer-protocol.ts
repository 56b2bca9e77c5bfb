/**
 * The archive transfer RPC contract: a whole archive or a part of it
 * exported to one file (an SQLite database, see
 * `node/transfer/export-format.ts` and docs/archive-export-format.md), and
 * such a file imported into another archive, merged by content hash.
 * Files are named by paths on the backend's machine (the Theia file
 * dialogs show that machine's files).
 */
import { ApplicationError } from '@theia/core/lib/common/application-error';
import type { SearchQuery } from './search-protocol';

export const ARCHIVE_TRANSFER_SERVICE_PATH = '/services/imageparser/archive-transfer';

/** Which assets an export holds. */
export type ExportScope =
    | { readonly kind: 'archive' }
    /** A manual or smart collection's members (a folder: all its collections'); the collections themselves travel too. */
    | { readonly kind: 'collection'; readonly collectionId: number }
    /** Assets with a file in this folder or below it. */
    | { readonly kind: 'folder'; readonly path: string }
    /** Every hit of a search (the current results), whatever page is shown. */
    | { readonly kind: 'query'; readonly query: SearchQuery }
    | { readonly kind: 'assets'; readonly assetIds: readonly number[] };

export interface ExportOptions {
    /** The file to write (on the backend's machine); refused when it exists unless `overwrite`. */
    readonly file: string;
    readonly scope: ExportScope;
    /** Thumbnails and previews go into the file (default true). */
    readonly includeMedia?: boolean;
    /** Original folder and file paths go into the file (default true); without them only file names travel and no path appears anywhere in the file. */
    readonly includePaths?: boolean;
    readonly overwrite?: boolean;
}

/** A folder a `folder` export can take: one of the archive's folders (an OS path of the backend's machine) and its images. */
export interface ExportFolder {
    readonly path: string;
    /** Assets with a file in the folder or below it. */
    readonly assets: number;
}

export interface ExportReport {
    readonly file: string;
    readonly assets: number;
    readonly media: number;
    readonly vectors: number;
    readonly collections: number;
    readonly bytes: number;
    readonly tookMs: number;
}

/** What an export file says about itself (read without importing anything). */
export interface ExportInspection {
    readonly file: string;
    readonly formatVersion: number;
    /** The archive schema version of the exporting app. */
    readonly schemaVersion: number;
    readonly generator: string;
    readonly createdAt: string;
    /** The scope as the exporter described it, e.g. "collection: Characters". */
    readonly scopeLabel: string;
    readonly assets: number;
    readonly includesMedia: boolean;
    readonly includesPaths: boolean;
    /** The exporting archive's root folders and how many of the file's assets lie below each (empty without paths). */
    readonly roots: readonly { readonly path: string; readonly assets: number }[];
    readonly bytes: number;
}

export interface ImportOptions {
    readonly file: string;
    /** Root folders of the exporting archive mapped to where the same images lie here (exported root path → local folder). Unmapped roots keep their paths. */
    readonly rootMap?: Readonly<Record<string, string>>;
    /**
     * For a file without paths: the folder its files are looked for in,
     * recursively, by name and size (and content where several match); each
     * found is recorded at its real path with this folder as its root, one not
     * found is not recorded (its asset arrives without a file). Default: a
     * folder beside the file named after it.
     */
    readonly placeUnder?: string;
    /** Reads, checks and reports what an import would do, writing nothing. */
    readonly dryRun?: boolean;
}

/** Something the import found both here and in the file, different: it kept this archive's value and reports the file's. */
export interface ImportConflict {
    readonly kind: 'rating' | 'caption' | 'collection' | 'preset' | 'file';
    readonly contentHash?: string;
    /** What it is about: a file name, a collection name, a language. */
    readonly subject: string;
    readonly local: string;
    readonly incoming: string;
}

export interface ImportReport {
    readonly file: string;
    readonly dryRun: boolean;
    readonly assetsAdded: number;
    /** Assets already here (same content hash) that received what the file had and this archive lacked. */
    readonly assetsMerged: number;
    readonly filesAdded: number;
    readonly tagsAdded: number;
    /** Ratings this archive gained: those that arrived with new assets and those set on assets here that had none. */
    readonly ratingsSet: number;
    readonly commentsAdded: number;
    readonly revisionsAdded: number;
    readonly captionsAdded: number;
    readonly vectorsAdded: number;
    readonly mediaAdded: number;
    readonly collectionsAdded: number;
    readonly collectionsMerged: number;
    /**
     * Of a file without paths (an export made without them): how many were
     * found under `placeUnder` (by name and size, and content where several
     * match) and recorded at their real paths, and how many were not (their
     * assets arrive without a file). Both 0 for an export with paths.
     */
    readonly filesFound: number;
    readonly filesNotFound: number;
    readonly conflicts: readonly ImportConflict[];
    /** True when the archive is as it was (everything in the file was already here). */
    readonly unchanged: boolean;
    readonly tookMs: number;
}

export type TransferStep = 'snapshot' | 'select' | 'strip' | 'media' | 'check' | 'merge' | 'vectors' | 'index' | 'commit';

export interface TransferProgress {
    readonly operationId: string;
    readonly step: TransferStep;
    readonly done: number;
    readonly total: number;
}

/**
 * Why an export file was refused, as a code the frontend and the CLI word
 * in the user's language; nothing was written.
 */
export type TransferErrorReason =
    | 'not-found'          // the file does not exist or cannot be read
    | 'not-an-export'      // not SQLite, or SQLite without an export manifest
    | 'newer-version'      // written by a newer format or archive schema
    | 'damaged'            // fails SQLite's integrity check, truncated, or the manifest is malformed
    | 'size-mismatch'      // the manifest's counts or a media entry's declared size disagree with the content
    | 'unsafe-path'        // a path that escapes (`..`, absolute where a relative one belongs, through a symlink) or a media name that is not a content hash
    | 'target-exists'      // export: the file exists and overwrite was not asked
    | 'cancelled'
    | 'read-only'          // the archive cannot be written
    | 'busy';              // another import or export runs

export interface TransferErrorData {
    readonly reason: TransferErrorReason;
    /** The file concerned. */
    readonly file: string;
    /** The specific finding, in English, for logs and the CLI (e.g. the offending path). */
    readonly detail?: string;
}

export namespace TransferErrors {
    export const Refused = ApplicationError.declare(-36301, (data: TransferErrorData) => ({
        message: `${data.file}: ${data.reason}${data.detail ? `: ${data.detail}` : ''}`,
        data
    }));
}

export const ArchiveTransferClient = Symbol('ArchiveTransferClient');

export interface ArchiveTransferClient {
    /** Called as an export or import advances (at most a few times a second). */
    onTransferProgress(progress: TransferProgress): void;
}

export const ArchiveTransferService = Symbol('ArchiveTransferService');

/**
 * One export or import at a time per archive (`busy` otherwise). A
 * cancelled or failed import changes nothing: the merge is one
 * transaction, media files are moved in only after it commits.
 */
export interface ArchiveTransferService {
    setClient(client: ArchiveTransferClient | undefined): void;
    exportArchive(options: ExportOptions, operationId: string): Promise<ExportReport>;
    /** The archive's folders (those it indexes), with their image counts, in path order: what a `folder` export is offered. */
    exportFolders(): Promise<ExportFolder[]>;
    /** Reads an export file's manifest and checks it; throws `TransferErrors.Refused` as an import would. */
    inspect(file: string): Promise<ExportInspection>;
    importArchive(options: ImportOptions, operationId: string): Promise<ImportReport>;
    /** Cancels a running export or import; it ends with `cancelled`. */
    cancel(operationId: string): Promise<void>;
}

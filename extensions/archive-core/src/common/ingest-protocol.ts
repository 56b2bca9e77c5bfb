/** The ingest RPC contract: adding folders to the archive and following their progress. */
import type { AssetLocation } from './asset-location';

export const INGEST_SERVICE_PATH = '/services/imageparser/ingest';

/** One ingest run's progress. Counts come from the store, so they survive a restart. */
export interface IngestProgress {
    readonly runId: number;
    /**
     * The folder being indexed, by its display label (its name; see
     * `AssetLocation.root`): every connected client hears of every run, so
     * the folder's OS path stays on the backend.
     */
    readonly rootLabel: string;
    /** The folder's id, for listing its failed and missing files (see `FileProblemService`). */
    readonly rootId: number;
    readonly state: 'discovering' | 'running' | 'done' | 'cancelled';
    /** Files of this run: new or changed since the last run. */
    readonly total: number;
    readonly indexed: number;
    readonly failed: number;
    /**
     * Failed files in the folder now: this run's and those that failed in
     * earlier runs and have not changed since (a run does not read them again).
     */
    readonly failedInFolder: number;
    /** Files of the folder that were indexed once and are gone from disk. */
    readonly missingInFolder: number;
    /** The file being read last, if any. */
    readonly currentFile?: AssetLocation;
    /** Files per second since the run (re)started in this process. */
    readonly rate: number;
    /** Seconds left at the current rate, when there is one. */
    readonly etaSeconds?: number;
    /**
     * What discovery left out, as only regular files are indexed: symbolic
     * links, and FIFOs, sockets and devices.
     */
    readonly skipped?: { readonly links: number; readonly special: number };
    /** Set when this process stopped (cancelled) while another process goes on indexing the folder. */
    readonly othersContinue?: boolean;
}

export const IngestClient = Symbol('IngestClient');

/** Receives progress of every run while connected. */
export interface IngestClient {
    onIngestProgress(progress: IngestProgress): void;
}

export const IngestService = Symbol('IngestService');

/** Adds folders to the archive. Paths travel as file URIs. */
export interface IngestService {
    /** Starts (or joins) indexing of the folder and answers its run id at once. */
    addFolder(folderUri: string): Promise<number>;
    /**
     * Starts indexing each folder or image file (dropped onto the desktop app,
     * where their paths are known) and answers the run ids, in order.
     */
    addPaths(uris: string[]): Promise<number[]>;
    /**
     * Starts indexing the files uploaded into an upload batch (see
     * `UploadRoutes`) and answers the run id; rejects with a clear message
     * when nothing was uploaded into it or the archive is read-only.
     */
    addUploadBatch(batch: string): Promise<number>;
    /** Stops this backend's work on the run after the files in flight; what is done stays done, and another process indexing the folder goes on. */
    cancel(runId: number): Promise<void>;
    /** The run's progress now. */
    getProgress(runId: number): Promise<IngestProgress | undefined>;
    setClient(client: IngestClient | undefined): void;
}

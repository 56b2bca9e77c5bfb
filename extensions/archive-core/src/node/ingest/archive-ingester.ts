import { inject, injectable, named, optional } from '@theia/core/shared/inversify';
import { Emitter, Event } from '@theia/core/lib/common/event';
import { ILogger } from '@theia/core/lib/common/logger';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { IngestProgress } from '../../common/ingest-protocol';
import { printable } from '../../common/printable-text';
import { ArchiveStore } from '../store/archive-store';
import { SqliteIngestClaims, WORKER_LEASE_MS, WorkEnd } from '../store/ingest-claims';
import { SqlitePhaseStateRepository } from '../store/phase-state-repository';
import { PendingFile, RunRecord, SqliteIngestRepository } from '../store/ingest-repository';
import { SqliteFileProblemRepository } from '../store/file-problem-repository';
import { assetLocation, rootLabel } from '../store/asset-locations';
import { discoverFiles } from './file-discovery';
import { systemFailureOf } from './ingest-failures';
import { ParsePool } from './parse-pool';
import { vectorIndexName, VectorIndexRepository } from '../store/vector-index-repository';
import { VISUAL_DESCRIPTOR_MODEL } from './visual-descriptor';
import { PhaseIds } from '../../common/job-protocol';
import { PhaseCommitter } from '../jobs/phase-committer';

export const ArchiveIngester = Symbol('ArchiveIngester');

/** Files up to this size are read into memory once (hash and parse together); larger ones stream their hash. */
const SINGLE_READ_LIMIT = 256 * 1024 * 1024;

/**
 * The vector count from which the built-in descriptor index is quantized.
 * Its 112-d vectors scan exactly in about 15 ms per 100,000, and building the
 * quantizer holds the writer (seconds at this size), so it waits until here.
 */
export const QUANTIZE_AT = 250_000;

/** How often a process that has nothing left to claim looks whether the files other processes hold are done. */
const CLAIM_POLL_MS = 500;

/**
 * Indexes folders into the archive: discovery, change detection, hashing and
 * parsing in the parse pool, and one transaction per asset. Everything it
 * knows is in the store, so a killed process resumes where it stopped.
 */
export interface ArchiveIngester {
    /** Fires while runs make progress (at most a few times a second) and when they end. */
    readonly onProgress: Event<IngestProgress>;
    /** Starts indexing `folder` (or joins the run already going on there) and answers the run id. */
    start(folder: string): Promise<number>;
    /**
     * Stops this process's work on the run after its files in flight; what
     * is done stays done. Another process indexing the same folder goes on
     * (the run ends as cancelled only when no other process works on it).
     */
    cancel(runId: number): void;
    progress(runId: number): Promise<IngestProgress | undefined>;
    /** Resolves when this process's part in the run ends, with its final progress: `done` only when no file of the run is pending. */
    finished(runId: number): Promise<IngestProgress>;
    /** Continues the runs a previous process left unfinished; answers their ids. */
    resumeUnfinished(): Promise<number[]>;
    /** Reads failed files (all, or these) again, in one run per folder; answers the run ids. */
    retryFailed(fileIds?: readonly number[]): Promise<number[]>;
}

interface ActiveRun {
    readonly run: RunRecord;
    state: IngestProgress['state'];
    cancelled: boolean;
    currentFile?: { readonly id: number; readonly path: string };
    readonly startedAt: number;
    processed: number;
    lastEmit: number;
    readonly done: Promise<IngestProgress>;
}

@injectable()
export class DefaultArchiveIngester implements ArchiveIngester, BackendApplicationContribution {

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    @inject(VectorIndexRepository) @optional()
    protected readonly vectors: VectorIndexRepository | undefined;

    @inject(ParsePool)
    protected readonly pool: ParsePool;

    @inject(PhaseCommitter) @optional()
    protected readonly phases: PhaseCommitter | undefined;

    @inject(ILogger) @named('archive-core:ArchiveIngester')
    protected readonly logger: ILogger;

    protected readonly onProgressEmitter = new Emitter<IngestProgress>();
    readonly onProgress = this.onProgressEmitter.event;

    protected readonly active = new Map<number, ActiveRun>();
    protected repositoryPromise: Promise<SqliteIngestRepository> | undefined;

    /** The repository over the open archive; a failed open is not remembered, so a fixed archive works without a restart. */
    protected repository(): Promise<SqliteIngestRepository> {
        if (!this.repositoryPromise) {
            this.repositoryPromise = this.store.open().then(({ database }) => new SqliteIngestRepository(database));
            this.repositoryPromise.catch(() => this.repositoryPromise = undefined);
        }
        return this.repositoryPromise;
    }

    onStart(): void {
        this.resumeUnfinished().catch(error => this.logger.error(`Resuming unfinished ingest runs failed: ${messageOf(error)}`));
    }

    async onStop(): Promise<void> {
        for (const active of this.active.values()) {
            active.cancelled = true;
        }
        await this.pool.destroy();
    }

    async start(folder: string): Promise<number> {
        const repository = await this.repository();
        const run = repository.startRun(folder);
        this.launch(repository, run);
        return run.id;
    }

    async resumeUnfinished(): Promise<number[]> {
        const repository = await this.repository();
        const runs = repository.unfinishedRuns().filter(run => !this.active.has(run.id));
        for (const run of runs) {
            this.logger.info(`Resuming the ingest of ${printable(run.root)} (run ${run.id})`);
            this.launch(repository, run);
        }
        return runs.map(run => run.id);
    }

    async retryFailed(fileIds?: readonly number[]): Promise<number[]> {
        const repository = await this.repository();
        const { database } = await this.store.open();
        const runIds = new SqliteFileProblemRepository(database).requeueFailed(fileIds);
        for (const runId of runIds) {
            this.launch(repository, repository.run(runId)!);
        }
        return runIds;
    }

    cancel(runId: number): void {
        const active = this.active.get(runId);
        if (active) {
            active.cancelled = true;
        }
    }

    async progress(runId: number): Promise<IngestProgress | undefined> {
        const repository = await this.repository();
        const active = this.active.get(runId);
        const run = active?.run ?? repository.run(runId);
        return run && this.describe(repository, run, active);
    }

    async finished(runId: number): Promise<IngestProgress> {
        const active = this.active.get(runId);
        if (active) {
            return active.done;
        }
        const progress = await this.progress(runId);
        if (!progress) {
            throw new Error(`No ingest run ${runId}`);
        }
        return progress;
    }

    protected launch(repository: SqliteIngestRepository, run: RunRecord): void {
        if (this.active.has(run.id)) {
            return;
        }
        let resolveDone!: (progress: IngestProgress) => void;
        const active: ActiveRun = {
            run, state: 'discovering', cancelled: false, startedAt: Date.now(), processed: 0, lastEmit: 0,
            done: new Promise(resolve => resolveDone = resolve)
        };
        this.active.set(run.id, active);
        let end: WorkEnd = 'cancelled';
        this.process(repository, active)
            .then(outcome => end = outcome)
            .catch(error => {
                this.logger.error(`Ingest of ${printable(run.root)} stopped: ${printable(messageOf(error))}`);
                active.cancelled = true;
            })
            .finally(() => {
                this.active.delete(run.id);
                const final = this.describe(repository, repository.run(run.id) ?? run, undefined, end);
                this.onProgressEmitter.fire(final);
                resolveDone(final);
            });
    }

    /**
     * This process's part in a run: discovery (every time, a resumed run's
     * too, so files added or changed since it began are in it), then files
     * claimed one at a time until none is left unclaimed. The run is done
     * once no file of it is pending, also those other processes hold (this
     * one waits for them, and takes them over if their process stops).
     * Cancelling stops only this process's work.
     */
    protected async process(repository: SqliteIngestRepository, active: ActiveRun): Promise<WorkEnd> {
        const { run } = active;
        const database = (await this.store.open()).database;
        const claims = new SqliteIngestClaims(database);
        const worker = claims.join(run.id);
        const heartbeat = setInterval(() => {
            try {
                claims.renew(worker);
            } catch (error) {
                this.logger.warn(`Renewing the claims of the ingest of ${printable(run.root)} failed: ${printable(messageOf(error))}`);
            }
        }, WORKER_LEASE_MS / 6);
        heartbeat.unref();
        let end: WorkEnd | undefined;
        try {
            this.emit(repository, active, true);
            const { files, skipped } = await discoverFiles(run.root);
            repository.recordDiscovery(run, files, skipped);
            active.state = 'running';
            this.emit(repository, active, true);
            const controls = new SqlitePhaseStateRepository(database);
            const lane = async () => {
                while (!active.cancelled) {
                    // Parse paused (in the Phases view, or by another process): claim nothing until it is resumed.
                    if (controls.isPaused(PhaseIds.PARSE)) {
                        await new Promise(resolve => setTimeout(resolve, CLAIM_POLL_MS));
                        continue;
                    }
                    const next = claims.claimNext(worker);
                    if (!next) {
                        return;
                    }
                    try {
                        active.currentFile = { id: next.id, path: next.path };
                        await this.ingestFile(repository, next);
                        active.processed++;
                    } finally {
                        claims.release(worker, next.id);
                    }
                    this.emit(repository, active, false);
                }
            };
            while (!active.cancelled) {
                await Promise.all(Array.from({ length: this.pool.threads }, lane));
                if (active.cancelled || claims.finishIfComplete(worker)) {
                    break;
                }
                // Another process holds the files still pending: wait for it, or for its claims to come back.
                await new Promise(resolve => setTimeout(resolve, CLAIM_POLL_MS));
            }
            if (!active.cancelled) {
                claims.retire(worker);
                end = 'done';
            }
        } finally {
            clearInterval(heartbeat);
            end ??= claims.leave(worker);
        }
        if (end === 'done') {
            await this.quantizeWhenLarge();
        }
        return end;
    }

    /**
     * Hash, then either link the file to the asset with the same content or
     * parse and store a new asset. A file whose size no known content has
     * cannot be a copy: it is read once, hashed while parsed. Files small
     * enough to hold in memory only; larger ones are hashed by streaming.
     */
    protected async ingestFile(repository: SqliteIngestRepository, file: PendingFile): Promise<void> {
        try {
            let hash: string | undefined;
            if (file.size === 0 || file.size > SINGLE_READ_LIMIT || repository.hasContentOfSize(file.size, file.id)) {
                const hashed = await this.pool.hash(file.path);
                if (!hashed.ok) {
                    repository.failFile(file.id, hashed.error.code, printable(hashed.error.message));
                    return;
                }
                const existing = repository.assetIdForContent(hashed.hash);
                if (existing !== undefined) {
                    repository.linkExisting(file.id, existing, hashed.hash);
                    return;
                }
                hash = hashed.hash;
            }
            const outcome = await this.pool.parse(file.path, hash === undefined);
            if (!outcome.ok) {
                repository.failFile(file.id, outcome.error.code, printable(outcome.error.message));
                return;
            }
            hash ??= outcome.hash;
            if (!hash) {
                throw new Error('the parse worker answered without the content hash it was asked for');
            }
            const { media } = await this.store.open();
            const thumbnailHash = media.put(outcome.asset.thumbnail);
            const previewHash = media.put(outcome.asset.preview);
            // storeParsed links instead when another lane stored the same content meanwhile.
            // Parsers pass on libraries' messages, which may hold raw bytes of the file.
            const asset = outcome.asset.notes === undefined ? outcome.asset : { ...outcome.asset, notes: printable(outcome.asset.notes) };
            // The parse phase's end: its state and the next phases' jobs commit with the asset.
            repository.storeParsed(file.id, hash, asset, { thumbnailHash, previewHash }, (db, assetId) => this.phases?.queueNext(db, assetId, PhaseIds.PARSE));
        } catch (error) {
            this.logger.error(`Indexing ${printable(file.path)} failed: ${printable(messageOf(error))}`);
            // A full disk or too many open files passes; the next run tries the file again (as it does after any error of the archive itself).
            const failure = systemFailureOf(error) ?? { code: 'internal', message: `ImageParser could not store this file: ${messageOf(error)}` };
            repository.failFile(file.id, failure.code, printable(failure.message));
        }
    }

    /**
     * Once the descriptor index holds enough vectors that an exact scan gets
     * slow, it gets its bit quantizer (built once; writes keep it current).
     */
    protected async quantizeWhenLarge(): Promise<void> {
        if (!this.vectors) {
            return;
        }
        const index = vectorIndexName('visual', VISUAL_DESCRIPTOR_MODEL);
        const count = await this.vectors.count(index);
        if (count >= QUANTIZE_AT && !await this.vectors.isQuantized(index)) {
            this.logger.info(`Quantizing the ${count} vectors of ${index} for fast similarity search`);
            await this.vectors.quantize(index);
        }
    }

    protected emit(repository: SqliteIngestRepository, active: ActiveRun, force: boolean): void {
        const now = Date.now();
        if (force || now - active.lastEmit >= 250) {
            active.lastEmit = now;
            this.onProgressEmitter.fire(this.describe(repository, active.run, active));
        }
    }

    /** The run's progress; `end` is how this process's part in it ended, once it has. */
    protected describe(repository: SqliteIngestRepository, run: RunRecord, active: ActiveRun | undefined, end?: WorkEnd): IngestProgress {
        const counts = repository.counts(run.id);
        // The skipped counts are written by discovery, after the run record was read.
        const fresh = repository.run(run.id) ?? run;
        const elapsed = active ? (Date.now() - active.startedAt) / 1000 : 0;
        const rate = active && elapsed > 0 ? active.processed / elapsed : 0;
        const state = end ? (end === 'done' ? 'done' : 'cancelled') : active ? active.state : run.state === 'running' ? 'running' : run.state;
        const inFolder = new SqliteFileProblemRepository(repository.database).rootCounts(run.rootId);
        return {
            runId: run.id,
            rootLabel: rootLabel(run.root),
            rootId: run.rootId,
            failedInFolder: inFolder.failed,
            missingInFolder: inFolder.missing,
            state,
            othersContinue: end === 'left' || undefined,
            skipped: fresh.skipped.links || fresh.skipped.special ? fresh.skipped : undefined,
            total: counts.total,
            indexed: counts.indexed,
            failed: counts.failed,
            currentFile: active?.currentFile && assetLocation({ fileId: active.currentFile.id, filePath: active.currentFile.path, rootId: run.rootId, rootPath: run.root }),
            rate,
            etaSeconds: rate > 0 ? counts.pending / rate : undefined
        };
    }
}

function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

import { inject, injectable, named, optional } from '@theia/core/shared/inversify';
import { ILogger } from '@theia/core/lib/common/logger';
import type { ExportInspection, ImportOptions, ImportReport, TransferStep } from '../../common/archive-transfer-protocol';
import { TransferErrors } from '../../common/archive-transfer-protocol';
import { CollectionChangeNotifier } from '../collections/collection-change-notifier';
import { ArchiveImportRepository } from '../store/archive-import-repository';
import { ArchiveStore } from '../store/archive-store';
import { ExportFile, ExportFileRefusal } from '../store/export-file';
import type { TransferProgressCallback } from './archive-exporter';
import { ArchiveImporter } from './archive-importer';
import { ImportMediaStaging } from './import-media-staging';
import { findImportedFiles } from './import-file-finder';
import { checkUnmappedRoots, defaultPlaceUnder, folderMapping, placeImportedFiles } from './import-placement';

/** How many media files are written at the same time. */
const MEDIA_WRITES_AT_ONCE = 8;

/** SQLite's answers to rows a checked file still got wrong (a constraint or a type): the file is damaged, not the archive. */
const DATA_ERROR = /^SQLITE_(CONSTRAINT|MISMATCH)/;

/**
 * Imports export files: the whole file is checked (see `ExportFile`) and
 * every path placed before the archive is touched; the merge is one write
 * transaction; thumbnails and previews are written to temporary files
 * before it and renamed into the media store after it commits. A
 * cancellation lands between steps, up to the start of the merge (which is
 * announced as the `merge` step); the merge itself runs synchronously, so a
 * cancel sent during it arrives after the commit. A cancel seen at a
 * progress report of the merge (an in-process caller) rolls it back.
 * A committed import that changed the archive tells the collection change
 * notifier (where collections are bound), so every connection's
 * Collections view shows what arrived.
 */
@injectable()
export class DefaultArchiveImporter implements ArchiveImporter {

    @inject(ArchiveImportRepository)
    protected readonly repository: ArchiveImportRepository;

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    /** Absent where collections are not bound (the command-line tool): no connection to tell. */
    @inject(CollectionChangeNotifier) @optional()
    protected readonly collectionChanges: CollectionChangeNotifier | undefined;

    @inject(ILogger) @named('archive-core:ArchiveImporter')
    protected readonly logger: ILogger;

    async inspect(file: string): Promise<ExportInspection> {
        const source = await this.openChecked(file);
        try {
            placeImportedFiles(source, { file });
            const { manifest } = source;
            return {
                file, formatVersion: manifest.formatVersion, schemaVersion: manifest.schemaVersion, generator: manifest.generator,
                createdAt: manifest.createdAt, scopeLabel: manifest.scopeLabel, assets: manifest.assets,
                includesMedia: manifest.includesMedia, includesPaths: manifest.includesPaths,
                roots: source.roots().map(root => ({ path: root.path, assets: root.assets })), bytes: source.bytes
            };
        } catch (error) {
            throw this.refusal(error, file);
        } finally {
            source.close();
        }
    }

    async import(options: ImportOptions, progress: TransferProgressCallback, signal: AbortSignal): Promise<ImportReport> {
        const started = Date.now();
        const file = options.file;
        const cancelled = () => TransferErrors.Refused({ reason: 'cancelled', file });
        const checkAbort = () => {
            if (signal.aborted) {
                throw cancelled();
            }
        };
        checkAbort();
        const { media, readOnly } = await this.store.open();
        if (readOnly && !options.dryRun) {
            throw TransferErrors.Refused({ reason: 'read-only', file, detail: 'this archive can only be read' });
        }
        progress({ step: 'check', done: 0, total: 1 });
        const source = await this.openChecked(file);
        const staging = new ImportMediaStaging(media);
        try {
            checkUnmappedRoots(source, options);
            const places = placeImportedFiles(source, options);
            const found = await findImportedFiles(source, options.placeUnder ?? defaultPlaceUnder(file), checkAbort);
            found.places.forEach((place, id) => places.set(id, place));
            progress({ step: 'check', done: 1, total: 1 });
            // Lets a cancel that arrived during the checks land before the merge starts.
            await new Promise(resolve => setImmediate(resolve));
            checkAbort();
            const inFile = source.mediaHashes();
            const report = (step: TransferStep, done: number, total: number) => {
                progress({ step, done, total });
                checkAbort();
            };
            let mediaAdded = 0;
            if (!options.dryRun) {
                // Written before the merge, outside the archive's write lock; renamed into place once it commits.
                await this.stageMedia(source, staging, inFile.size, report);
            }
            // The merge is one synchronous write transaction that no cancel can reach: the client is told
            // before it starts (so it can say so), and a cancel sent until then still lands here.
            progress({ step: 'merge', done: 0, total: 0 });
            await new Promise(resolve => setImmediate(resolve));
            checkAbort();
            const outcome = await this.repository.merge(source, {
                files: places,
                mapFolder: folderMapping(source, options),
                mediaAvailable: hash => inFile.has(hash) || media.has(hash),
                progress: report
            }, {
                dryRun: options.dryRun,
                beforeCommit: () => report('commit', 0, 1)
            });
            if (options.dryRun) {
                mediaAdded = [...inFile].filter(hash => staging.lacks(hash)).length;
            } else {
                mediaAdded = staging.count;
                staging.commit();
                if (outcome.changed) {
                    // Collections, presets, members or the assets they show may have arrived.
                    this.collectionChanges?.changed();
                }
            }
            progress({ step: 'commit', done: 1, total: 1 });
            const { counts, conflicts } = outcome;
            this.logger.info(`Imported ${file}${options.dryRun ? ' (dry run)' : ''}: ${counts.assetsAdded} assets added, ${counts.assetsMerged} merged, `
                + `${conflicts.length} conflicts`);
            return {
                file, dryRun: !!options.dryRun,
                assetsAdded: counts.assetsAdded, assetsMerged: counts.assetsMerged, filesAdded: counts.filesAdded, tagsAdded: counts.tagsAdded,
                ratingsSet: counts.ratingsSet, commentsAdded: counts.commentsAdded, revisionsAdded: counts.revisionsAdded,
                captionsAdded: counts.captionsAdded, vectorsAdded: counts.vectorsAdded, mediaAdded,
                collectionsAdded: counts.collectionsAdded, collectionsMerged: counts.collectionsMerged,
                filesFound: found.found, filesNotFound: found.notFound, conflicts, unchanged: !outcome.changed && mediaAdded === 0, tookMs: Date.now() - started
            };
        } catch (error) {
            staging.discard();
            throw this.refusal(error, file);
        } finally {
            source.close();
        }
    }

    /** Writes the file's media this archive lacks to temporary files, a few at a time; a cancel waits for the writes under way. */
    protected async stageMedia(source: ExportFile, staging: ImportMediaStaging, total: number,
        report: (step: TransferStep, done: number, total: number) => void): Promise<void> {
        const writing = new Set<Promise<void>>();
        try {
            let done = 0;
            for (const entry of this.repository.media(source)) {
                report('media', done++, total);
                if (!staging.lacks(entry.hash)) {
                    continue;
                }
                const write: Promise<void> = staging.stage(entry.hash, entry.bytes).finally(() => writing.delete(write));
                writing.add(write);
                if (writing.size >= MEDIA_WRITES_AT_ONCE) {
                    await Promise.race(writing);
                }
            }
            await Promise.all(writing);
        } finally {
            await Promise.allSettled(writing);
        }
    }

    protected async openChecked(file: string): Promise<ExportFile> {
        try {
            return await this.repository.open(file);
        } catch (error) {
            throw this.refusal(error, file);
        }
    }

    /** An error as the transfer service answers it: refusals with their reason, a row SQLite would not take as `damaged`. */
    protected refusal(error: unknown, file: string): unknown {
        if (error instanceof ExportFileRefusal) {
            return error.toRefused();
        }
        const code = (error as { code?: unknown }).code;
        if (typeof code === 'string' && DATA_ERROR.test(code)) {
            return TransferErrors.Refused({ reason: 'damaged', file, detail: (error as Error).message });
        }
        return error;
    }
}

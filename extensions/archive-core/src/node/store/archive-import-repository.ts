import { inject, injectable } from '@theia/core/shared/inversify';
import type { ImportConflict } from '../../common/archive-transfer-protocol';
import { MEDIA_TABLE } from '../transfer/export-format';
import { ArchiveImportMerge, ImportPlan, MergeCounts } from './archive-import-merge';
import { ArchiveStore } from './archive-store';
import { ExportFile, ExportFileRefusal } from './export-file';
import { checkColumnTypes, declaredColumnTypes } from './export-file-types';

export { ImportPlan, ImportedFilePlace, MergeCounts } from './archive-import-merge';

/** What a merge did, or what a dry run would have done. */
export interface MergeOutcome {
    readonly counts: MergeCounts;
    readonly conflicts: readonly ImportConflict[];
    /** False when the archive was left as it was. */
    readonly changed: boolean;
}

export interface MergeOptions {
    /** Runs the whole merge and rolls it back: the counts of what an import would do. */
    readonly dryRun?: boolean;
    /** Runs inside the transaction just before it commits (not on a dry run); throwing rolls everything back. */
    readonly beforeCommit?: () => void;
}

export const ArchiveImportRepository = Symbol('ArchiveImportRepository');

/**
 * Export files read for import, and their merge into the open archive in
 * one write transaction (see {@link ArchiveImportMerge}).
 */
export interface ArchiveImportRepository {
    /** Opens an export file read-only and checks all of it against this archive's schema; throws {@link ExportFileRefusal}. */
    open(file: string): Promise<ExportFile>;
    /** Merges the checked file into the archive, all or nothing. */
    merge(source: ExportFile, plan: ImportPlan, options?: MergeOptions): Promise<MergeOutcome>;
    /** The file's media entries one at a time (hash and bytes). */
    media(source: ExportFile): IterableIterator<{ hash: string; bytes: Buffer }>;
}

/** Thrown inside a dry run's transaction to roll it back. */
class DryRunRollback extends Error { }

@injectable()
export class SqliteArchiveImportRepository implements ArchiveImportRepository {

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    async open(file: string): Promise<ExportFile> {
        const { database } = await this.store.open();
        const source = ExportFile.open(file, database.schemaVersion);
        try {
            checkColumnTypes(source, table => declaredColumnTypes(database.reader, table));
        } catch (error) {
            source.close();
            throw error;
        }
        return source;
    }

    async merge(source: ExportFile, plan: ImportPlan, options: MergeOptions = {}): Promise<MergeOutcome> {
        const { database } = await this.store.open();
        if (database.readOnly) {
            throw new ExportFileRefusal('read-only', source.file, 'this archive can only be read');
        }
        let merge: ArchiveImportMerge | undefined;
        try {
            database.write(db => {
                merge = new ArchiveImportMerge(db, source, plan);
                merge.run();
                if (options.dryRun) {
                    throw new DryRunRollback();
                }
                options.beforeCommit?.();
            });
        } catch (error) {
            if (!(error instanceof DryRunRollback)) {
                throw error;
            }
        }
        return { counts: merge!.counts, conflicts: merge!.conflicts, changed: merge!.changed };
    }

    *media(source: ExportFile): IterableIterator<{ hash: string; bytes: Buffer }> {
        yield* source.iterate<{ hash: string; bytes: Buffer }>(MEDIA_TABLE, 'hash');
    }
}

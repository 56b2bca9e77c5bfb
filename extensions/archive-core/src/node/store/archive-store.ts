import { inject, injectable, named } from '@theia/core/shared/inversify';
import { ILogger } from '@theia/core/lib/common/logger';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { ArchiveDatabase } from './database';
import { ArchiveLocation } from './archive-location';
import { ArchiveLocationProvider } from './archive-location-provider';
import { MediaStore } from './media-store';
import { SweepReport, sweepTemporaryFiles } from './temporary-file-sweeper';

/** An archive that is open: where it lives, its database and its media folder. */
export interface OpenArchive {
    readonly location: ArchiveLocation;
    readonly database: ArchiveDatabase;
    readonly media: MediaStore;
    /** Settles when the temporary files killed processes left in the archive folder have been removed (started when the archive opened). */
    readonly swept: Promise<SweepReport>;
    /** True when the archive can only be read (read-only folder, file or mount): browsing works, every write is refused. */
    readonly readOnly: boolean;
}

export const ArchiveStore = Symbol('ArchiveStore');

/**
 * The one owner of the archive's database in this backend. Repositories reach
 * SQLite through it and nothing else opens the file.
 */
export interface ArchiveStore {
    /**
     * The open archive. The first call opens it (migrating if needed); later
     * calls share it. Rejects with an `ArchiveOpenError` when the file cannot be
     * used; the next call tries again, so a fixed file needs no restart.
     */
    open(): Promise<OpenArchive>;
    /** The archive when it is open now; never opens it (for watchers that must not retry a broken file). */
    opened(): OpenArchive | undefined;
    /** Closes the database connections; a later {@link open} opens them again. */
    close(): void;
}

@injectable()
export class DefaultArchiveStore implements ArchiveStore, BackendApplicationContribution {

    @inject(ArchiveLocationProvider)
    protected readonly locationProvider: ArchiveLocationProvider;

    @inject(ILogger) @named('archive-core:ArchiveStore')
    protected readonly logger: ILogger;

    protected opening: Promise<OpenArchive> | undefined;
    protected current: OpenArchive | undefined;

    open(): Promise<OpenArchive> {
        if (!this.opening) {
            this.opening = this.doOpen();
            this.opening.catch(() => this.opening = undefined);
        }
        return this.opening;
    }

    protected async doOpen(): Promise<OpenArchive> {
        const location = await this.locationProvider.resolve();
        const database = ArchiveDatabase.open(ArchiveLocation.databaseFile(location));
        const readOnly = database.readOnly;
        // A read-only archive keeps whatever it holds: nothing is swept.
        const swept: Promise<SweepReport> = readOnly ? Promise.resolve({ removed: [], kept: [] }) : sweepTemporaryFiles(location.folder);
        swept.then(({ removed }) => {
            if (removed.length) {
                this.logger.info(`Removed ${removed.length} temporary files left by stopped processes`);
            }
        });
        this.current = { location, database, media: new MediaStore(ArchiveLocation.mediaFolder(location)), swept, readOnly };
        this.logger.info(`Archive open${readOnly ? ' read-only' : ''} at ${location.folder} (${location.source}), schema version ${database.schemaVersion}`);
        return this.current;
    }

    opened(): OpenArchive | undefined {
        return this.current;
    }

    close(): void {
        this.current?.database.close();
        this.current = undefined;
        this.opening = undefined;
    }

    onStart(): void {
        this.open().catch(error => this.logger.error(error instanceof Error ? error.message : String(error)));
    }

    onStop(): void {
        this.close();
    }
}

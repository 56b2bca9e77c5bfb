import { inject, injectable, named } from '@theia/core/shared/inversify';
import { Emitter, Event } from '@theia/core/lib/common/event';
import { ILogger } from '@theia/core/lib/common/logger';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { ArchiveDatabase } from './database';
import { ArchiveStore } from './archive-store';

export const ArchiveChangeWatcher = Symbol('ArchiveChangeWatcher');

/** Notices commits to the open archive, by this process or any other. */
export interface ArchiveChangeWatcher {
    /** Fires at most once per poll interval after commits; also when an archive opens. */
    readonly onDidChange: Event<void>;
    /** Looks now, instead of waiting for the next poll; answers whether something changed. */
    check(): boolean;
}

/** How often the watcher looks. A look is one `PRAGMA data_version`: no file system access beyond SQLite's shared memory. */
export const ARCHIVE_CHANGE_POLL_MS = 1000;

/**
 * Polls `PRAGMA data_version` on the archive's read connection: SQLite
 * changes it whenever another connection commits, and the read connection
 * writes nothing itself, so every commit counts (this backend's writer, or
 * another process such as the CLI). Only an archive that is already open is
 * watched: a broken archive file is never reopened from here.
 */
@injectable()
export class PollingArchiveChangeWatcher implements ArchiveChangeWatcher, BackendApplicationContribution {

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    @inject(ILogger) @named('archive-core:ArchiveChangeWatcher')
    protected readonly logger: ILogger;

    protected readonly onDidChangeEmitter = new Emitter<void>();
    readonly onDidChange: Event<void> = this.onDidChangeEmitter.event;

    protected timer: NodeJS.Timeout | undefined;
    protected watched: ArchiveDatabase | undefined;
    protected version: number | undefined;

    onStart(): void {
        this.timer = setInterval(() => this.check(), ARCHIVE_CHANGE_POLL_MS);
        this.timer.unref();
    }

    onStop(): void {
        clearInterval(this.timer);
        this.timer = undefined;
    }

    check(): boolean {
        const database = this.store.opened()?.database;
        if (!database) {
            this.watched = undefined;
            return false;
        }
        let version: number;
        try {
            version = database.reader.pragma('data_version', { simple: true }) as number;
        } catch (error) {
            this.logger.warn(`Cannot read the archive's data version: ${error instanceof Error ? error.message : String(error)}`);
            return false;
        }
        const changed = database !== this.watched || version !== this.version;
        this.watched = database;
        this.version = version;
        if (changed) {
            this.onDidChangeEmitter.fire();
        }
        return changed;
    }
}

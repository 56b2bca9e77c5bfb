import { inject, injectable, named, postConstruct } from '@theia/core/shared/inversify';
import { DisposableCollection } from '@theia/core/lib/common/disposable';
import { ILogger } from '@theia/core/lib/common/logger';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';
import { SMART_COLLECTION_LIMIT, SmartQuery } from '../../common/collection-protocol';
import { SearchRanking } from '../search/search-engine';
import { ArchiveChangeWatcher } from '../store/archive-change-watcher';
import { CollectionRepository } from '../store/collection-repository';
import { CollectionChangeNotifier } from './collection-change-notifier';

/** How long the archive must stay quiet after a change before smart collections are recomputed. */
export const SMART_REFRESH_DEBOUNCE_MS = 300;
/** While the archive keeps changing (an ingest), smart collections are recomputed at most this often. */
export const SMART_REFRESH_MIN_INTERVAL_MS = 3000;

export const SmartCollectionUpdater = Symbol('SmartCollectionUpdater');

/**
 * Keeps smart collections' members (`smart_collection_members`) equal to
 * what their saved searches answer now: each saved search runs through the
 * real search engine (its first {@link SMART_COLLECTION_LIMIT} hits, in the
 * search's order). Recomputed when the archive changes (after
 * {@link SMART_REFRESH_DEBOUNCE_MS} of quiet, at most once per
 * {@link SMART_REFRESH_MIN_INTERVAL_MS} while it keeps changing), and at once when a smart
 * collection is made or its search changes. Members are written only when
 * they differ, and then collection clients are told.
 */
export interface SmartCollectionUpdater {
    /** Recomputes one smart collection (all when `id` is undefined); answers whether any members changed. */
    refresh(id?: number): Promise<boolean>;
    /** The ids a saved search answers now, at most {@link SMART_COLLECTION_LIMIT}; throws the engine's readable Error for a search it refuses. */
    evaluate(query: SmartQuery): Promise<number[]>;
}

@injectable()
export class DefaultSmartCollectionUpdater implements SmartCollectionUpdater, BackendApplicationContribution {

    @inject(CollectionRepository) protected readonly collections: CollectionRepository;
    @inject(SearchRanking) protected readonly ranking: SearchRanking;
    @inject(ArchiveChangeWatcher) protected readonly watcher: ArchiveChangeWatcher;
    @inject(CollectionChangeNotifier) protected readonly notifier: CollectionChangeNotifier;

    @inject(ILogger) @named('archive-core:SmartCollectionUpdater')
    protected readonly logger: ILogger;

    protected readonly toDispose = new DisposableCollection();
    protected timer: NodeJS.Timeout | undefined;
    /** When the last refresh after an archive change started (ms since 1970). */
    protected lastScheduled = 0;
    /** The refresh running now; refreshes wait for each other so two never write at once. */
    protected running: Promise<unknown> = Promise.resolve();

    @postConstruct()
    protected init(): void {
        this.toDispose.push(this.watcher.onDidChange(() => this.schedule()));
    }

    onStop(): void {
        clearTimeout(this.timer);
        this.toDispose.dispose();
    }

    /** Recomputes every smart collection once the archive has been quiet for a while. */
    protected schedule(): void {
        clearTimeout(this.timer);
        const delay = Math.max(SMART_REFRESH_DEBOUNCE_MS, this.lastScheduled + SMART_REFRESH_MIN_INTERVAL_MS - Date.now());
        this.timer = setTimeout(() => {
            this.timer = undefined;
            this.lastScheduled = Date.now();
            this.refresh().catch(error => this.logger.warn(`Smart collections were not recomputed: ${describe(error)}`));
        }, delay);
        this.timer.unref?.();
    }

    refresh(id?: number): Promise<boolean> {
        const next = this.running.then(() => this.doRefresh(id));
        this.running = next.catch(() => undefined);
        return next;
    }

    protected async doRefresh(id: number | undefined): Promise<boolean> {
        const smart = (await this.collections.smartQueries()).filter(candidate => id === undefined || candidate.id === id);
        let changed = false;
        for (const collection of smart) {
            let members: number[];
            try {
                members = await this.evaluate(JSON.parse(collection.query));
            } catch (error) {
                // A search the engine refuses now (a filter whose package was removed): its members stay as they were.
                this.logger.warn(`Smart collection ${collection.id} keeps its members: ${describe(error)}`);
                continue;
            }
            if (await this.collections.replaceSmartMembers(collection.id, members)) {
                changed = true;
            }
        }
        if (changed) {
            this.notifier.changed();
        }
        return changed;
    }

    evaluate(query: SmartQuery): Promise<number[]> {
        return this.ranking.rankedIds(query, SMART_COLLECTION_LIMIT);
    }
}

function describe(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

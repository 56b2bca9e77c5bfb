import { inject, injectable } from '@theia/core/shared/inversify';
import { Emitter, Event } from '@theia/core/lib/common/event';
import { prepared } from './database';
import { ArchiveStore } from './archive-store';
import { refreshAssetText } from './asset-text';

export const TagRepository = Symbol('TagRepository');

/** Tags on assets. Every change updates the assets' full-text rows in the same transaction. */
export interface TagRepository {
    /** Fires after tags changed, with the assets concerned. */
    readonly onDidChange: Event<readonly number[]>;
    /** Adds the tags to every asset (one transaction); answers how many links were new. */
    addTags(assetIds: readonly number[], names: readonly string[], source?: 'user' | 'ai'): Promise<number>;
    /** Removes the tags from every asset (one transaction); answers how many links went. */
    removeTags(assetIds: readonly number[], names: readonly string[]): Promise<number>;
    tagsOf(assetId: number): Promise<string[]>;
}

@injectable()
export class SqliteTagRepository implements TagRepository {

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    protected readonly onDidChangeEmitter = new Emitter<readonly number[]>();
    readonly onDidChange = this.onDidChangeEmitter.event;

    async addTags(assetIds: readonly number[], names: readonly string[], source: 'user' | 'ai' = 'user'): Promise<number> {
        const clean = cleanNames(names);
        const { database } = await this.store.open();
        const added = database.write(db => {
            let count = 0;
            for (const name of clean) {
                prepared(db, 'INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING').run(name);
                const tagId = prepared(db, 'SELECT id FROM tags WHERE name = ?').pluck().get(name) as number;
                for (const assetId of assetIds) {
                    count += prepared(db, 'INSERT OR IGNORE INTO asset_tags (asset_id, tag_id, source) VALUES (?, ?, ?)').run(assetId, tagId, source).changes;
                }
            }
            for (const assetId of assetIds) {
                refreshAssetText(db, assetId);
            }
            return count;
        });
        this.onDidChangeEmitter.fire(assetIds);
        return added;
    }

    async removeTags(assetIds: readonly number[], names: readonly string[]): Promise<number> {
        const clean = cleanNames(names);
        const { database } = await this.store.open();
        const removed = database.write(db => {
            let count = 0;
            for (const name of clean) {
                for (const assetId of assetIds) {
                    count += prepared(db, 'DELETE FROM asset_tags WHERE asset_id = ? AND tag_id = (SELECT id FROM tags WHERE name = ?)').run(assetId, name).changes;
                }
            }
            for (const assetId of assetIds) {
                refreshAssetText(db, assetId);
            }
            return count;
        });
        this.onDidChangeEmitter.fire(assetIds);
        return removed;
    }

    async tagsOf(assetId: number): Promise<string[]> {
        const { database } = await this.store.open();
        return prepared(database.reader, 'SELECT DISTINCT t.name FROM asset_tags a JOIN tags t ON t.id = a.tag_id WHERE a.asset_id = ? ORDER BY t.name')
            .pluck().all(assetId) as string[];
    }
}

/** Trimmed, whitespace collapsed, empty ones and duplicates dropped. */
function cleanNames(names: readonly string[]): string[] {
    return [...new Set(names.map(name => name.trim().replace(/\s+/g, ' ')).filter(Boolean))];
}

import { inject, injectable } from '@theia/core/shared/inversify';
import { Emitter, Event } from '@theia/core/lib/common/event';
import type { EditOutcome } from '../../common/annotation-protocol';
import { prepared } from './database';
import { ArchiveStore } from './archive-store';
import { refreshAssetText } from './asset-text';
import { recordEdit, TagLink } from './edit-journal';

export const TagRepository = Symbol('TagRepository');

export interface TagEditOptions {
    /** Who edits, for the undo journal; AI tags (no author) are not journalled. */
    readonly author?: string;
    readonly source?: 'user' | 'ai';
}

/** Tags on assets. Every change updates the assets' full-text rows in the same transaction. */
export interface TagRepository {
    /** Fires after tags changed, with the assets concerned. */
    readonly onDidChange: Event<readonly number[]>;
    /** Adds the tags to every asset (one transaction); `changed` counts the links that were new. */
    addTags(assetIds: readonly number[], names: readonly string[], options?: TagEditOptions): Promise<EditOutcome>;
    /** Removes the tags from every asset (one transaction); `changed` counts the links that went. */
    removeTags(assetIds: readonly number[], names: readonly string[], options?: TagEditOptions): Promise<EditOutcome>;
    tagsOf(assetId: number): Promise<string[]>;
    /** Tags starting with the text first, then containing it; most used first within each. */
    suggest(text: string, limit: number): Promise<string[]>;
}

@injectable()
export class SqliteTagRepository implements TagRepository {

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    protected readonly onDidChangeEmitter = new Emitter<readonly number[]>();
    readonly onDidChange = this.onDidChangeEmitter.event;

    async addTags(assetIds: readonly number[], names: readonly string[], { author, source = 'user' }: TagEditOptions = {}): Promise<EditOutcome> {
        const clean = cleanNames(names);
        const { database } = await this.store.open();
        const outcome = database.write(db => {
            const links: TagLink[] = [];
            for (const name of clean) {
                prepared(db, 'INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING').run(name);
                const tag = prepared(db, 'SELECT id, name FROM tags WHERE name = ?').get(name) as { id: number; name: string };
                for (const assetId of new Set(assetIds)) {
                    if (prepared(db, 'INSERT OR IGNORE INTO asset_tags (asset_id, tag_id, source) VALUES (?, ?, ?)').run(assetId, tag.id, source).changes) {
                        links.push([assetId, tag.name, source, null]);
                    }
                }
            }
            for (const assetId of new Set(links.map(([id]) => id))) {
                refreshAssetText(db, assetId);
            }
            return { changed: links.length, record: links.length && author ? recordEdit(db, 'tags-added', author, { links }) : undefined };
        });
        this.onDidChangeEmitter.fire(assetIds);
        return outcome;
    }

    async removeTags(assetIds: readonly number[], names: readonly string[], { author, source }: TagEditOptions = {}): Promise<EditOutcome> {
        const clean = cleanNames(names);
        const { database } = await this.store.open();
        const outcome = database.write(db => {
            const links: TagLink[] = [];
            for (const name of clean) {
                const tag = prepared(db, 'SELECT id, name FROM tags WHERE name = ?').get(name) as { id: number; name: string } | undefined;
                if (!tag) {
                    continue;
                }
                for (const assetId of new Set(assetIds)) {
                    const removed = prepared(db, 'DELETE FROM asset_tags WHERE asset_id = ? AND tag_id = ? AND (? IS NULL OR source = ?) RETURNING source, confidence')
                        .all(assetId, tag.id, source ?? null, source ?? null) as { source: 'user' | 'ai'; confidence: number | null }[];
                    links.push(...removed.map(link => [assetId, tag.name, link.source, link.confidence] as const));
                }
            }
            for (const assetId of new Set(links.map(([id]) => id))) {
                refreshAssetText(db, assetId);
            }
            return { changed: links.length, record: links.length && author ? recordEdit(db, 'tags-removed', author, { links }) : undefined };
        });
        this.onDidChangeEmitter.fire(assetIds);
        return outcome;
    }

    async tagsOf(assetId: number): Promise<string[]> {
        const { database } = await this.store.open();
        return prepared(database.reader, 'SELECT DISTINCT t.name FROM asset_tags a JOIN tags t ON t.id = a.tag_id WHERE a.asset_id = ? ORDER BY t.name')
            .pluck().all(assetId) as string[];
    }

    async suggest(text: string, limit: number): Promise<string[]> {
        const needle = text.trim().replace(/[\\%_]/g, match => `\\${match}`);
        const { database } = await this.store.open();
        // Tags only earlier versions of files carry are not offered: search never shows those assets.
        return prepared(database.reader, `SELECT t.name FROM tags t JOIN asset_tags x ON x.tag_id = t.id JOIN assets a ON a.id = x.asset_id AND a.superseded = 0
                WHERE t.name LIKE ? ESCAPE '\\' GROUP BY t.id
                ORDER BY t.name LIKE ? ESCAPE '\\' DESC, count(x.asset_id) DESC, t.name LIMIT ?`)
            .pluck().all(`%${needle}%`, `${needle}%`, Math.max(1, Math.min(100, limit))) as string[];
    }
}

/** Longest tag name kept, in characters. */
export const MAX_TAG_LENGTH = 100;

/** Trimmed, whitespace collapsed, empty ones and duplicates dropped; an overlong name is refused. */
function cleanNames(names: readonly string[]): string[] {
    const clean = [...new Set(names.map(name => String(name).trim().replace(/\s+/g, ' ')).filter(Boolean))];
    const long = clean.find(name => Array.from(name).length > MAX_TAG_LENGTH);
    if (long) {
        throw new Error(`A tag can be at most ${MAX_TAG_LENGTH} characters long ("${Array.from(long).slice(0, 20).join('')}…" has ${Array.from(long).length}).`);
    }
    return clean;
}

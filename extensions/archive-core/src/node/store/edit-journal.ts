import { inject, injectable } from '@theia/core/shared/inversify';
import { Emitter, Event } from '@theia/core/lib/common/event';
import type { Database } from 'better-sqlite3';
import type { EditKind, EditRecord } from '../../common/annotation-protocol';
import { ArchiveStore } from './archive-store';
import { refreshAssetText } from './asset-text';
import { prepared } from './database';
import { annotatedAssetOf } from './file-version-repository';

/** A tag link as it was added or removed: enough to put it back or take it away again. */
export type TagLink = readonly [assetId: number, tag: string, source: 'user' | 'ai', confidence: number | null];

/** A decision on an AI tag suggestion as it was made: the asset, the tag and the decision it replaced (null: none). */
export type AiTagDecision = readonly [assetId: number, tag: string, before: 'accepted' | 'rejected' | null];

/** What the journal keeps per edit, as JSON; `decisions` only for decisions on AI tag suggestions. */
export type JournalChanges =
    | { readonly links: readonly TagLink[]; readonly decisions?: readonly AiTagDecision[] }
    | { readonly rating: number; readonly before: readonly (readonly [assetId: number, rating: number])[] };

/** Writes one journal entry; call it inside the write transaction of the edit. */
export function recordEdit(db: Database, kind: EditKind, author: string, changes: JournalChanges): EditRecord {
    const madeAt = new Date().toISOString();
    const id = Number(prepared(db, 'INSERT INTO edit_journal (kind, author, changes, made_at) VALUES (?, ?, ?, ?)')
        .run(kind, author, JSON.stringify(changes), madeAt).lastInsertRowid);
    return toRecord({ id, kind, author, changes: JSON.stringify(changes), made_at: madeAt });
}

interface JournalRow {
    id: number;
    kind: EditKind;
    author: string;
    changes: string;
    made_at: string;
}

function toRecord(row: JournalRow): EditRecord {
    const changes = JSON.parse(row.changes) as JournalChanges;
    if ('links' in changes) {
        const touched = [...changes.links, ...changes.decisions ?? []];
        return {
            id: row.id, kind: row.kind, author: row.author, madeAt: row.made_at,
            assetIds: [...new Set(touched.map(([assetId]) => assetId))],
            tags: [...new Set(touched.map(([, tag]) => tag))]
        };
    }
    return { id: row.id, kind: row.kind, author: row.author, madeAt: row.made_at, assetIds: changes.before.map(([assetId]) => assetId), rating: changes.rating };
}

/**
 * The edit's changes on the assets that carry those annotations now: an
 * edit made on a file's earlier content undoes on the content the file
 * holds today (its annotations moved there when it was re-indexed).
 */
function resolveChanges(db: Database, changes: JournalChanges): JournalChanges {
    if ('links' in changes) {
        // Decisions stay with the content the AI tag was suggested for; user tags move with the file.
        return { links: changes.links.map(([assetId, ...rest]) => [annotatedAssetOf(db, assetId), ...rest] as TagLink), decisions: changes.decisions };
    }
    return { rating: changes.rating, before: changes.before.map(([assetId, rating]) => [annotatedAssetOf(db, assetId), rating] as const) };
}

/** Puts back the decision an AI tag had before an undone edit (none: the suggestion is pending again). */
function restoreDecision(db: Database, assetId: number, tag: string, before: AiTagDecision[2], author: string, decidedAt: string): void {
    const tagId = prepared(db, 'SELECT id FROM tags WHERE name = ?').pluck().get(tag) as number | undefined;
    if (tagId === undefined) {
        return;
    }
    if (before === null) {
        prepared(db, 'DELETE FROM ai_tag_decisions WHERE asset_id = ? AND tag_id = ?').run(assetId, tagId);
    } else {
        prepared(db, `INSERT INTO ai_tag_decisions (asset_id, tag_id, decision, decided_by, decided_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (asset_id, tag_id) DO UPDATE SET decision = excluded.decision`).run(assetId, tagId, before, author, decidedAt);
    }
}

export const EditJournal = Symbol('EditJournal');

/**
 * The journal of tag and rating edits and of decisions on AI tag
 * suggestions. Undo takes back an author's latest
 * edit not yet undone, in one transaction, restoring exactly what that edit
 * changed (the links it added or removed, the ratings it replaced, the
 * decisions it made: a suggestion accepted or rejected is pending again); calling
 * it again walks further back. An edit on a file's earlier content is undone
 * on the content the file holds now, where its annotations went.
 */
export interface EditJournal {
    /** Fires after an undo, with what was undone. */
    readonly onDidUndo: Event<EditRecord>;
    undo(author: string): Promise<EditRecord | undefined>;
    last(author: string): Promise<EditRecord | undefined>;
}

@injectable()
export class SqliteEditJournal implements EditJournal {

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    protected readonly onDidUndoEmitter = new Emitter<EditRecord>();
    readonly onDidUndo = this.onDidUndoEmitter.event;

    async last(author: string): Promise<EditRecord | undefined> {
        const { database } = await this.store.open();
        const row = prepared(database.reader, 'SELECT id, kind, author, changes, made_at FROM edit_journal WHERE author = ? AND undone_at IS NULL ORDER BY id DESC LIMIT 1')
            .get(author) as JournalRow | undefined;
        return row && toRecord(row);
    }

    async undo(author: string): Promise<EditRecord | undefined> {
        const { database } = await this.store.open();
        const record = database.write(db => {
            const row = prepared(db, 'SELECT id, kind, author, changes, made_at FROM edit_journal WHERE author = ? AND undone_at IS NULL ORDER BY id DESC LIMIT 1')
                .get(author) as JournalRow | undefined;
            if (!row) {
                return undefined;
            }
            const changes = resolveChanges(db, JSON.parse(row.changes) as JournalChanges);
            if ('links' in changes) {
                for (const [assetId, tag, source, confidence] of changes.links) {
                    if (row.kind !== 'tags-removed') {
                        prepared(db, 'DELETE FROM asset_tags WHERE asset_id = ? AND source = ? AND tag_id = (SELECT id FROM tags WHERE name = ?)').run(assetId, source, tag);
                    } else {
                        prepared(db, 'INSERT INTO tags (name) VALUES (?) ON CONFLICT (name) DO NOTHING').run(tag);
                        prepared(db, 'INSERT OR IGNORE INTO asset_tags (asset_id, tag_id, source, confidence) SELECT ?, id, ?, ? FROM tags WHERE name = ?')
                            .run(assetId, source, confidence, tag);
                    }
                }
                for (const [assetId, tag, before] of changes.decisions ?? []) {
                    restoreDecision(db, assetId, tag, before, row.author, row.made_at);
                }
                for (const assetId of new Set([...changes.links, ...changes.decisions ?? []].map(([id]) => id))) {
                    refreshAssetText(db, assetId);
                }
            } else {
                for (const [assetId, rating] of changes.before) {
                    prepared(db, 'UPDATE assets SET rating = ? WHERE id = ?').run(rating, assetId);
                }
            }
            prepared(db, 'UPDATE edit_journal SET undone_at = ? WHERE id = ?').run(new Date().toISOString(), row.id);
            return toRecord({ ...row, changes: JSON.stringify(changes) });
        });
        if (record) {
            this.onDidUndoEmitter.fire(record);
        }
        return record;
    }
}

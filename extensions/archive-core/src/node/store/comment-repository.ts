import { inject, injectable } from '@theia/core/shared/inversify';
import type { Database } from 'better-sqlite3';
import type { AssetComment, CommentRevision } from '../../common/annotation-protocol';
import { ArchiveStore } from './archive-store';
import { refreshAssetText } from './asset-text';
import { prepared } from './database';

export const CommentRepository = Symbol('CommentRepository');

/** Longest comment kept, in characters. */
export const MAX_COMMENT_LENGTH = 10_000;

/**
 * Comments on assets. An edit adds a revision and never overwrites one: the
 * whole history stays, also after a delete (which only hides the comment).
 * Comment text is searchable (the assets' full-text rows are refreshed in the
 * same transaction).
 */
export interface CommentRepository {
    list(assetId: number): Promise<AssetComment[]>;
    add(assetId: number, body: string, author: string): Promise<AssetComment>;
    edit(commentId: number, body: string, author: string): Promise<AssetComment>;
    remove(commentId: number): Promise<void>;
}

interface CommentRow {
    id: number;
    asset_id: number;
    author: string;
    body: string;
    created_at: string;
    updated_at: string;
}

@injectable()
export class SqliteCommentRepository implements CommentRepository {

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    async list(assetId: number): Promise<AssetComment[]> {
        const { database } = await this.store.open();
        const rows = prepared(database.reader, 'SELECT id, asset_id, author, body, created_at, updated_at FROM comments WHERE asset_id = ? AND deleted_at IS NULL ORDER BY id')
            .all(assetId) as CommentRow[];
        return rows.map(row => this.toComment(database.reader, row));
    }

    async add(assetId: number, body: string, author: string): Promise<AssetComment> {
        const text = cleanBody(body);
        const { database } = await this.store.open();
        return database.write(db => {
            if (!prepared(db, 'SELECT 1 FROM assets WHERE id = ?').get(assetId)) {
                throw new Error(`There is no asset ${assetId} in the archive.`);
            }
            const now = new Date().toISOString();
            const id = Number(prepared(db, 'INSERT INTO comments (asset_id, author, body, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
                .run(assetId, author, text, now, now).lastInsertRowid);
            prepared(db, 'INSERT INTO comment_revisions (comment_id, revision, body, author, written_at) VALUES (?, 1, ?, ?, ?)').run(id, text, author, now);
            refreshAssetText(db, assetId);
            return this.toComment(db, this.row(db, id));
        });
    }

    async edit(commentId: number, body: string, author: string): Promise<AssetComment> {
        const text = cleanBody(body);
        const { database } = await this.store.open();
        return database.write(db => {
            const row = this.row(db, commentId);
            if (row.body === text) {
                return this.toComment(db, row);
            }
            const now = new Date().toISOString();
            const revision = (prepared(db, 'SELECT max(revision) FROM comment_revisions WHERE comment_id = ?').pluck().get(commentId) as number) + 1;
            prepared(db, 'INSERT INTO comment_revisions (comment_id, revision, body, author, written_at) VALUES (?, ?, ?, ?, ?)').run(commentId, revision, text, author, now);
            prepared(db, 'UPDATE comments SET body = ?, updated_at = ? WHERE id = ?').run(text, now, commentId);
            refreshAssetText(db, row.asset_id);
            return this.toComment(db, this.row(db, commentId));
        });
    }

    async remove(commentId: number): Promise<void> {
        const { database } = await this.store.open();
        database.write(db => {
            const row = this.row(db, commentId);
            prepared(db, 'UPDATE comments SET deleted_at = ? WHERE id = ?').run(new Date().toISOString(), commentId);
            refreshAssetText(db, row.asset_id);
        });
    }

    protected row(db: Database, commentId: number): CommentRow {
        const row = prepared(db, 'SELECT id, asset_id, author, body, created_at, updated_at FROM comments WHERE id = ? AND deleted_at IS NULL')
            .get(commentId) as CommentRow | undefined;
        if (!row) {
            throw new Error(`There is no comment ${commentId} (it may have been deleted).`);
        }
        return row;
    }

    protected toComment(db: Database, row: CommentRow): AssetComment {
        const revisions = (prepared(db, 'SELECT revision, body, author, written_at FROM comment_revisions WHERE comment_id = ? ORDER BY revision')
            .all(row.id) as { revision: number; body: string; author: string; written_at: string }[])
            .map((revision): CommentRevision => ({ revision: revision.revision, body: revision.body, author: revision.author, writtenAt: revision.written_at }));
        return { id: row.id, assetId: row.asset_id, author: row.author, body: row.body, createdAt: row.created_at, updatedAt: row.updated_at, revisions };
    }
}

function cleanBody(body: string): string {
    const text = body.replace(/\r\n?/g, '\n').trim();
    if (!text) {
        throw new Error('A comment cannot be empty.');
    }
    if (text.length > MAX_COMMENT_LENGTH) {
        throw new Error(`A comment can be at most ${MAX_COMMENT_LENGTH.toLocaleString('en-US')} characters long.`);
    }
    return text;
}

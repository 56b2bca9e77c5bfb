import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { Container } from '@theia/core/shared/inversify';
import { ApplicationError } from '@theia/core/lib/common/application-error';
import { ExportOptions, ExportReport, TransferErrorData, TransferErrors, ImportOptions, ImportReport, TransferProgress } from '../../extensions/archive-core/src/common/archive-transfer-protocol';
import { ArchiveIngester } from '../../extensions/archive-core/src/node/ingest/archive-ingester';
import { ArchiveStore } from '../../extensions/archive-core/src/node/store/archive-store';
import { ARCHIVE_DATABASE_FILE } from '../../extensions/archive-core/src/node/store/archive-location';
import { refreshAssetText } from '../../extensions/archive-core/src/node/store/asset-text';
import { CommentRepository } from '../../extensions/archive-core/src/node/store/comment-repository';
import { RatingRepository } from '../../extensions/archive-core/src/node/store/rating-repository';
import { TagRepository } from '../../extensions/archive-core/src/node/store/tag-repository';
import { VectorIndexRepository } from '../../extensions/archive-core/src/node/store/vector-index-repository';
import { createArchiveTestContainer } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { ArchiveImporter } from '../../extensions/archive-core/src/node/transfer/archive-importer';
import { bindArchiveImport } from '../../extensions/archive-core/src/node/transfer/archive-import-bindings';
import { ArchiveExporter } from '../../extensions/archive-core/src/node/transfer/archive-exporter';
import { bindArchiveExport } from '../../extensions/archive-core/src/node/transfer/archive-export-bindings';
import BetterSqlite3 = require('better-sqlite3');

/** The dimensions of the test vectors. */
export const TEST_DIMENSIONS = 16;

/** A container over a real archive in `folder`, with the archive exporter and importer bound. */
export function createTransferContainer(folder: string): Container {
    const container = createArchiveTestContainer(folder, { threads: 1 });
    bindArchiveExport(container.bind.bind(container));
    bindArchiveImport(container.bind.bind(container));
    return container;
}

/** Exports the container's archive (default: all of it, with media and paths) through the app's exporter. */
export async function exportTo(container: Container, file: string, options: Partial<ExportOptions> = {}): Promise<ExportReport> {
    return container.get<ArchiveExporter>(ArchiveExporter).export({ scope: { kind: 'archive' }, ...options, file }, () => undefined, new AbortController().signal);
}

/** Edits an export file in place with `sql` (to make a hostile one). */
export function editExport(file: string, sql: string, ...params: unknown[]): void {
    const db = new BetterSqlite3(file);
    try {
        if (params.length) {
            db.prepare(sql).run(...params);
        } else {
            db.exec(sql);
        }
    } finally {
        db.close();
    }
}

/** A deterministic vector per asset (from its content hash), so search by likeness answers the same in every archive. */
export function vectorOf(contentHash: string, dimensions = TEST_DIMENSIONS): Float32Array {
    const digest = crypto.createHash('sha256').update(contentHash).digest();
    return Float32Array.from({ length: dimensions }, (_, i) => (digest[i % digest.length] - 128) / 128 + (i === 0 ? 0.01 : 0));
}

/**
 * Ingests `images` into the container's archive and annotates it as a user
 * would: tags (one Korean), ratings, comments with an edit (two
 * revisions), a Korean caption, a visual vector per asset, and a collection
 * in a folder (rows as the collections migration defines them) with members
 * in a chosen order and a cover, and a filter preset naming it.
 */
export async function annotateArchive(container: Container, images: string): Promise<{ ids: Map<string, number>; hashes: Map<number, string> }> {
    const ingester = container.get<ArchiveIngester>(ArchiveIngester);
    await ingester.finished(await ingester.start(images));
    const { database } = await container.get<ArchiveStore>(ArchiveStore).open();
    const rows = database.reader.prepare("SELECT f.path, a.id, a.content_hash FROM files f JOIN assets a ON a.id = f.asset_id WHERE f.state = 'indexed' ORDER BY f.path")
        .all() as { path: string; id: number; content_hash: string }[];
    const ids = new Map(rows.map(row => [path.basename(row.path), row.id]));
    const hashes = new Map(rows.map(row => [row.id, row.content_hash]));
    const all = [...new Set(rows.map(row => row.id))];
    const tags = container.get<TagRepository>(TagRepository);
    await tags.addTags(all.slice(0, 4), ['캐릭터', 'hero'], { author: 'tester' });
    await tags.addTags(all.slice(4), ['background'], { author: 'tester' });
    const ratings = container.get<RatingRepository>(RatingRepository);
    await ratings.setRating(all.slice(0, 3), 4, 'tester');
    await ratings.setRating(all.slice(3, 5), 2, 'tester');
    const comments = container.get<CommentRepository>(CommentRepository);
    for (const id of all.slice(0, 3)) {
        const comment = await comments.add(id, `첫 의견 ${id}`, 'tester');
        await comments.edit(comment.id, `고친 의견 ${id} revised`, 'tester');
    }
    const vectors = container.get<VectorIndexRepository>(VectorIndexRepository);
    const index = await vectors.ensureIndex('visual', 'test-model', TEST_DIMENSIONS);
    for (const id of all) {
        await vectors.put(index, id, vectorOf(hashes.get(id)!));
    }
    const now = new Date().toISOString();
    database.write(db => {
        const folder = Number(db.prepare("INSERT INTO collections (uid, kind, name, position, created_at, updated_at) VALUES ('folder-uid-1', 'folder', '작업', 1, ?, ?)")
            .run(now, now).lastInsertRowid);
        const collection = Number(db.prepare(`INSERT INTO collections (uid, parent_id, kind, name, position, cover_asset_id, created_at, updated_at)
            VALUES ('manual-uid-1', ?, 'manual', '캐릭터 모음', 1, ?, ?, ?)`).run(folder, all[2], now, now).lastInsertRowid);
        // Members in an order of their own: the reverse of the ids.
        [...all.slice(0, 4)].reverse().forEach((id, position) =>
            db.prepare('INSERT INTO collection_members (collection_id, asset_id, position, added_at) VALUES (?, ?, ?, ?)').run(collection, id, position + 1, now));
        // A smart collection whose saved search names an asset (references) and the collection above (a filter).
        db.prepare(`INSERT INTO collections (uid, kind, name, position, query, created_at, updated_at) VALUES ('smart-uid-1', 'smart', '닮은 것', 2, ?, ?, ?)`)
            .run(JSON.stringify({ text: 'hero', references: { assetIds: [all[1]], mode: 'or' }, filters: [{ kind: 'collection', collectionId: collection }] }), now, now);
        db.prepare("INSERT INTO asset_captions (asset_id, language, model, text, created_at) VALUES (?, 'ko', 'test-captioner', '숲 속의 영웅', ?)").run(all[0], now);
        // As the caption phase does: the asset's text index and caption words follow its captions.
        refreshAssetText(db, all[0]);
        db.prepare(`INSERT INTO filter_presets (uid, name, filters, created_at, updated_at) VALUES ('preset-uid-1', '좋은 것', ?, ?, ?)`)
            .run(JSON.stringify([{ kind: 'rating', min: 4 }, { kind: 'collection', collectionId: collection }]), now, now);
    });
    return { ids, hashes };
}

/** The archive's database (with its write-ahead log) hashed, and its media folder listed: equal before and after means nothing was written. */
export function archiveFingerprint(folder: string): string {
    const hash = crypto.createHash('sha256');
    for (const suffix of ['', '-wal']) {
        const file = path.join(folder, ARCHIVE_DATABASE_FILE + suffix);
        hash.update(`${suffix}:`);
        if (fs.existsSync(file)) {
            hash.update(fs.readFileSync(file));
        }
    }
    const media = path.join(folder, 'media');
    const listing = fs.existsSync(media) ? (fs.readdirSync(media, { recursive: true }) as string[]).sort() : [];
    hash.update(listing.join('\n'));
    return hash.digest('hex');
}

/** Imports through the container's importer, collecting progress. */
export async function importInto(container: Container, options: ImportOptions, signal = new AbortController().signal,
    onProgress?: (progress: Omit<TransferProgress, 'operationId'>) => void): Promise<ImportReport> {
    return container.get<ArchiveImporter>(ArchiveImporter).import(options, progress => onProgress?.(progress), signal);
}

/** The reason of a `TransferErrors.Refused`, failing on anything else. */
export async function refusalOf(work: Promise<unknown>): Promise<TransferErrorData> {
    try {
        await work;
    } catch (error) {
        if (TransferErrors.Refused.is(error as object)) {
            return (error as ApplicationError<number, TransferErrorData>).data;
        }
        throw error;
    }
    throw new Error('the import was not refused');
}

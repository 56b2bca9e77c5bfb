import * as fs from 'fs';
import * as path from 'path';
import BetterSqlite3 = require('better-sqlite3');
import * as sqliteVec from 'sqlite-vec';
import {
    EXPORT_FORMAT, EXPORT_FORMAT_VERSION, FILES_TABLE, MANIFEST_TABLE, MEDIA_TABLE, PORTABLE_TABLES, ROOTS_TABLE, VECTORS_TABLE
} from '../../extensions/archive-core/src/node/transfer/export-format';
import { ARCHIVE_DATABASE_FILE } from '../../extensions/archive-core/src/node/store/archive-location';

export interface TestExportOptions {
    /** The assets to export (default: every asset that is not superseded). */
    readonly assetIds?: readonly number[];
    readonly includeMedia?: boolean;
    readonly includePaths?: boolean;
}

/**
 * Writes an export file of an archive's database exactly as
 * `export-format.ts` describes it, independently of the app's exporter:
 * the importer's tests build their valid (and, edited, their hostile)
 * files with it. Reads the archive through its own connection.
 */
export function writeTestExport(archiveFolder: string, target: string, options: TestExportOptions = {}): void {
    const includeMedia = options.includeMedia ?? true;
    const includePaths = options.includePaths ?? true;
    fs.rmSync(target, { force: true });
    const out = new BetterSqlite3(target);
    sqliteVec.load(out);
    try {
        out.prepare('ATTACH DATABASE ? AS src').run(path.join(archiveFolder, ARCHIVE_DATABASE_FILE));
        const ids = options.assetIds ?? out.prepare('SELECT id FROM src.assets WHERE superseded = 0 ORDER BY id').pluck().all() as number[];
        out.exec('CREATE TEMP TABLE picked (id INTEGER PRIMARY KEY)');
        const pick = out.prepare('INSERT INTO temp.picked (id) VALUES (?)');
        for (const id of ids) {
            pick.run(id);
        }
        const byAsset = 'asset_id IN (SELECT id FROM temp.picked)';
        const where: Record<string, string> = {
            assets: 'id IN (SELECT id FROM temp.picked)',
            comment_revisions: `comment_id IN (SELECT id FROM src.comments WHERE ${byAsset})`,
            phase_results: 'content_hash IN (SELECT content_hash FROM src.assets WHERE id IN (SELECT id FROM temp.picked))',
            tags: '1', vector_indexes: '1', collections: 'deleted_at IS NULL', filter_presets: '1', schema_migrations: '1'
        };
        for (const table of PORTABLE_TABLES) {
            out.exec(`CREATE TABLE main.${table} AS SELECT * FROM src.${table} WHERE ${where[table] ?? byAsset}`);
        }
        if (!includePaths) {
            out.exec('UPDATE main.phase_states SET error = NULL');
        }
        out.exec(`CREATE TABLE ${MANIFEST_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE ${ROOTS_TABLE} (id INTEGER PRIMARY KEY, path TEXT NOT NULL);
            CREATE TABLE ${FILES_TABLE} (id INTEGER PRIMARY KEY, asset_id INTEGER NOT NULL, root_id INTEGER, relative_path TEXT NOT NULL,
                size INTEGER NOT NULL, mtime_ms INTEGER NOT NULL, state TEXT NOT NULL);
            CREATE TABLE ${VECTORS_TABLE} (index_name TEXT NOT NULL, asset_id INTEGER NOT NULL, embedding BLOB NOT NULL, PRIMARY KEY (index_name, asset_id));
            CREATE TABLE ${MEDIA_TABLE} (hash TEXT PRIMARY KEY, size INTEGER NOT NULL, bytes BLOB NOT NULL);`);
        const files = out.prepare(`SELECT f.id, f.asset_id, f.path, f.size, f.mtime_ms, f.state, r.id AS root_id, r.path AS root
            FROM src.files f JOIN src.roots r ON r.id = f.root_id WHERE f.${byAsset} ORDER BY f.id`).all() as
            { id: number; asset_id: number; path: string; size: number; mtime_ms: number; state: string; root_id: number; root: string }[];
        const roots = new Set<number>();
        for (const file of files) {
            if (includePaths && !roots.has(file.root_id)) {
                out.prepare(`INSERT INTO ${ROOTS_TABLE} (id, path) VALUES (?, ?)`).run(file.root_id, file.root);
                roots.add(file.root_id);
            }
            const relative = includePaths ? path.relative(file.root, file.path).split(path.sep).join('/') : path.basename(file.path);
            out.prepare(`INSERT INTO ${FILES_TABLE} (id, asset_id, root_id, relative_path, size, mtime_ms, state) VALUES (?, ?, ?, ?, ?, ?, ?)`)
                .run(file.id, file.asset_id, includePaths ? file.root_id : null, relative, file.size, file.mtime_ms, file.state);
        }
        for (const index of out.prepare('SELECT name FROM main.vector_indexes').pluck().all() as string[]) {
            out.exec(`INSERT INTO ${VECTORS_TABLE} (index_name, asset_id, embedding)
                SELECT '${index}', asset_id, embedding FROM src.${index} WHERE ${byAsset}`);
        }
        if (includeMedia) {
            const hashes = out.prepare(`SELECT thumbnail_hash FROM main.assets WHERE thumbnail_hash IS NOT NULL
                UNION SELECT preview_hash FROM main.assets WHERE preview_hash IS NOT NULL`).pluck().all() as string[];
            for (const hash of hashes) {
                const file = path.join(archiveFolder, 'media', hash.slice(0, 2), hash.slice(2, 4), hash);
                if (fs.existsSync(file)) {
                    const bytes = fs.readFileSync(file);
                    out.prepare(`INSERT INTO ${MEDIA_TABLE} (hash, size, bytes) VALUES (?, ?, ?)`).run(hash, bytes.length, bytes);
                }
            }
        }
        const count = (table: string) => String(out.prepare(`SELECT count(*) FROM main.${table}`).pluck().get());
        const manifest: Record<string, string> = {
            format: EXPORT_FORMAT, formatVersion: String(EXPORT_FORMAT_VERSION),
            schemaVersion: String(out.prepare('SELECT max(version) FROM src.schema_migrations').pluck().get()),
            generator: 'test export writer', createdAt: new Date().toISOString(), scopeLabel: options.assetIds ? 'assets' : 'archive',
            includesMedia: String(includeMedia), includesPaths: String(includePaths),
            assets: count('assets'), files: count(FILES_TABLE), vectors: count(VECTORS_TABLE), media: count(MEDIA_TABLE),
            mediaBytes: String(out.prepare(`SELECT total(size) FROM ${MEDIA_TABLE}`).pluck().get()), collections: count('collections')
        };
        for (const [key, value] of Object.entries(manifest)) {
            out.prepare(`INSERT INTO ${MANIFEST_TABLE} (key, value) VALUES (?, ?)`).run(key, value);
        }
        out.exec('DETACH DATABASE src');
        out.exec('VACUUM');
    } finally {
        out.close();
    }
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

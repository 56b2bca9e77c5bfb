import * as path from 'path';
import type BetterSqlite3 = require('better-sqlite3');
import { prepared } from './database';
import { FILES_TABLE, ROOTS_TABLE } from '../transfer/export-format';

type Connection = BetterSqlite3.Database;

/**
 * Ends an inner `SELECT` so that SQLite runs it as a co-routine instead of
 * flattening it into the outer one (a subquery with an OFFSET is never
 * flattened): a path worked out once per row, not once per reference.
 */
const ONCE = 'LIMIT -1 OFFSET 0';

/**
 * Writes the export's `export_files` and `export_roots` (see
 * `export-format.ts`) for an {@link ArchiveExportWriter}: the archive is
 * attached as `src`, the chosen assets are in `temp.export_ids`.
 */
export class ExportFilePlacer {

    constructor(protected readonly db: Connection, protected readonly includePaths: boolean) { }

    /**
     * The batch's files as the format has them: below their root with `/`
     * separators, or (without paths) the file name alone. SQL places the
     * usual file (strictly below its root, no empty, `.` or `..` part); the
     * rest (a root-less file, an odd path) is written with an empty path
     * and placed by {@link placeOdd} at the end.
     */
    copy(low: number, high: number): void {
        const chosen = 'f.asset_id IN (SELECT id FROM temp.export_ids WHERE id BETWEEN :low AND :high)';
        if (this.includePaths) {
            prepared(this.db, `INSERT INTO main.${FILES_TABLE} (id, asset_id, root_id, relative_path, size, mtime_ms, state)
                SELECT id, asset_id, root_id,
                    CASE WHEN under AND instr('/' || relative || '/', '//') = 0 AND instr('/' || relative || '/', '/./') = 0
                        AND instr('/' || relative || '/', '/../') = 0 THEN relative ELSE '' END,
                    size, mtime_ms, state FROM (
                    SELECT f.id, f.asset_id, f.root_id, replace(substr(f.path, length(r.path) + 2), :sep, '/') AS relative,
                        coalesce(substr(f.path, 1, length(r.path) + 1) = r.path || :sep AND length(f.path) > length(r.path) + 1, 0) AS under,
                        f.size, f.mtime_ms, f.state
                    FROM src.files f LEFT JOIN src.roots r ON r.id = f.root_id WHERE ${chosen} ${ONCE})`)
                .run({ low, high, sep: path.sep });
        } else {
            // The name: what follows the last separator (rtrim strips every character but the separators from the right).
            prepared(this.db, `INSERT INTO main.${FILES_TABLE} (id, asset_id, root_id, relative_path, size, mtime_ms, state)
                SELECT id, asset_id, NULL, CASE WHEN name IN ('.', '..') THEN '' ELSE name END, size, mtime_ms, state FROM (
                    SELECT f.id, f.asset_id, substr(f.path, length(rtrim(f.path, replace(replace(f.path, '/', ''), '\\', ''))) + 1) AS name,
                        f.size, f.mtime_ms, f.state
                    FROM src.files f WHERE ${chosen} ${ONCE})`).run({ low, high });
        }
    }

    /** Places the files SQL could not (see {@link copy}); a file with no usable name is left out. */
    protected placeOdd(): void {
        const odd = prepared(this.db, `SELECT f.id, f.asset_id, f.root_id, f.path, r.path AS root, f.size, f.mtime_ms, f.state
            FROM main.${FILES_TABLE} e JOIN src.files f ON f.id = e.id LEFT JOIN src.roots r ON r.id = f.root_id
            WHERE e.relative_path = ''`).all() as FileRow[];
        for (const row of odd) {
            const place = this.includePaths ? this.placeOf(row) : { rootId: null, relative: fileName(row.path) };
            if (place.relative && place.relative !== '.' && place.relative !== '..') {
                prepared(this.db, `UPDATE main.${FILES_TABLE} SET root_id = ?, relative_path = ? WHERE id = ?`).run(place.rootId, place.relative, row.id);
            } else {
                prepared(this.db, `DELETE FROM main.${FILES_TABLE} WHERE id = ?`).run(row.id);
            }
        }
    }

    /** Root folders the file's own root does not cover (a root-less file's folder), numbered after the archive's roots. */
    protected readonly extraRoots = new Map<string, number>();
    protected firstExtraRoot: number | undefined;

    protected placeOf(row: FileRow): { rootId: number | null; relative: string } {
        const under = row.root !== null && row.root_id !== null ? relativeBelow(row.root, row.path) : undefined;
        if (under) {
            return { rootId: row.root_id, relative: under };
        }
        const folder = path.dirname(row.path);
        let rootId = this.extraRoots.get(folder);
        if (rootId === undefined) {
            this.firstExtraRoot ??= (this.db.prepare('SELECT coalesce(max(id), 0) + 1 FROM src.roots').pluck().get() as number);
            rootId = this.firstExtraRoot + this.extraRoots.size;
            this.extraRoots.set(folder, rootId);
        }
        return { rootId, relative: fileName(row.path) };
    }

    /** Places the odd files, then writes the root folders the files lie below. */
    finish(): void {
        this.placeOdd();
        prepared(this.db, `INSERT INTO main.${ROOTS_TABLE} (id, path) SELECT id, path FROM src.roots
            WHERE id IN (SELECT DISTINCT root_id FROM main.${FILES_TABLE} WHERE root_id IS NOT NULL)`).run();
        for (const [folder, id] of this.extraRoots) {
            prepared(this.db, `INSERT INTO main.${ROOTS_TABLE} (id, path) VALUES (?, ?)`).run(id, folder);
        }
    }
}

interface FileRow {
    readonly id: number;
    readonly asset_id: number;
    readonly root_id: number | null;
    readonly path: string;
    readonly root: string | null;
    readonly size: number;
    readonly mtime_ms: number;
    readonly state: string;
}

/** `file` below `root` as `/`-separated parts, or undefined when it is not strictly below it or a part is `.`/`..`. */
export function relativeBelow(root: string, file: string): string | undefined {
    const relative = path.relative(root, file);
    if (!relative || path.isAbsolute(relative)) {
        return undefined;
    }
    const parts = relative.split(path.sep);
    return parts.some(part => !part || part === '.' || part === '..') ? undefined : parts.join('/');
}

/** A path's last part, whichever separator it uses. */
export function fileName(file: string): string {
    return file.split(/[\\/]/).filter(Boolean).pop() ?? '';
}

import type { Database } from 'better-sqlite3';
import { prepared } from './database';

const columnCache = new WeakMap<Database, Map<string, readonly string[]>>();

/** The columns this archive's table has (its own schema names them, never the file's). */
export function localColumns(db: Database, table: string): readonly string[] {
    let tables = columnCache.get(db);
    if (!tables) {
        tables = new Map();
        columnCache.set(db, tables);
    }
    let columns = tables.get(table);
    if (!columns) {
        columns = prepared(db, 'SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[];
        tables.set(table, columns);
    }
    return columns;
}

/**
 * Inserts a row read from an export file into this archive's table: the
 * columns both have (a file from an older schema lacks some, which take
 * their defaults), with `values` replacing the file's (mapped ids) and
 * `skip` left out. Only this archive's column names go into the SQL text.
 * Answers the new row's rowid, or undefined when `orIgnore` ignored it.
 */
export function insertImportedRow(db: Database, table: string, row: Record<string, unknown>,
    values: Record<string, unknown>, options: { readonly skip?: readonly string[]; readonly orIgnore?: boolean } = {}): number | undefined {
    const columns = localColumns(db, table).filter(column => (column in values || column in row) && !options.skip?.includes(column));
    const sql = `INSERT${options.orIgnore ? ' OR IGNORE' : ''} INTO ${table} (${columns.map(column => `"${column}"`).join(', ')}) `
        + `VALUES (${columns.map(() => '?').join(', ')})`;
    const result = prepared(db, sql).run(...columns.map(column => column in values ? values[column] : row[column]));
    return result.changes ? Number(result.lastInsertRowid) : undefined;
}

/** Maps a folder of the exporting machine to where it lies here (its root mapped), or answers it unchanged. */
export type FolderMapping = (folder: string) => string;

/** Ids in a saved search (references, near-duplicates, collection filters) mapped to this archive's, ids with no match dropped; folder filters mapped with the roots. */
export function remapSavedQuery(json: unknown, assets: ReadonlyMap<number, number>, collections: ReadonlyMap<number, number>,
    mapFolder: FolderMapping = folder => folder): string | undefined {
    if (typeof json !== 'string') {
        return undefined;
    }
    let query: Record<string, unknown>;
    try {
        query = JSON.parse(json);
    } catch {
        return json;
    }
    if (!query || typeof query !== 'object') {
        return json;
    }
    const references = query.references as { assetIds?: unknown } | undefined;
    if (references && Array.isArray(references.assetIds)) {
        references.assetIds = references.assetIds.map(id => assets.get(id as number)).filter(id => id !== undefined);
    }
    if (typeof query.nearDuplicatesOf === 'number') {
        query.nearDuplicatesOf = assets.get(query.nearDuplicatesOf);
    }
    if (Array.isArray(query.filters)) {
        query.filters = remapFilters(query.filters, collections, mapFolder);
    }
    return JSON.stringify(query);
}

/**
 * Collection filter clauses pointed at this archive's collections (a clause
 * whose collection did not come along is dropped); folder filter clauses
 * pointed at where their folder lies here.
 */
export function remapFilters(filters: unknown[], collections: ReadonlyMap<number, number>, mapFolder: FolderMapping = folder => folder): unknown[] {
    return filters.flatMap(clause => {
        const filter = clause as { kind?: unknown; collectionId?: unknown; path?: unknown };
        if (filter && filter.kind === 'collection') {
            const local = collections.get(filter.collectionId as number);
            return local === undefined ? [] : [{ ...filter, collectionId: local }];
        }
        if (filter && filter.kind === 'folder' && typeof filter.path === 'string') {
            return [{ ...filter, path: mapFolder(filter.path) }];
        }
        return [clause];
    });
}

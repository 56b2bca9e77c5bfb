import { inject, injectable } from '@theia/core/shared/inversify';
import type { SqlCondition } from '../search/search-filter-compiler';
import { ArchiveStore } from './archive-store';
import { prepared } from './database';
import { SearchIndexReader, SqliteSearchIndexReader, TextTable } from './search-index-reader';

export const SearchIndexRepository = Symbol('SearchIndexRepository');

/**
 * What search reads: the search engine and its axes ask it for candidates,
 * orders and hit rows instead of running SQL themselves.
 */
export interface SearchIndexRepository {
    /** A reader over the archive's read connection, for one search (opens the archive when needed). */
    reader(): Promise<SearchIndexReader>;
    /** Tag and layer names starting with `prefix` (no wildcards), most used first. */
    suggest(prefix: string, limit: number): Promise<string[]>;
}

@injectable()
export class SqliteSearchIndexRepository implements SearchIndexRepository {

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    async reader(): Promise<SearchIndexReader> {
        const { database } = await this.store.open();
        return new SqliteSearchIndexReader(database.reader);
    }

    async suggest(prefix: string, limit: number): Promise<string[]> {
        const { database } = await this.store.open();
        const pattern = `${prefix.replace(/[\\%_]/g, match => `\\${match}`)}%`;
        return prepared(database.reader, `SELECT name FROM (
                SELECT t.name AS name, count(a.id) AS uses FROM tags t LEFT JOIN asset_tags x ON x.tag_id = t.id
                    LEFT JOIN assets a ON a.id = x.asset_id AND a.superseded = 0
                    WHERE t.name LIKE ? ESCAPE '\\' GROUP BY t.id
                UNION ALL
                SELECT l.name, count(*) FROM layers l JOIN assets a ON a.id = l.asset_id AND a.superseded = 0
                    WHERE l.name LIKE ? ESCAPE '\\' GROUP BY l.name
            ) GROUP BY lower(name) ORDER BY sum(uses) DESC, name LIMIT ?`)
            .pluck().all(pattern, pattern, limit) as string[];
    }
}

/** Conditions on `filterable_assets a` that the query text adds (built in; they reach tables filters may not name). */
export namespace TextConditions {
    /** The asset's full text does not match the FTS5 `expression` in `table` (a negated word). */
    export function notMatching(table: TextTable, expression: string): SqlCondition {
        return { sql: `a.id NOT IN (SELECT rowid FROM ${table} WHERE ${table} MATCH ?)`, params: [expression] };
    }

    /**
     * One of the asset's files ends in `.extension` (`ext:`), or none does
     * (`-ext:`). On the files table, not the `filterable_files` view: SQLite
     * turns an EXISTS over a table into a join, not one over a view.
     */
    export function fileExtension(extension: string, negated: boolean): SqlCondition {
        const exists = `EXISTS (SELECT 1 FROM files f WHERE f.asset_id = a.id AND lower(f.path) LIKE ? ESCAPE '\\')`;
        return { sql: negated ? `NOT ${exists}` : exists, params: [`%.${extension.replace(/[\\%_]/g, match => `\\${match}`)}`] };
    }
}

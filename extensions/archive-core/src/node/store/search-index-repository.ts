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
    /**
     * Tag names (AI tags a user rejected left out), layer names and the words
     * of AI captions starting with `prefix` (no wildcards), most used first.
     */
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
        const lower = prefix.toLowerCase();
        // A caption word with a Korean particle ("고양이가") is offered as its stem when the stem is a word of its own somewhere.
        return prepared(database.reader, `SELECT name FROM (
                SELECT t.name AS name, count(DISTINCT a.id) AS uses FROM tags t JOIN asset_tags x ON x.tag_id = t.id
                    JOIN assets a ON a.id = x.asset_id AND a.superseded = 0
                    WHERE t.name LIKE ? ESCAPE '\\' AND NOT (x.source = 'ai' AND EXISTS (SELECT 1 FROM ai_tag_decisions d
                        WHERE d.asset_id = x.asset_id AND d.tag_id = x.tag_id AND d.decision = 'rejected'))
                    GROUP BY t.id
                UNION ALL
                SELECT l.name, count(*) FROM layers l JOIN assets a ON a.id = l.asset_id AND a.superseded = 0
                    WHERE l.name LIKE ? ESCAPE '\\' GROUP BY l.name
                UNION ALL
                SELECT CASE WHEN c.stem != c.word AND (EXISTS (SELECT 1 FROM caption_words b WHERE b.word = c.stem)
                        OR EXISTS (SELECT 1 FROM tags t WHERE t.name = c.stem)) THEN c.stem ELSE c.word END AS name, count(*)
                    FROM caption_words c JOIN assets a ON a.id = c.asset_id AND a.superseded = 0
                    WHERE c.word >= ? AND c.word < ? GROUP BY name
            ) GROUP BY lower(name) ORDER BY sum(uses) DESC, name LIMIT ?`)
            .pluck().all(pattern, pattern, lower, `${lower}\u{10FFFF}`, limit) as string[];
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

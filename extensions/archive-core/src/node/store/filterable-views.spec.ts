import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FilterClause } from '../../common/search-protocol';
import { BUILTIN_FILTER_COMPILERS } from '../search/builtin-filter-compilers';
import type { SearchFilterCompiler, SqlCondition } from '../search/search-filter-compiler';
import { ORIENTATION_FILTER } from '../../../../../tests/sample-orientation-filter/src/common/orientation';
import { OrientationFilterCompiler } from '../../../../../tests/sample-orientation-filter/src/node/orientation-filter-compiler';
import { makeTempFolder } from '../test/archive-test-container';
import { ArchiveDatabase } from './database';
import { SqliteSearchIndexReader } from './search-index-reader';

/** The views `SearchFilterCompiler` documents, with the columns it lists. */
const DOCUMENTED: Record<string, readonly string[]> = {
    filterable_assets: ['id', 'kind', 'width', 'height', 'layer_count', 'rating', 'registered_at', 'modified_ms', 'phash'],
    filterable_files: ['asset_id', 'path', 'state', 'size', 'mtime_ms'],
    filterable_tags: ['asset_id', 'tag_id', 'name']
};
/** Table-valued functions a condition may read its parameters with. */
const FUNCTIONS = ['json_each'];

/** A clause of each built-in filter and of the sample one, with every option set. */
const CLAUSES: Record<string, FilterClause[]> = {
    modified: [{ kind: 'modified', from: '2024-01-01', to: '2025-01-01' }],
    added: [{ kind: 'added', from: '2024-01-01', to: '2025-01-01' }],
    resolution: [{ kind: 'resolution', min: 100, max: 4000 }],
    layers: [{ kind: 'layers', min: 1, max: 30 }],
    rating: [{ kind: 'rating', min: 2, max: 5 }],
    type: [{ kind: 'type', types: ['psd', 'jpg'] }],
    tags: [{ kind: 'tags', tags: ['cat', 'Sky'], mode: 'all' }, { kind: 'tags', tags: ['cat'], mode: 'any' }],
    folder: [{ kind: 'folder', path: '/art/characters' }],
    state: [{ kind: 'state', state: 'missing' }, { kind: 'state', state: 'ok' }, { kind: 'state', state: 'error' }],
    [ORIENTATION_FILTER]: ['portrait', 'landscape', 'square'].map(orientation => ({ kind: ORIENTATION_FILTER, orientation }))
};

const compilers: SearchFilterCompiler[] = [...BUILTIN_FILTER_COMPILERS, new OrientationFilterCompiler()];

/** What a condition names that the documented views do not offer: tables after FROM/JOIN, and columns of its aliases. */
function undocumented(condition: SqlCondition): string[] {
    const problems: string[] = [];
    const aliases = new Map<string, string>([['a', 'filterable_assets']]);
    for (const [, table, alias] of condition.sql.matchAll(/\b(?:FROM|JOIN)\s+([A-Za-z_][\w]*)(?:\s+(?:AS\s+)?(?!WHERE\b|ON\b|JOIN\b)([A-Za-z_]\w*))?/gi)) {
        if (FUNCTIONS.includes(table)) {
            continue;
        }
        if (!DOCUMENTED[table]) {
            problems.push(`table ${table}`);
        } else if (alias) {
            aliases.set(alias, table);
        }
    }
    for (const [, alias, column] of condition.sql.matchAll(/\b([A-Za-z_]\w*)\.([A-Za-z_]\w*)\b/g)) {
        const table = aliases.get(alias);
        if (!table) {
            problems.push(`alias ${alias}`);
        } else if (!DOCUMENTED[table].includes(column)) {
            problems.push(`column ${alias}.${column} (not in ${table})`);
        }
    }
    return problems;
}

describe('the views search filters are written against', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let database: ArchiveDatabase;

    beforeAll(() => {
        temp = makeTempFolder();
        database = ArchiveDatabase.open(path.join(temp.folder, 'archive.sqlite'));
    });
    afterAll(() => {
        database.close();
        temp.remove();
    });

    it('exist with exactly the documented columns', () => {
        for (const [view, columns] of Object.entries(DOCUMENTED)) {
            const actual = (database.reader.pragma(`table_info(${view})`) as { name: string }[]).map(column => column.name);
            expect(actual, view).toEqual(columns);
        }
    });

    it('are all the built-in filters and the sample third-party filter name, and their conditions run on them', () => {
        const reader = new SqliteSearchIndexReader(database.reader);
        let compiled = 0;
        for (const compiler of compilers) {
            const clauses = CLAUSES[compiler.kind];
            expect(clauses, `a clause of the ${compiler.kind} filter`).toBeDefined();
            for (const clause of clauses) {
                const condition = compiler.compile(clause);
                expect(undocumented(condition), `${compiler.kind}: ${condition.sql}`).toEqual([]);
                expect(reader.browse(condition, { by: 'added', direction: 'desc' })).toEqual([]);
                compiled++;
            }
        }
        expect(compiled).toBe(Object.values(CLAUSES).flat().length);
    });

    it('list only current assets: an earlier version of a changed file is not filterable', () => {
        database.write(db => {
            const now = new Date().toISOString();
            db.prepare(`INSERT INTO assets (id, content_hash, kind, width, height, registered_at, superseded) VALUES
                (1, 'old', 'png', 10, 20, ?, 1), (2, 'new', 'png', 10, 20, ?, 0)`).run(now, now);
        });
        const reader = new SqliteSearchIndexReader(database.reader);
        const portrait = new OrientationFilterCompiler().compile({ kind: ORIENTATION_FILTER, orientation: 'portrait' });
        expect(reader.browse(portrait, { by: 'added', direction: 'desc' })).toEqual([2]);
        expect([...reader.passing([1, 2], { sql: '1', params: [] })]).toEqual([2]);
    });
});

import type { Database } from 'better-sqlite3';
import { PORTABLE_TABLES } from '../transfer/export-format';
import { ExportFile, ExportFileRefusal } from './export-file';

/** What a column of this archive keeps, by SQLite's rules for its declared type: text, numbers, or anything. */
type Keeps = 'text' | 'numbers' | 'anything';

const ALLOWED: Record<Keeps, readonly string[]> = {
    text: ['text', 'null'],
    numbers: ['integer', 'real', 'null'],
    anything: ['text', 'integer', 'real', 'blob', 'null']
};

/** A value of SQLite's `typeof`, in words. */
const KIND_OF_VALUE: Record<string, string> = { integer: 'a number', real: 'a number', text: 'text', blob: 'a blob' };

/** SQLite's type affinity of a declared column type (https://sqlite.org/datatype3.html#affinity_name_examples), as what it keeps. */
function keeps(declared: string): Keeps {
    const type = declared.toUpperCase();
    if (type.includes('INT')) {
        return 'numbers';
    }
    if (type.includes('CHAR') || type.includes('CLOB') || type.includes('TEXT')) {
        return 'text';
    }
    if (!type || type.includes('BLOB')) {
        return 'anything';
    }
    return 'numbers';
}

/**
 * The values of the file's portable tables are of the kinds this archive's
 * columns of the same name keep: text where it keeps text, numbers where it
 * keeps numbers. SQLite stores a blob in a text column, or text it cannot
 * read as a number in an integer column, as it is; copied into the
 * archive, such a value would reach code that reads a name or a count.
 * `local` answers this archive's declared column types by table.
 */
export function checkColumnTypes(file: ExportFile, local: (table: string) => ReadonlyMap<string, string>): void {
    for (const table of PORTABLE_TABLES) {
        const mine = local(table);
        const columns = (file.columns(table) ?? []).filter(column => mine.has(column) && keeps(mine.get(column)!) !== 'anything');
        if (!columns.length) {
            continue;
        }
        const wrong = columns.map(column => `typeof("${column}") NOT IN (${ALLOWED[keeps(mine.get(column)!)].map(type => `'${type}'`).join(', ')})`);
        const found = file.db.prepare(`SELECT ${columns.map((column, i) => `CASE WHEN ${wrong[i]} THEN typeof("${column}") END`).join(', ')}
            FROM "${table}" WHERE ${wrong.join(' OR ')} LIMIT 1`).raw().get() as (string | null)[] | undefined;
        if (found) {
            const index = found.findIndex(type => type !== null);
            const column = columns[index];
            throw new ExportFileRefusal('damaged', file.file,
                `the table ${table} holds ${KIND_OF_VALUE[found[index]!] ?? found[index]} in ${column}, where this archive keeps ${keeps(mine.get(column)!)}`);
        }
    }
}

/** This archive's declared column types of a table (empty when it has no such table). */
export function declaredColumnTypes(db: Database, table: string): ReadonlyMap<string, string> {
    const rows = db.prepare('SELECT name, type FROM pragma_table_info(?)').all(table) as { name: string; type: string }[];
    return new Map(rows.map(row => [row.name, row.type]));
}

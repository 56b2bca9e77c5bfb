import type { Database } from 'better-sqlite3';
import type { TransferErrorReason } from '../../common/archive-transfer-protocol';

type Refuse = (reason: TransferErrorReason, detail: string) => never;

/** SQLite's own tables: the schema itself, AUTOINCREMENT counters and the query planner's statistics (which only steer plans). */
const SQLITE_INTERNAL = /^sqlite_(schema|master|sequence|stat\d)$/i;

/**
 * The export file's schema, checked before SQLite evaluates anything of it
 * (its integrity check computes index expressions; reading a table computes
 * its generated columns): an export holds plain tables and the indexes of
 * their keys, nothing else. Triggers, views and virtual tables (under any
 * name), indexes on expressions or with a WHERE clause, and generated
 * columns are SQL the file's author wrote; the file is refused as damaged
 * before any of it runs. Other plain tables are never read.
 */
export function checkExportSchema(db: Database, refuse: Refuse): void {
    const entries = db.prepare('SELECT type, name, tbl_name AS tableName, sql FROM sqlite_schema').all() as
        { type: string; name: string; tableName: string; sql: string | null }[];
    for (const entry of entries) {
        const name = JSON.stringify(entry.name);
        if (entry.type === 'trigger' || entry.type === 'view') {
            refuse('damaged', `the file holds the ${entry.type} ${name}; an export holds plain tables only`);
        }
        if (entry.type !== 'table' && entry.type !== 'index') {
            refuse('damaged', `the file's schema holds an unknown entry (${entry.type} ${name})`);
        }
        if (entry.type === 'table' && /^\s*CREATE\s+VIRTUAL\s/i.test(entry.sql ?? '')) {
            refuse('damaged', `the file holds the virtual table ${name}; an export holds plain tables only`);
        }
    }
    for (const entry of entries.filter(entry => entry.type === 'table' && !SQLITE_INTERNAL.test(entry.name))) {
        const hidden = db.prepare('SELECT name FROM pragma_table_xinfo(?) WHERE hidden IN (2, 3)').pluck().all(entry.name) as string[];
        if (hidden.length) {
            refuse('damaged', `the table ${JSON.stringify(entry.name)} has the computed column ${JSON.stringify(hidden[0])}; an export holds stored values only`);
        }
        const indexes = db.prepare('SELECT name, partial FROM pragma_index_list(?)').all(entry.name) as { name: string; partial: number }[];
        for (const index of indexes) {
            const onExpression = db.prepare('SELECT 1 FROM pragma_index_xinfo(?) WHERE key = 1 AND cid = -2').get(index.name) !== undefined;
            if (index.partial || onExpression) {
                refuse('damaged', `the index ${JSON.stringify(index.name)} ${index.partial ? 'has a WHERE clause' : 'is on an expression'}; an export indexes plain columns only`);
            }
        }
    }
}

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import BetterSqlite3 = require('better-sqlite3');

// The fleet tests load archive-core's compiled modules (as the workers package does) and never its sources: both in one process would declare its errors twice.

/** A fresh temporary folder; removed by the returned function. */
export function makeFleetTempFolder(prefix: string): { folder: string; remove: () => void } {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    return { folder, remove: () => fs.rmSync(folder, { recursive: true, force: true }) };
}

/** Rows of a query on the archive in `folder`, through a read-only connection of the test's own. */
export function archiveRows<T>(folder: string, sql: string, ...params: unknown[]): T[] {
    const db = new BetterSqlite3(path.join(folder, 'archive.sqlite'), { readonly: true, timeout: 5000 });
    try {
        return db.prepare(sql).all(...params) as T[];
    } finally {
        db.close();
    }
}

export function archiveValue<T>(folder: string, sql: string, ...params: unknown[]): T {
    const db = new BetterSqlite3(path.join(folder, 'archive.sqlite'), { readonly: true, timeout: 5000 });
    try {
        return db.prepare(sql).pluck().get(...params) as T;
    } finally {
        db.close();
    }
}

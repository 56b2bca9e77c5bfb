import type { Database } from 'better-sqlite3';
import type { Migration } from './migrations';

/**
 * Applies every migration newer than the database's `user_version`, each in its
 * own `BEGIN IMMEDIATE` transaction together with the version bump and its row
 * in `schema_migrations`, so a crash leaves the archive at a whole version.
 * Returns the schema version after the run; running it again changes nothing.
 */
export function applyMigrations(db: Database, migrations: readonly Migration[]): number {
    assertConsecutive(migrations);
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at TEXT NOT NULL
    )`);
    let current = db.pragma('user_version', { simple: true }) as number;
    for (const migration of migrations) {
        if (migration.version <= current) {
            continue;
        }
        db.transaction(() => {
            migration.up(db);
            db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
                .run(migration.version, migration.name, new Date().toISOString());
            db.pragma(`user_version = ${migration.version}`);
        }).immediate();
        current = migration.version;
    }
    return current;
}

function assertConsecutive(migrations: readonly Migration[]): void {
    migrations.forEach((migration, index) => {
        if (migration.version !== index + 1) {
            throw new Error(`Archive migrations must be numbered 1, 2, 3...; found ${migration.version} at position ${index + 1}`);
        }
    });
}

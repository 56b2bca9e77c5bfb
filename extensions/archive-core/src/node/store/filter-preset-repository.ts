import { randomUUID } from 'crypto';
import { inject, injectable } from '@theia/core/shared/inversify';
import type { FilterPreset } from '../../common/collection-protocol';
import type { FilterClause } from '../../common/search-protocol';
import { ArchiveStore } from './archive-store';
import { prepared } from './database';

export const FilterPresetRepository = Symbol('FilterPresetRepository');

/**
 * Named filter combinations (migration 22's `filter_presets`), listed by
 * name. Names and filters arrive checked; an unknown id throws a readable
 * Error, a read-only archive `ArchiveErrors.ReadOnly`.
 */
export interface FilterPresetRepository {
    list(): Promise<FilterPreset[]>;
    /** Adds a preset; `uid` keeps an imported preset's identity (a fresh one by default). */
    add(name: string, filters: readonly FilterClause[], uid?: string): Promise<FilterPreset>;
    rename(id: number, name: string): Promise<void>;
    setFilters(id: number, filters: readonly FilterClause[]): Promise<void>;
    remove(id: number): Promise<void>;
}

interface PresetRow {
    id: number;
    uid: string;
    name: string;
    filters: string;
    created_at: string;
    updated_at: string;
}

@injectable()
export class SqliteFilterPresetRepository implements FilterPresetRepository {

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    async list(): Promise<FilterPreset[]> {
        const { database } = await this.store.open();
        const rows = prepared(database.reader, 'SELECT id, uid, name, filters, created_at, updated_at FROM filter_presets ORDER BY name COLLATE NOCASE, id').all() as PresetRow[];
        return rows.map(toPreset);
    }

    async add(name: string, filters: readonly FilterClause[], uid = randomUUID()): Promise<FilterPreset> {
        const { database } = await this.store.open();
        return database.write(db => {
            const now = new Date().toISOString();
            const id = Number(prepared(db, 'INSERT INTO filter_presets (uid, name, filters, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
                .run(uid, name, JSON.stringify(filters), now, now).lastInsertRowid);
            return toPreset(prepared(db, 'SELECT id, uid, name, filters, created_at, updated_at FROM filter_presets WHERE id = ?').get(id) as PresetRow);
        });
    }

    async rename(id: number, name: string): Promise<void> {
        await this.update(id, 'name', name);
    }

    async setFilters(id: number, filters: readonly FilterClause[]): Promise<void> {
        await this.update(id, 'filters', JSON.stringify(filters));
    }

    async remove(id: number): Promise<void> {
        const { database } = await this.store.open();
        database.write(db => {
            if (!prepared(db, 'DELETE FROM filter_presets WHERE id = ?').run(id).changes) {
                throw new Error(`There is no filter preset ${id}.`);
            }
        });
    }

    protected async update(id: number, column: 'name' | 'filters', value: string): Promise<void> {
        const { database } = await this.store.open();
        database.write(db => {
            if (!prepared(db, `UPDATE filter_presets SET ${column} = ?, updated_at = ? WHERE id = ?`).run(value, new Date().toISOString(), id).changes) {
                throw new Error(`There is no filter preset ${id}.`);
            }
        });
    }
}

function toPreset(row: PresetRow): FilterPreset {
    return { id: row.id, uid: row.uid, name: row.name, filters: JSON.parse(row.filters), createdAt: row.created_at, updatedAt: row.updated_at };
}

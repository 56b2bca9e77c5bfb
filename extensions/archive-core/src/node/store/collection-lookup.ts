import type { CollectionKind } from '../../common/collection-protocol';
import { ArchiveDatabase, prepared } from './database';

/** A live collection or folder as the command line names it. */
export interface CollectionNamed {
    readonly id: number;
    readonly name: string;
    readonly kind: CollectionKind;
    /** Its folders' names from the top, e.g. ["Characters", "Heroes"]. */
    readonly folders: readonly string[];
}

/**
 * The live (not deleted) collections or folders a command-line argument
 * names: the one with that id when it is a whole number and one has it,
 * else every one with exactly that name (NFC-normalized, so a Korean name
 * typed on any keyboard matches).
 */
export function findCollectionsNamed(database: ArchiveDatabase, nameOrId: string): CollectionNamed[] {
    const db = database.reader;
    const rows = (): Array<{ id: number; name: string; kind: CollectionKind; parent_id: number | null }> => {
        if (/^\d+$/.test(nameOrId)) {
            const byId = prepared(db, 'SELECT id, name, kind, parent_id FROM collections WHERE id = ? AND deleted_at IS NULL').all(Number(nameOrId));
            if (byId.length) {
                return byId as never;
            }
        }
        const wanted = nameOrId.normalize('NFC');
        return (prepared(db, 'SELECT id, name, kind, parent_id FROM collections WHERE deleted_at IS NULL ORDER BY id').all() as never[])
            .filter((row: { name: string }) => row.name.normalize('NFC') === wanted);
    };
    return rows().map(row => {
        const folders: string[] = [];
        let parent = row.parent_id;
        for (let depth = 0; parent !== null && depth < 100; depth++) {
            const up = prepared(db, 'SELECT name, parent_id FROM collections WHERE id = ?').get(parent) as { name: string; parent_id: number | null } | undefined;
            if (!up) {
                break;
            }
            folders.unshift(up.name);
            parent = up.parent_id;
        }
        return { id: row.id, name: row.name, kind: row.kind, folders };
    });
}

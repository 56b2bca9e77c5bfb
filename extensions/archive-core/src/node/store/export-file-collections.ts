import type { TransferErrorReason } from '../../common/archive-transfer-protocol';
import { CollectionInput, MAX_SAVED_SEARCH_LENGTH } from '../collections/collection-input';
import type { ExportFile } from './export-file';

type Refuse = (reason: TransferErrorReason, detail: string) => never;

/** The longest uid of a collection or preset. */
const MAX_UID_LENGTH = 200;

interface CollectionRow {
    readonly id: number;
    readonly uid: unknown;
    readonly parent_id: unknown;
    readonly kind: unknown;
    readonly name: unknown;
    readonly query?: unknown;
}

/**
 * The file's collections and filter presets as the app itself would make
 * them: a uid (once each), a name, a kind; a collection inside a folder of
 * the file (never inside a manual or smart collection, never inside
 * itself); a smart collection's saved search and a preset's filters JSON
 * the app reads (see `CollectionInput`); no saved search on the others.
 * What the merge copies in must never break the archive's list of
 * collections afterwards.
 */
export function checkCollections(file: ExportFile, refuse: Refuse): void {
    const rows = file.rows<CollectionRow>('collections', 'id');
    const byId = new Map(rows.map(row => [row.id, row]));
    const uids = new Set<string>();
    for (const row of rows) {
        const uid = checkUid(row.uid, `collection ${row.id}`, uids, refuse);
        const where = `the collection ${JSON.stringify(uid)}`;
        checkName(row.name, where, refuse);
        const kind = row.kind;
        if (kind !== 'folder' && kind !== 'manual' && kind !== 'smart') {
            refuse('damaged', `${where} is of the unknown kind ${JSON.stringify(String(kind))}`);
        }
        const parent = row.parent_id === null ? undefined : byId.get(row.parent_id as number);
        if (parent && parent.kind !== 'folder') {
            refuse('damaged', `${where} lies inside ${JSON.stringify(String(parent.uid))}, which is not a folder`);
        }
        for (let up = parent, steps = 0; up; up = up.parent_id === null ? undefined : byId.get(up.parent_id as number), steps++) {
            if (up.id === row.id || steps > rows.length) {
                refuse('damaged', `${where} lies in a circle of folders, inside itself`);
            }
        }
        if (kind === 'smart') {
            const query = parseSaved(row.query, `${where}'s saved search`, refuse);
            try {
                CollectionInput.smartQuery(query);
            } catch (error) {
                refuse('damaged', `${where}'s saved search cannot be used: ${(error as Error).message}`);
            }
        } else if (row.query !== null && row.query !== undefined) {
            refuse('damaged', `${where} is a ${kind}, yet it has a saved search`);
        }
    }
    const presetUids = new Set<string>();
    for (const row of file.rows<{ id: number; uid: unknown; name: unknown; filters: unknown }>('filter_presets', 'id')) {
        const uid = checkUid(row.uid, `filter preset ${row.id}`, presetUids, refuse);
        const where = `the filter preset ${JSON.stringify(uid)}`;
        checkName(row.name, where, refuse);
        const filters = parseSaved(row.filters, `${where}'s filters`, refuse);
        try {
            CollectionInput.filters(filters);
        } catch (error) {
            refuse('damaged', `${where}'s filters cannot be used: ${(error as Error).message}`);
        }
    }
}

function checkUid(value: unknown, what: string, seen: Set<string>, refuse: Refuse): string {
    if (typeof value !== 'string' || !value || value.length > MAX_UID_LENGTH) {
        refuse('damaged', `the ${what} has no uid`);
    }
    if (seen.has(value)) {
        refuse('damaged', `two entries have the uid ${JSON.stringify(value)}`);
    }
    seen.add(value);
    return value;
}

function checkName(value: unknown, where: string, refuse: Refuse): void {
    if (typeof value !== 'string') {
        refuse('damaged', `${where} has a name that is not text`);
    }
    try {
        CollectionInput.name(value);
    } catch (error) {
        refuse('damaged', `${where} has no usable name: ${(error as Error).message}`);
    }
}

/** JSON text of a saved search or of filters, parsed; refused when it is not text, too long, or not JSON. */
function parseSaved(value: unknown, what: string, refuse: Refuse): unknown {
    if (typeof value !== 'string') {
        refuse('damaged', `${what} is missing or not text`);
    }
    if (value.length > MAX_SAVED_SEARCH_LENGTH) {
        refuse('damaged', `${what} is longer than ${MAX_SAVED_SEARCH_LENGTH / 1024 / 1024} MiB`);
    }
    try {
        return JSON.parse(value);
    } catch {
        return refuse('damaged', `${what} is not JSON`);
    }
}

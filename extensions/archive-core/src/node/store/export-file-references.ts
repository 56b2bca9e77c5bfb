import type { TransferErrorReason } from '../../common/archive-transfer-protocol';
import { FILES_TABLE, MANIFEST_TABLE, MEDIA_TABLE, PORTABLE_TABLES, ROOTS_TABLE, VECTORS_TABLE } from '../transfer/export-format';
import type { ExportFile } from './export-file';

type Refuse = (reason: TransferErrorReason, detail: string) => never;

/** The largest whole number JavaScript holds exactly (2^53 - 1): ids beyond it would merge into each other when read. */
const MAX_EXACT = Number.MAX_SAFE_INTEGER;

/**
 * A column whose values name rows of another table of the file: every
 * value (NULL where `nullable`) must be there, else the row references
 * nothing and the file is damaged (an exporter only writes what it
 * references).
 */
interface Reference {
    readonly table: string;
    readonly column: string;
    readonly parent: string;
    readonly parentColumn: string;
    readonly nullable?: boolean;
}

const REFERENCES: readonly Reference[] = [
    ...['layers', 'asset_tags', 'ai_tag_decisions', 'comments', 'asset_captions', 'caption_words', 'asset_ocr', 'phase_states', 'collection_members']
        .map(table => ({ table, column: 'asset_id', parent: 'assets', parentColumn: 'id' })),
    { table: 'asset_tags', column: 'tag_id', parent: 'tags', parentColumn: 'id' },
    { table: 'ai_tag_decisions', column: 'tag_id', parent: 'tags', parentColumn: 'id' },
    { table: 'comment_revisions', column: 'comment_id', parent: 'comments', parentColumn: 'id' },
    { table: 'collection_members', column: 'collection_id', parent: 'collections', parentColumn: 'id' },
    { table: 'collections', column: 'parent_id', parent: 'collections', parentColumn: 'id', nullable: true },
    { table: 'collections', column: 'cover_asset_id', parent: 'assets', parentColumn: 'id', nullable: true }
];

/**
 * Every whole number in the format's tables is one JavaScript holds
 * exactly: two ids beyond 2^53 read as the same number and would map one
 * row's children onto another's.
 */
export function checkNumbers(file: ExportFile, refuse: Refuse): void {
    for (const table of [MANIFEST_TABLE, ROOTS_TABLE, FILES_TABLE, VECTORS_TABLE, MEDIA_TABLE, ...PORTABLE_TABLES]) {
        const columns = file.columns(table);
        if (!columns?.length) {
            continue;
        }
        const outside = columns.map(column => `(typeof("${column}") = 'integer' AND ("${column}" > ${MAX_EXACT} OR "${column}" < -${MAX_EXACT}))`);
        const found = file.db.prepare(`SELECT ${columns.map(column => `CASE WHEN ${outside[columns.indexOf(column)]} THEN "${column}" END`).join(', ')}
            FROM "${table}" WHERE ${outside.join(' OR ')} LIMIT 1`).safeIntegers(true).raw().get() as (bigint | null)[] | undefined;
        if (found) {
            const index = found.findIndex(value => value !== null);
            refuse('damaged', `the table ${table} holds the number ${String(found[index])} in ${columns[index]}, beyond what can be read exactly`);
        }
    }
}

/** Every reference between the format's tables leads to a row of the file (see {@link REFERENCES}). */
export function checkReferences(file: ExportFile, refuse: Refuse): void {
    for (const { table, column, parent, parentColumn, nullable } of REFERENCES) {
        if (!file.columns(table)?.includes(column) || !file.columns(parent)) {
            continue;
        }
        const orphan = file.db.prepare(`SELECT "${column}" FROM "${table}"
            WHERE ${nullable ? `"${column}" IS NOT NULL AND ` : ''}("${column}" IS NULL OR "${column}" NOT IN (SELECT "${parentColumn}" FROM "${parent}")) LIMIT 1`)
            .raw().get() as [unknown] | undefined;
        if (orphan) {
            refuse('damaged', `a row of ${table} names ${column} ${JSON.stringify(orphan[0])}, which is not in the file's ${parent}`);
        }
    }
}

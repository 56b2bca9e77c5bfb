import * as crypto from 'crypto';
import type { TransferErrorReason } from '../../common/archive-transfer-protocol';
import { formatBytes } from '../../common/byte-size';
import { FILES_TABLE, MEDIA_HASH_PATTERN, MEDIA_TABLE, ROOTS_TABLE, VECTORS_TABLE } from '../transfer/export-format';
import { exportPathProblem } from '../transfer/export-paths';
import type { ExportFile } from './export-file';
import { checkCollections } from './export-file-collections';
import { checkNumbers, checkReferences } from './export-file-references';

/** The most dimensions a vector index of an export may declare. */
const MAX_DIMENSIONS = 65_536;

type Refuse = (reason: TransferErrorReason, detail: string) => never;

/** Two sizes in human units, or in exact bytes where the units would show them equal. */
function sizes(declared: number, actual: number): [string, string] {
    const human: [string, string] = [formatBytes(declared), formatBytes(actual)];
    return human[0] === human[1] ? [`${declared} bytes`, `${actual} bytes`] : human;
}

/**
 * The checks of an export file's rows, before anything is imported: the
 * manifest's counts against the rows, every media entry (name, declared
 * size, content hash), every vector (its index, its length), every root and
 * file path, every whole number (exact in JavaScript), the references
 * between the format's tables, and the collections and presets.
 */
export function checkExportContent(file: ExportFile, refuse: Refuse): void {
    checkCounts(file, refuse);
    checkNumbers(file, refuse);
    const assetIds = checkAssets(file, refuse);
    checkMedia(file, refuse);
    checkVectors(file, assetIds, refuse);
    checkPaths(file, assetIds, refuse);
    checkReferences(file, refuse);
    checkCollections(file, refuse);
    checkPhaseResults(file, refuse);
}

/** Phase results are JSON (the phase that finds one here reads it instead of running again). */
function checkPhaseResults(file: ExportFile, refuse: Refuse): void {
    if (!file.columns('phase_results')?.includes('result')) {
        return;
    }
    for (const [phase, result] of file.db.prepare('SELECT phase, result FROM phase_results').raw().iterate() as IterableIterator<[unknown, unknown]>) {
        try {
            JSON.parse(result as string);
        } catch {
            refuse('damaged', `a result of the phase ${JSON.stringify(String(phase))} is not JSON`);
        }
    }
}

function checkCounts(file: ExportFile, refuse: Refuse): void {
    const { manifest } = file;
    const counted: [string, number, number][] = [
        ['assets', manifest.assets, file.count('assets')],
        ['files', manifest.files, file.count(FILES_TABLE)],
        ['vectors', manifest.vectors, file.count(VECTORS_TABLE)],
        ['media', manifest.media, file.count(MEDIA_TABLE)],
        ['collections', manifest.collections, file.count('collections')]
    ];
    for (const [name, declared, actual] of counted) {
        if (declared !== actual) {
            refuse('size-mismatch', `the manifest declares ${declared} ${name}; the file holds ${actual}`);
        }
    }
    const mediaBytes = file.db.prepare(`SELECT total(size) FROM ${MEDIA_TABLE}`).pluck().get() as number;
    if (mediaBytes !== manifest.mediaBytes) {
        const [declared, held] = sizes(manifest.mediaBytes, mediaBytes);
        refuse('size-mismatch', `the manifest declares ${declared} of media; the entries declare ${held}`);
    }
}

function checkAssets(file: ExportFile, refuse: Refuse): Set<number> {
    const ids = new Set<number>();
    const hashes = new Set<string>();
    for (const row of file.db.prepare('SELECT id, content_hash FROM assets').raw().iterate() as IterableIterator<[unknown, unknown]>) {
        const [id, hash] = row;
        if (typeof id !== 'number' || !Number.isSafeInteger(id) || typeof hash !== 'string' || !hash) {
            refuse('damaged', `an asset has no id or content hash (${JSON.stringify(String(id))})`);
        }
        if (hashes.has(hash)) {
            refuse('damaged', `two assets have the content hash ${hash}`);
        }
        ids.add(id);
        hashes.add(hash);
    }
    return ids;
}

function checkMedia(file: ExportFile, refuse: Refuse): void {
    const rows = file.db.prepare(`SELECT hash, size, typeof(bytes), length(bytes), bytes FROM ${MEDIA_TABLE}`).raw().iterate() as
        IterableIterator<[unknown, unknown, string, number, Buffer]>;
    for (const [hash, size, type, length, bytes] of rows) {
        if (typeof hash !== 'string' || !MEDIA_HASH_PATTERN.test(hash)) {
            refuse('unsafe-path', `the media entry ${JSON.stringify(String(hash))} is not named by a content hash`);
        }
        if (type !== 'blob' || size !== length) {
            const [declared, held] = typeof size === 'number' ? sizes(size, length) : [String(size), formatBytes(length)];
            refuse('size-mismatch', `the media entry ${hash} declares ${declared} and holds ${held}`);
        }
        if (crypto.createHash('sha256').update(bytes).digest('hex') !== hash) {
            refuse('damaged', `the media entry ${hash} holds other bytes than its name says`);
        }
    }
}

function checkVectors(file: ExportFile, assetIds: Set<number>, refuse: Refuse): void {
    const dimensions = new Map<string, number>();
    for (const row of file.rows<{ name: unknown; axis: unknown; model: unknown; dimensions: unknown }>('vector_indexes')) {
        if (typeof row.name !== 'string' || typeof row.model !== 'string' || (row.axis !== 'visual' && row.axis !== 'meaning')) {
            refuse('damaged', `the vector index ${JSON.stringify(String(row.name))} has no valid axis or model`);
        }
        if (typeof row.dimensions !== 'number' || !Number.isInteger(row.dimensions) || row.dimensions < 1 || row.dimensions > MAX_DIMENSIONS) {
            refuse('damaged', `the vector index ${row.name} declares ${String(row.dimensions)} dimensions`);
        }
        dimensions.set(row.name, row.dimensions);
    }
    const rows = file.db.prepare(`SELECT index_name, asset_id, typeof(embedding), length(embedding) FROM ${VECTORS_TABLE}`).raw().iterate() as
        IterableIterator<[unknown, unknown, string, number]>;
    for (const [index, assetId, type, length] of rows) {
        const expected = typeof index === 'string' ? dimensions.get(index) : undefined;
        if (expected === undefined) {
            refuse('damaged', `a vector names the unknown index ${JSON.stringify(String(index))}`);
        }
        if (typeof assetId !== 'number' || !assetIds.has(assetId)) {
            refuse('damaged', `a vector of ${index} belongs to no asset of the file`);
        }
        if (type !== 'blob' || length !== expected * 4) {
            refuse('size-mismatch', `a vector of ${index} holds ${length} bytes; its ${expected} dimensions take ${expected * 4}`);
        }
    }
}

function checkPaths(file: ExportFile, assetIds: Set<number>, refuse: Refuse): void {
    const roots = new Set<number>();
    for (const row of file.rows<{ id: unknown; path: unknown }>(ROOTS_TABLE)) {
        const problem = exportPathProblem(row.path, 'root');
        if (problem) {
            refuse('unsafe-path', problem);
        }
        roots.add(row.id as number);
    }
    if (roots.size && !file.manifest.includesPaths) {
        refuse('damaged', 'the manifest says the file holds no paths, yet it lists root folders');
    }
    const twins = new Map<string, string>();
    const rows = file.db.prepare(`SELECT asset_id, root_id, relative_path, size, mtime_ms FROM ${FILES_TABLE}`).raw().iterate() as
        IterableIterator<[unknown, unknown, unknown, unknown, unknown]>;
    for (const [assetId, rootId, relativePath, size, mtime] of rows) {
        if (typeof assetId !== 'number' || !assetIds.has(assetId)) {
            refuse('damaged', `the file ${JSON.stringify(String(relativePath))} belongs to no asset of the file`);
        }
        if (typeof size !== 'number' || typeof mtime !== 'number') {
            refuse('damaged', `the file ${JSON.stringify(String(relativePath))} has no size or modification time`);
        }
        const withRoot = rootId !== null;
        if (withRoot && !roots.has(rootId as number)) {
            refuse('damaged', `the file ${JSON.stringify(String(relativePath))} names an unknown root folder`);
        }
        const problem = exportPathProblem(relativePath, withRoot ? 'relative' : 'name');
        if (problem) {
            refuse('unsafe-path', problem);
        }
        if (withRoot) {
            checkTwin(twins, rootId as number, relativePath as string, refuse);
        }
    }
}

/**
 * Two files below one root with the same path, or with paths that differ
 * only in their Unicode form (NFC `é` and NFD `e` + accent: one name on
 * macOS's disks, and the same-looking name everywhere): the second would be
 * recorded over the first's file. (Files without paths may share a name:
 * they come from different folders.)
 */
function checkTwin(twins: Map<string, string>, rootId: number, relativePath: string, refuse: Refuse): void {
    const key = `${rootId}\0${relativePath.normalize('NFC')}`;
    const twin = twins.get(key);
    if (twin === relativePath) {
        refuse('damaged', `two files have the path ${JSON.stringify(relativePath)} below one root folder`);
    }
    if (twin !== undefined) {
        refuse('unsafe-path', `${JSON.stringify(twin)} and ${JSON.stringify(relativePath)} are one name in two Unicode forms`);
    }
    twins.set(key, relativePath);
}

import * as fs from 'fs';
import * as path from 'path';
import type { ImportedFilePlace } from '../store/archive-import-repository';
import type { ExportFile } from '../store/export-file';
import { discoverFiles } from '../ingest/file-discovery';
import { hashFile } from '../ingest/parse-worker';
import { FILES_TABLE } from './export-format';

/** Where an export's files without paths were found under the chosen folder, and how many were not. */
export interface FoundImportFiles {
    /** By `export_files.id`: the files found, at their real paths, with the chosen folder as their root. */
    readonly places: Map<number, ImportedFilePlace>;
    readonly found: number;
    readonly notFound: number;
}

/**
 * Looks for an export's files without paths (each known by its name and
 * size, its asset by its content hash) under `folder`, in one walk of it
 * as the indexer walks a root (`discoverFiles`: hidden and system folders
 * skipped, symbolic links never followed, so nothing found lies outside
 * it). A file's candidates are the files of its name (Unicode form
 * aside) and size not taken by another of the export's files; of several,
 * only those are hashed, with the indexer's own hash, and the one with the
 * asset's content wins. A file with no candidate (or none of its
 * content) is not found: it gets no place, so its asset arrives without a
 * file rather than with one at a guessed path. `checkAbort` is called
 * between hashes.
 */
export async function findImportedFiles(source: ExportFile, folder: string, checkAbort: () => void): Promise<FoundImportFiles> {
    const root = path.resolve(folder);
    const byNameAndSize = new Map<string, string[]>();
    const stat = fs.statSync(root, { throwIfNoEntry: false });
    if (stat?.isDirectory()) {
        for (const file of (await discoverFiles(root)).files) {
            const key = fileKey(path.basename(file.path), file.size);
            const list = byNameAndSize.get(key);
            if (list) {
                list.push(file.path);
            } else {
                byNameAndSize.set(key, [file.path]);
            }
        }
    }
    const assetHashes = new Map<number, string>();
    for (const row of source.iterate<{ id: number; content_hash: string }>('assets', 'id')) {
        assetHashes.set(row.id, row.content_hash);
    }
    const taken = new Set<string>();
    const hashes = new Map<string, string | undefined>();
    const places = new Map<number, ImportedFilePlace>();
    let notFound = 0;
    for (const row of source.iterate<{ id: number; asset_id: number; root_id: number | null; relative_path: string; size: number }>(FILES_TABLE, 'id')) {
        if (row.root_id !== null) {
            continue;
        }
        const candidates = (byNameAndSize.get(fileKey(row.relative_path, row.size)) ?? []).filter(candidate => !taken.has(candidate));
        let chosen: string | undefined;
        if (candidates.length === 1) {
            chosen = candidates[0];
        } else {
            for (const candidate of candidates) {
                checkAbort();
                if (!hashes.has(candidate)) {
                    const outcome = await hashFile(candidate);
                    hashes.set(candidate, outcome.ok ? outcome.hash : undefined);
                }
                if (hashes.get(candidate) === assetHashes.get(row.asset_id)) {
                    chosen = candidate;
                    break;
                }
            }
        }
        if (chosen === undefined) {
            notFound++;
            continue;
        }
        taken.add(chosen);
        places.set(row.id, { path: chosen, root, onDisk: true });
    }
    return { places, found: places.size, notFound };
}

function fileKey(name: string, size: number): string {
    return `${size}/${name.normalize('NFC')}`;
}

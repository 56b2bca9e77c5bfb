import * as fs from 'fs';
import * as path from 'path';
import type { DiscoveredFile } from '../store/ingest-repository';

/** The file types ImageParser indexes, matched in any case. */
export const INDEXED_EXTENSIONS = ['.psd', '.psb', '.png', '.jpg', '.jpeg'];

/** Folders of operating systems, version control and tools that never hold an artist's images. */
const SYSTEM_FOLDERS = new Set(['$recycle.bin', 'system volume information', '__macosx', 'node_modules', '@eadir', 'lost+found']);

/** What discovery left out and why: it indexes regular files only. */
export interface SkippedEntries {
    /** Symbolic links (to files or folders): followed, they could lead out of the folder or round in a loop. */
    readonly links: number;
    /** FIFOs, sockets and devices: opening one can block forever. */
    readonly special: number;
}

/** The image files under a root, and what was skipped. */
export interface Discovery {
    readonly files: DiscoveredFile[];
    readonly skipped: SkippedEntries;
}

/**
 * Walks a folder recursively and lists the image files in it (or answers the
 * root itself when it is one image file), skipping
 * hidden entries (a leading dot), system folders, symbolic links (so a
 * link loop cannot trap the walk) and FIFOs, sockets and devices, counting
 * the last two kinds. Folders that cannot be read are skipped.
 */
export async function discoverFiles(root: string): Promise<Discovery> {
    const found: DiscoveredFile[] = [];
    let links = 0;
    let special = 0;
    const rootStat = await fs.promises.stat(root).catch(() => undefined);
    if (rootStat?.isFile()) {
        // A single dropped file is a root of its own.
        const files = INDEXED_EXTENSIONS.includes(path.extname(root).toLowerCase()) ? [{ path: root, size: rootStat.size, mtimeMs: rootStat.mtimeMs }] : [];
        return { files, skipped: { links, special } };
    }
    const folders = [root];
    while (folders.length) {
        const folder = folders.pop()!;
        let entries: fs.Dirent[];
        try {
            entries = await fs.promises.readdir(folder, { withFileTypes: true });
        } catch {
            continue;
        }
        for (const entry of entries) {
            if (entry.name.startsWith('.')) {
                continue;
            }
            const full = path.join(folder, entry.name);
            if (entry.isDirectory()) {
                if (!SYSTEM_FOLDERS.has(entry.name.toLowerCase())) {
                    folders.push(full);
                }
            } else if (entry.isSymbolicLink()) {
                links++;
            } else if (entry.isFIFO() || entry.isSocket() || entry.isBlockDevice() || entry.isCharacterDevice()) {
                special++;
            } else if (entry.isFile() && INDEXED_EXTENSIONS.includes(path.extname(entry.name).toLowerCase())) {
                try {
                    // lstat: the entry may have been swapped for a link or a FIFO since it was listed.
                    const stat = await fs.promises.lstat(full);
                    if (stat.isFile()) {
                        found.push({ path: full, size: stat.size, mtimeMs: stat.mtimeMs });
                    }
                } catch {
                    // Deleted between listing and stat: nothing to index.
                }
            }
        }
    }
    return { files: found.sort((a, b) => a.path.localeCompare(b.path)), skipped: { links, special } };
}

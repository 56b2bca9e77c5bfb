import * as fs from 'fs';
import * as path from 'path';
import type { DiscoveredFile } from '../store/ingest-repository';

/** The file types ImageParser indexes, matched in any case. */
export const INDEXED_EXTENSIONS = ['.psd', '.psb', '.png', '.jpg', '.jpeg'];

/** Folders of operating systems, version control and tools that never hold an artist's images. */
const SYSTEM_FOLDERS = new Set(['$recycle.bin', 'system volume information', '__macosx', 'node_modules', '@eadir', 'lost+found']);

/**
 * Walks a folder recursively and lists the image files in it (or answers the
 * root itself when it is one image file), skipping
 * hidden entries (a leading dot), system folders and symbolic links (so a
 * link loop cannot trap the walk). Folders that cannot be read are skipped.
 */
export async function discoverFiles(root: string): Promise<DiscoveredFile[]> {
    const found: DiscoveredFile[] = [];
    const rootStat = await fs.promises.stat(root).catch(() => undefined);
    if (rootStat?.isFile()) {
        // A single dropped file is a root of its own.
        return INDEXED_EXTENSIONS.includes(path.extname(root).toLowerCase()) ? [{ path: root, size: rootStat.size, mtimeMs: rootStat.mtimeMs }] : [];
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
            } else if (entry.isFile() && INDEXED_EXTENSIONS.includes(path.extname(entry.name).toLowerCase())) {
                try {
                    const stat = await fs.promises.stat(full);
                    found.push({ path: full, size: stat.size, mtimeMs: stat.mtimeMs });
                } catch {
                    // Deleted between listing and stat: nothing to index.
                }
            }
        }
    }
    return found.sort((a, b) => a.path.localeCompare(b.path));
}

import * as fs from 'fs';
import * as path from 'path';
import { isProcessAlive } from './process-alive';

/**
 * How long a temporary file may sit unchanged before nobody can be writing
 * it: longer than any writer stalls (an upload times out after 300 s idle, a
 * pyramid build or a layer render after 120 s).
 */
export const STALE_TEMPORARY_MS = 15 * 60_000;

/** `<hash>.<pid>.<hex>.tmp` (media), `<name>.<hex>.tmp` (tiles, layer thumbnails), `.<name>.<hex>.upload` (the upload inbox). */
const TEMPORARY_NAME = /\.tmp$|^\..+\.[0-9a-f]+\.upload$/;
const PID_IN_NAME = /\.(\d{1,10})\.[0-9a-f]+\.tmp$/;
/** Folders under the inbox are looked into this deep (`inbox/<date time>/<dropped folders>…`). */
const INBOX_DEPTH = 8;

export interface SweepOptions {
    /** The clock, for the age rule. */
    readonly now?: number;
    readonly staleAfterMs?: number;
}

/** What a sweep removed, and the temporary files it left to a live writer. */
export interface SweepReport {
    readonly removed: readonly string[];
    readonly kept: readonly string[];
}

/**
 * Removes the temporary files a killed process left in an archive folder:
 * in `media/` (thumbnails and previews), `tiles/` (pyramids), `layers/`
 * (layer thumbnails) and `inbox/` (uploads). The command-line tool and the
 * app write into one archive at the same time, so a temporary file is only
 * removed when no live process can be writing it: the process whose id is
 * in its name has ended, or it has not changed for {@link STALE_TEMPORARY_MS}.
 * Never throws; what cannot be read or removed is left.
 */
export async function sweepTemporaryFiles(archiveFolder: string, options: SweepOptions = {}): Promise<SweepReport> {
    const now = options.now ?? Date.now();
    const staleAfter = options.staleAfterMs ?? STALE_TEMPORARY_MS;
    const removed: string[] = [];
    const kept: string[] = [];
    const consider = async (entry: string) => {
        const stat = await fs.promises.lstat(entry).catch(() => undefined);
        if (!stat) {
            return;
        }
        const pid = PID_IN_NAME.exec(path.basename(entry))?.[1];
        const writerGone = pid !== undefined && !isProcessAlive(Number(pid));
        if (writerGone || now - stat.mtimeMs > staleAfter) {
            try {
                await fs.promises.rm(entry, { recursive: true, force: true });
                removed.push(entry);
            } catch {
                kept.push(entry);
            }
        } else {
            kept.push(entry);
        }
    };
    const sweepFolder = async (folder: string, depth: number, descend: (name: string) => boolean) => {
        const entries = await fs.promises.readdir(folder, { withFileTypes: true }).catch(() => [] as fs.Dirent[]);
        for (const entry of entries) {
            const full = path.join(folder, entry.name);
            if (TEMPORARY_NAME.test(entry.name)) {
                await consider(full);
            } else if (depth > 0 && entry.isDirectory() && descend(entry.name)) {
                await sweepFolder(full, depth - 1, descend);
            }
        }
    };
    const shard = (name: string) => /^[0-9a-f]{2}$/.test(name);
    await sweepFolder(path.join(archiveFolder, 'media'), 2, shard);
    await sweepFolder(path.join(archiveFolder, 'tiles'), 0, () => false);
    await sweepFolder(path.join(archiveFolder, 'layers'), 1, () => true);
    await sweepFolder(path.join(archiveFolder, 'inbox'), INBOX_DEPTH, () => true);
    return { removed, kept };
}

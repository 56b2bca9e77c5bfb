import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Whether ImageParser may write the archive database `file`: its folder, the
 * file and its `-wal`/`-shm` companions (those that exist) must all be
 * writable. A read-only mount, an immutable file or folder (`chattr +i`)
 * and missing permissions all count, for root too (the system says so even
 * to root). A folder that does not exist yet counts as writable: creating it
 * says whether it can be.
 */
export function isArchiveWritable(file: string): boolean {
    const folder = path.dirname(file);
    if (!fs.existsSync(folder)) {
        return true;
    }
    return [folder, file, `${file}-wal`, `${file}-shm`].every(candidate => {
        try {
            fs.accessSync(candidate, fs.constants.W_OK);
            return true;
        } catch (error) {
            return (error as NodeJS.ErrnoException).code === 'ENOENT' && candidate !== folder;
        }
    });
}

/** A database file to read, and how to let it go. */
export interface ReadableCopy {
    readonly file: string;
    dispose(): void;
}

/**
 * The database file as SQLite can read it. A WAL database needs its `-shm`
 * index beside it, which SQLite cannot create in a folder that cannot be
 * written: then the database (and its write-ahead log, if any) is copied to
 * a temporary folder, read from there, and the copy removed on dispose.
 * Nobody can change a read-only archive meanwhile, so the copy stays true.
 */
export function readableCopy(file: string): ReadableCopy {
    let folderWritable = true;
    try {
        fs.accessSync(path.dirname(file), fs.constants.W_OK);
    } catch {
        folderWritable = false;
    }
    if (folderWritable) {
        return { file, dispose: () => undefined };
    }
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'imageparser-read-only-'));
    try {
        const copy = path.join(folder, path.basename(file));
        fs.copyFileSync(file, copy);
        if (fs.existsSync(`${file}-wal`)) {
            fs.copyFileSync(`${file}-wal`, `${copy}-wal`);
        }
        return { file: copy, dispose: () => fs.rmSync(folder, { recursive: true, force: true }) };
    } catch (error) {
        fs.rmSync(folder, { recursive: true, force: true });
        throw error;
    }
}

import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** Every folder and file under `folder`, deepest first, `folder` last. */
function entriesUnder(folder: string): string[] {
    const entries = (fs.readdirSync(folder, { recursive: true }) as string[]).map(entry => path.join(folder, entry));
    return [...entries.sort((a, b) => b.length - a.length), folder];
}

/**
 * Makes `folder` and everything in it read-only for this process, as a
 * read-only archive is for the app, and answers how to undo it. Root ignores
 * permission bits, so as root every entry is made immutable (`chattr +i`),
 * or, where the file system has no such attribute, the folder is bind-mounted
 * read-only onto itself; other users lose the write permission bits.
 */
export function makeReadOnly(folder: string): () => void {
    if (process.getuid?.() !== 0) {
        const entries = entriesUnder(folder);
        for (const entry of entries) {
            fs.chmodSync(entry, fs.statSync(entry).mode & ~0o222);
        }
        return () => entries.reverse().forEach(entry => fs.chmodSync(entry, fs.statSync(entry).mode | 0o200));
    }
    const entries = entriesUnder(folder);
    try {
        execFileSync('chattr', ['+i', ...entries], { stdio: 'pipe' });
        return () => execFileSync('chattr', ['-i', ...entries], { stdio: 'pipe' });
    } catch (error) {
        execFileSync('chattr', ['-i', ...entries], { stdio: 'ignore' });
        try {
            execFileSync('mount', ['--bind', folder, folder], { stdio: 'pipe' });
            execFileSync('mount', ['-o', 'remount,ro,bind', folder, folder], { stdio: 'pipe' });
            return () => execFileSync('umount', [folder], { stdio: 'pipe' });
        } catch (mountError) {
            throw new Error(`Cannot make ${folder} read-only for root: chattr said ${String(error)}; mount said ${String(mountError)}`);
        }
    }
}

import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { MediaStore } from '../store/media-store';

/**
 * Thumbnails and previews of an import, written to temporary files in the
 * media folder before the merge and renamed into place after it commits:
 * a failed or cancelled import removes them ({@link discard}), and one
 * killed midway leaves only `<hash>.<pid>.<hex>.tmp` files, which the
 * archive's sweep of temporary files removes.
 */
export class ImportMediaStaging {

    protected readonly staged: { temporary: string; target: string }[] = [];
    protected readonly folders = new Set<string>();
    /** Folders this staging made, removed again by a discard. */
    protected readonly made: string[] = [];

    constructor(protected readonly media: MediaStore) { }

    /** Whether this content would be new to the media store. */
    lacks(hash: string): boolean {
        return !this.media.has(hash);
    }

    /** Writes `bytes` to a temporary file beside where `hash` will be. */
    async stage(hash: string, bytes: Uint8Array): Promise<void> {
        const target = this.media.pathOf(hash);
        const folder = path.dirname(target);
        if (!this.folders.has(folder)) {
            const first = fs.mkdirSync(folder, { recursive: true });
            // mkdir answers the first folder it made: that one and those below it down to `folder` are new.
            for (let made = first ? folder : undefined, chain: string[] = []; made !== undefined; made = path.dirname(made)) {
                chain.unshift(made);
                if (made === first || made === path.dirname(made)) {
                    this.made.push(...chain);
                    break;
                }
            }
            this.folders.add(folder);
        }
        const temporary = `${target}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
        this.staged.push({ temporary, target });
        await fs.promises.writeFile(temporary, bytes);
    }

    get count(): number {
        return this.staged.length;
    }

    /** Moves every staged file under its name (after the merge committed). */
    commit(): void {
        for (const entry of this.staged.splice(0)) {
            fs.renameSync(entry.temporary, entry.target);
        }
    }

    /** Removes every staged file and the folders made for them. */
    discard(): void {
        for (const entry of this.staged.splice(0)) {
            fs.rmSync(entry.temporary, { force: true });
        }
        for (const folder of this.made.splice(0).reverse()) {
            try {
                fs.rmdirSync(folder);
            } catch {
                // Not empty: another writer put something there meanwhile.
            }
        }
    }
}

import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** A SHA-256 content hash, 64 lowercase hex digits. */
const HASH_PATTERN = /^[0-9a-f]{64}$/;

/**
 * Thumbnails and layer images, stored by content hash in a folder beside the
 * database (never inside SQLite). The same bytes are stored once; a write goes
 * to a temporary file first and is renamed into place, so a killed process
 * never leaves half a file under a valid name; a write that fails removes
 * its temporary file.
 */
export class MediaStore {

    /** Folders known to exist, so a write costs no mkdir. */
    protected readonly folders = new Set<string>();

    constructor(readonly folder: string) { }

    /** Stores `bytes` and returns their hash; storing the same bytes again is a no-op. */
    put(bytes: Uint8Array): string {
        const hash = crypto.createHash('sha256').update(bytes).digest('hex');
        const target = this.pathOf(hash);
        if (!fs.existsSync(target)) {
            const folder = path.dirname(target);
            if (!this.folders.has(folder)) {
                fs.mkdirSync(folder, { recursive: true });
                this.folders.add(folder);
            }
            // The writer's pid is in the name: the sweep at open removes what a killed process left, never what a live one is writing.
            const temporary = `${target}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
            try {
                fs.writeFileSync(temporary, bytes);
                fs.renameSync(temporary, target);
            } catch (error) {
                // A failed write (a full disk) leaves nothing behind.
                fs.rmSync(temporary, { force: true });
                throw error;
            }
        }
        return hash;
    }

    /** The file that holds the content with this hash; throws for anything that is not a hash. */
    pathOf(hash: string): string {
        if (!HASH_PATTERN.test(hash)) {
            throw new Error(`Not a media content hash: ${hash}`);
        }
        return path.join(this.folder, hash.slice(0, 2), hash.slice(2, 4), hash);
    }

    has(hash: string): boolean {
        return HASH_PATTERN.test(hash) && fs.existsSync(this.pathOf(hash));
    }
}

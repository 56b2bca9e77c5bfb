import * as fs from 'fs';
import * as path from 'path';

const { O_RDONLY, O_NONBLOCK, O_NOFOLLOW, O_NOCTTY } = fs.constants;

/** Where a process sees its own open files by number (Linux); other systems fall back to paths. */
const FD_FOLDER = '/proc/self/fd';
const hasFdFolder = process.platform === 'linux' && fs.existsSync(FD_FOLDER);

/**
 * Raised when a path names something other than a regular file (a named pipe,
 * a socket, a device, a folder, or a symbolic link where none is followed).
 * Its `code` is `ENOTREG`, so callers that sort errors by code can tell it
 * from a missing file.
 */
export class NotRegularFileError extends Error {
    readonly code = 'ENOTREG';
    constructor(readonly file: string, readonly what: string) {
        super(`${path.basename(file)} is ${what}, not a regular file; ImageParser reads only regular files.`);
        this.name = 'NotRegularFileError';
    }
}

/** How to open a file with {@link openRegularFile}. */
export interface RegularFileOptions {
    /** Follow a symbolic link in the last path component; off by default (indexed files are never links). */
    readonly followLinks?: boolean;
}

/**
 * A file opened for reading that is known to be a regular file. Everything
 * read goes through the open handle, so the file checked is the file read
 * even if the path is swapped meanwhile. Close it when done.
 */
export interface RegularFile {
    /** The path it was opened by. */
    readonly path: string;
    readonly handle: fs.promises.FileHandle;
    /** `fstat` of the open handle. */
    readonly stat: fs.Stats;
    /**
     * A path naming this very open file, for libraries that only take paths
     * (sharp): `/proc/self/fd/<n>` on Linux, the original path elsewhere.
     * Valid while the file is open.
     */
    readonly libraryPath: string;
    /** The real path (no links, no `..`) of the open file. */
    realPath(): Promise<string>;
    /** The whole content. */
    readAll(): Promise<Buffer>;
    /** A stream of the content that leaves the handle open (close the file when done). */
    createReadStream(options?: { start?: number; end?: number; highWaterMark?: number }): fs.ReadStream;
    close(): Promise<void>;
}

/**
 * Opens `file` for reading without ever blocking (`O_NONBLOCK`: opening a
 * named pipe with no writer would otherwise wait forever and hold a thread),
 * without following a final symbolic link unless asked, and without taking a
 * terminal; then `fstat`s the handle and refuses anything that is not a
 * regular file with {@link NotRegularFileError}. Other failures (missing file,
 * permissions) reject with the system error.
 */
export async function openRegularFile(file: string, options: RegularFileOptions = {}): Promise<RegularFile> {
    const flags = O_RDONLY | (O_NONBLOCK ?? 0) | (O_NOCTTY ?? 0) | (options.followLinks ? 0 : (O_NOFOLLOW ?? 0));
    let handle: fs.promises.FileHandle;
    try {
        handle = await fs.promises.open(file, flags);
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // ELOOP: the last component is a link and O_NOFOLLOW refused it; ENXIO: a socket, or a device with nothing behind it.
        if (code === 'ELOOP' && !options.followLinks) {
            throw new NotRegularFileError(file, 'a symbolic link');
        }
        if (code === 'ENXIO') {
            throw new NotRegularFileError(file, 'a socket or a device');
        }
        throw error;
    }
    let stat: fs.Stats;
    try {
        stat = await handle.stat();
    } catch (error) {
        await handle.close();
        throw error;
    }
    if (!stat.isFile()) {
        await handle.close();
        throw new NotRegularFileError(file, describeType(stat));
    }
    return new OpenRegularFile(file, handle, stat);
}

/** Opens `file` with {@link openRegularFile}, runs `use`, and closes the file whatever happens. */
export async function withRegularFile<T>(file: string, use: (opened: RegularFile) => Promise<T>, options?: RegularFileOptions): Promise<T> {
    const opened = await openRegularFile(file, options);
    try {
        return await use(opened);
    } finally {
        await opened.close();
    }
}

/** Whether `child` is `parent` or lies inside it; both must be real, absolute paths. */
export function isInside(child: string, parent: string): boolean {
    const relative = path.relative(parent, child);
    return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

class OpenRegularFile implements RegularFile {

    protected closed = false;

    constructor(readonly path: string, readonly handle: fs.promises.FileHandle, readonly stat: fs.Stats) { }

    get libraryPath(): string {
        return hasFdFolder ? `${FD_FOLDER}/${this.handle.fd}` : this.path;
    }

    async realPath(): Promise<string> {
        if (hasFdFolder) {
            const target = await fs.promises.readlink(`${FD_FOLDER}/${this.handle.fd}`);
            if (path.isAbsolute(target) && !target.endsWith(' (deleted)')) {
                return target;
            }
        }
        return fs.promises.realpath(this.path);
    }

    async readAll(): Promise<Buffer> {
        const buffer = Buffer.allocUnsafe(this.stat.size);
        let offset = 0;
        while (offset < buffer.length) {
            const { bytesRead } = await this.handle.read(buffer, offset, buffer.length - offset, offset);
            if (bytesRead === 0) {
                break;
            }
            offset += bytesRead;
        }
        // A file that grew while being read is read as it was when opened; one that shrank, as far as it goes.
        return offset === buffer.length ? buffer : buffer.subarray(0, offset);
    }

    createReadStream(options: { start?: number; end?: number; highWaterMark?: number } = {}): fs.ReadStream {
        return this.handle.createReadStream({ autoClose: false, start: options.start ?? 0, end: options.end, highWaterMark: options.highWaterMark });
    }

    async close(): Promise<void> {
        if (!this.closed) {
            this.closed = true;
            await this.handle.close();
        }
    }
}

function describeType(stat: fs.Stats): string {
    if (stat.isFIFO()) {
        return 'a named pipe (FIFO)';
    }
    if (stat.isSocket()) {
        return 'a socket';
    }
    if (stat.isCharacterDevice() || stat.isBlockDevice()) {
        return 'a device';
    }
    if (stat.isDirectory()) {
        return 'a folder';
    }
    return 'a special file';
}

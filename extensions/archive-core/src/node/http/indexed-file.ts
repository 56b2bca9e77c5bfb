import * as fs from 'fs';
import * as path from 'path';
import { pipeline } from 'stream/promises';
import type { Request, Response } from '@theia/core/shared/express';
import { isInside, NotRegularFileError, openRegularFile, RegularFile } from '../files/regular-file';

/** An indexed file as the media routes resolved it from an asset id. */
export interface IndexedFile {
    /** The file's path as indexed. */
    readonly file: string;
    /** The root (folder or single file) it was indexed under; undefined when the file belongs to none. */
    readonly root: string | undefined;
}

/** Why an indexed file may not be read now: an HTTP status and a sentence for the client. */
export interface IndexedFileRefusal {
    readonly status: number;
    readonly message: string;
}

/**
 * Opens an indexed file for serving: it must still be a regular file (never a
 * named pipe, device or socket: opening one does not block) and its real path
 * (links resolved, of the file actually opened) must lie under the root it
 * was indexed from, so a file swapped for a link to `/etc/shadow` or to any
 * file outside the indexed folders is refused. Answers the open file, which
 * the caller closes, or why it is refused.
 */
export async function openIndexedFile(indexed: IndexedFile): Promise<RegularFile | IndexedFileRefusal> {
    let opened: RegularFile;
    try {
        opened = await openRegularFile(indexed.file);
    } catch (error) {
        return refusalOf(error);
    }
    try {
        const [real, root] = await Promise.all([opened.realPath(), indexed.root ? fs.promises.realpath(indexed.root) : undefined]);
        if (root && isInside(real, root)) {
            return opened;
        }
    } catch {
        // The root is gone or unreadable: nothing under it can be vouched for.
    }
    await opened.close();
    return { status: 403, message: 'The original is not served: it no longer lies inside an indexed folder (it was moved, or replaced by a link).' };
}

/** Whether {@link openIndexedFile} refused. */
export function isRefusal(value: RegularFile | IndexedFileRefusal): value is IndexedFileRefusal {
    return 'status' in value;
}

/**
 * Sends an indexed file's bytes from the handle that was checked, inline or
 * as a download, with an ETag from its size and modification time (a
 * matching `If-None-Match` gets 304). Closes the file when done, also when the
 * client goes away.
 */
export async function sendIndexedFile(request: Request, response: Response, opened: RegularFile, download: boolean): Promise<void> {
    try {
        const etag = `W/"${opened.stat.size.toString(16)}-${Math.trunc(opened.stat.mtimeMs).toString(16)}"`;
        response.setHeader('Cache-Control', 'private, no-cache');
        response.setHeader('X-Content-Type-Options', 'nosniff');
        response.setHeader('ETag', etag);
        if (download) {
            response.attachment(path.basename(opened.path));
        } else {
            response.type(path.extname(opened.path) || 'application/octet-stream');
        }
        if (request.headers['if-none-match'] === etag) {
            response.status(304).end();
            return;
        }
        response.setHeader('Content-Length', String(opened.stat.size));
        if (request.method === 'HEAD') {
            response.end();
            return;
        }
        await pipeline(opened.createReadStream(), response).catch(() => {
            // The client went away, or the file could not be read half-way: the connection is closed either way.
        });
    } finally {
        await opened.close();
    }
}

function refusalOf(error: unknown): IndexedFileRefusal {
    if (error instanceof NotRegularFileError) {
        return { status: 403, message: `The original is not served: ${error.message}` };
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
        return { status: 404, message: 'The original file is no longer on disk.' };
    }
    if (code === 'EACCES' || code === 'EPERM') {
        return { status: 403, message: 'ImageParser is not allowed to read the original file (permissions).' };
    }
    return { status: 500, message: 'The original file cannot be read.' };
}

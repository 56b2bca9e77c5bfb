import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { Readable } from 'stream';
import { pipeline } from 'stream/promises';
import { inject, injectable } from '@theia/core/shared/inversify';
import { UploadResponse, UploadRoutes } from '../../common/upload-protocol';
import { HttpSafetyOptions } from '../http/http-safety-options';
import { INDEXED_EXTENSIONS } from '../ingest/file-discovery';
import { ArchiveStore, OpenArchive } from '../store/archive-store';
import { checkUploadPath } from './upload-path';
import { UploadBodyCheck } from './upload-body-check';
import { refusalOfFileError, UploadRefusal } from './upload-refusal';

/** The folder, inside the archive folder, that dropped files are uploaded to. */
export const INBOX_FOLDER = 'inbox';

const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants;

export const UploadInbox = Symbol('UploadInbox');

/**
 * The archive's inbox: files dropped onto the browser app land in
 * `<archive>/inbox/<batch>/<path>`. Every failure is an {@link UploadRefusal}
 * with a status and a sentence that names no path of the backend's disk.
 */
export interface UploadInbox {
    /** The largest upload accepted, in bytes. */
    readonly maxBytes: number;
    /** Throws a 400 refusal when the batch name or the path inside it cannot be stored as is; reads nothing. */
    checkNames(batch: string, relativePath: string): void;
    /**
     * Streams `body` into the batch under `relativePath`: into a temporary
     * file first, which is removed whenever the upload does not complete
     * (client gone, timeout, too large, not an image, disk full), then put in
     * place without replacing anything (409 when the name is taken). No link
     * is followed on the way: every folder is checked to be a real folder
     * inside the archive.
     */
    receive(batch: string, relativePath: string, body: Readable): Promise<UploadResponse>;
    /** The batch's folder, to index once its files are in; a 404 refusal when nothing was uploaded into it. */
    batchFolder(batch: string): Promise<string>;
}

@injectable()
export class DefaultUploadInbox implements UploadInbox {

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    @inject(HttpSafetyOptions)
    protected readonly options: HttpSafetyOptions;

    get maxBytes(): number {
        return this.options.maxUploadBytes;
    }

    checkNames(batch: string, relativePath: string): void {
        const problem = UploadRoutes.BATCH_PATTERN.test(batch) ? checkUploadPath(relativePath, INDEXED_EXTENSIONS) : 'The batch name is not valid.';
        if (problem) {
            throw new UploadRefusal(400, problem);
        }
    }

    async receive(batch: string, relativePath: string, body: Readable): Promise<UploadResponse> {
        this.checkNames(batch, relativePath);
        const archive = await this.writableArchive();
        const segments = relativePath.split('/');
        const name = segments.pop()!;
        let temp: string | undefined;
        try {
            const folder = await this.ensureFolders(archive.location.folder, [INBOX_FOLDER, batch, ...segments]);
            temp = path.join(folder, `.upload-${crypto.randomBytes(8).toString('hex')}.part`);
            const handle = await fs.promises.open(temp, O_WRONLY | O_CREAT | O_EXCL | (O_NOFOLLOW ?? 0), 0o644);
            const check = new UploadBodyCheck(name, this.maxBytes);
            try {
                await pipeline(body, check, handle.createWriteStream());
            } finally {
                await handle.close().catch(() => undefined);
            }
            await this.place(temp, path.join(folder, name));
            return { batch, path: relativePath, size: check.size };
        } catch (error) {
            if (temp) {
                await fs.promises.rm(temp, { force: true });
            }
            throw refusalOfFileError(error) ?? error;
        }
    }

    async batchFolder(batch: string): Promise<string> {
        if (!UploadRoutes.BATCH_PATTERN.test(batch)) {
            throw new UploadRefusal(400, 'The batch name is not valid.');
        }
        const { location } = await this.openArchive();
        const folder = path.join(location.folder, INBOX_FOLDER, batch);
        const [real, expected] = await Promise.all([
            fs.promises.realpath(folder).catch(() => undefined),
            fs.promises.realpath(location.folder).then(archive => path.join(archive, INBOX_FOLDER, batch), () => undefined)
        ]);
        // Only the batch folder itself, reached through no link, is indexed.
        if (!real || real !== expected || !(await fs.promises.stat(real)).isDirectory()) {
            throw new UploadRefusal(404, 'No files were uploaded into this batch.');
        }
        return folder;
    }

    protected async openArchive(): Promise<OpenArchive> {
        try {
            return await this.store.open();
        } catch {
            throw new UploadRefusal(503, 'The archive is not available: it cannot be opened, so nothing can be added to it.');
        }
    }

    protected async writableArchive(): Promise<OpenArchive> {
        const archive = await this.openArchive();
        if (archive.readOnly) {
            throw new UploadRefusal(409, 'The archive is read-only: files cannot be added to it.');
        }
        return archive;
    }

    /**
     * Creates (or finds) each folder below `base` in turn, refusing one that
     * is a link or a file, then checks that the real path of the last one is
     * exactly where it should be, so no link swapped in meanwhile leads out.
     */
    protected async ensureFolders(base: string, components: readonly string[]): Promise<string> {
        const realBase = await fs.promises.realpath(base);
        let current = base;
        for (const component of components) {
            current = path.join(current, component);
            await fs.promises.mkdir(current).catch((error: NodeJS.ErrnoException) => {
                if (error.code !== 'EEXIST') {
                    throw error;
                }
            });
            const stat = await fs.promises.lstat(current);
            if (stat.isSymbolicLink()) {
                throw new UploadRefusal(403, `The folder ${component} is a link; uploads never follow links, so nothing was stored.`);
            }
            if (!stat.isDirectory()) {
                throw new UploadRefusal(409, `A file named ${component} is in the way of the folder of the same name; nothing was stored.`);
            }
        }
        if (await fs.promises.realpath(current) !== path.join(realBase, ...components)) {
            throw new UploadRefusal(403, 'The upload folder does not lie inside the archive; nothing was stored.');
        }
        return current;
    }

    /** Gives the complete temporary file its name, never replacing a file (or link) of that name. */
    protected async place(temp: string, target: string): Promise<void> {
        try {
            await fs.promises.link(temp, target);
        } catch (error) {
            const code = (error as NodeJS.ErrnoException).code;
            if (code === 'EEXIST') {
                throw new UploadRefusal(409, `A file named ${path.basename(target)} is already in this batch; nothing was overwritten.`);
            }
            if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EMLINK') {
                throw error;
            }
            // A file system without hard links (FAT, exFAT): rename, once nothing is there.
            if (await fs.promises.lstat(target).then(() => true, () => false)) {
                throw new UploadRefusal(409, `A file named ${path.basename(target)} is already in this batch; nothing was overwritten.`);
            }
            await fs.promises.rename(temp, target);
            return;
        }
        await fs.promises.rm(temp, { force: true });
    }
}

import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { Container } from '@theia/core/shared/inversify';
import { HttpSafety } from '../../common/http-safety-protocol';
import { UploadEndpoint } from '../http/upload-endpoint';
import { ArchiveStore } from '../store/archive-store';
import { DefaultUploadInbox, UploadInbox } from '../upload/upload-inbox';
import { createArchiveTestContainer, makeTempFolder } from './archive-test-container';
import { startTestHttpApp, TestHttpApp } from './http-test-app';

/** A response: its status and its body as text. */
export interface UploadAnswer {
    readonly status: number;
    readonly body: string;
}

/** A request to the upload app; POST, no body and only the upload headers unless it says otherwise. */
export interface UploadRequest {
    readonly method?: string;
    readonly body?: Uint8Array | string;
    /** Added to (or replacing) the upload headers. */
    readonly headers?: Record<string, string>;
}

/** The upload route over a real archive in a temporary folder, served over real HTTP as the backend serves it. */
export interface UploadTestApp {
    readonly temp: ReturnType<typeof makeTempFolder>;
    /** The archive's folder, `archive` in the temporary folder (not created until the archive is opened). */
    readonly archive: string;
    /** The upload inbox, `inbox` in the archive's folder. */
    readonly inbox: string;
    readonly container: Container;
    readonly app: TestHttpApp;
    /** The connection cookie the app page handed out. */
    readonly cookie: string;
    /** A small real PNG to upload. */
    readonly png: Buffer;
    /** The headers of an upload: the connection cookie, raw bytes, the safety header, then `extra`. */
    headers(extra?: Record<string, string>): Record<string, string>;
    /** Sends `request` to `url` (a path on the app) and answers the response. */
    send(url: string, request?: UploadRequest): Promise<UploadAnswer>;
    /** Stops the server, closes the archive and removes the temporary folder. */
    close(): Promise<void>;
}

/** Binds the upload inbox and route into a test archive container and serves them with an upload cap of `maxUploadBytes`. */
export async function startUploadTestApp(maxUploadBytes: number): Promise<UploadTestApp> {
    const temp = makeTempFolder();
    const archive = path.join(temp.folder, 'archive');
    const container = createArchiveTestContainer(archive);
    container.bind(DefaultUploadInbox).toSelf().inSingletonScope();
    container.bind(UploadInbox).toService(DefaultUploadInbox);
    container.bind(UploadEndpoint).toSelf().inSingletonScope();
    const app = await startTestHttpApp(container, [UploadEndpoint], { maxUploadBytes });
    const cookie = await app.cookie();
    const png = await sharp({ create: { width: 32, height: 32, channels: 3, background: { r: 1, g: 2, b: 3 } } }).png().toBuffer();
    const headers = (extra: Record<string, string> = {}) => ({
        cookie, 'content-type': 'application/octet-stream', ...HttpSafety.requestHeaders(), ...extra
    });
    return {
        temp, archive, inbox: path.join(archive, 'inbox'), container, app, cookie, png, headers,
        send: async (url, request = {}) => {
            const body = request.body;
            const response = await fetch(`${app.base}${url}`, {
                method: request.method ?? 'POST',
                body: body === undefined || typeof body === 'string' ? body : new Uint8Array(body),
                headers: headers(request.headers)
            });
            return { status: response.status, body: await response.text() };
        },
        close: async () => {
            await app.close();
            container.get<ArchiveStore>(ArchiveStore).close();
            temp.remove();
        }
    };
}

/** Every file under `folder`, hidden ones included, relative, sorted; none when the folder is not there. */
export function filesUnder(folder: string): string[] {
    if (!fs.existsSync(folder)) {
        return [];
    }
    return (fs.readdirSync(folder, { recursive: true, withFileTypes: true }) as fs.Dirent[])
        .filter(entry => !entry.isDirectory())
        .map(entry => path.relative(folder, path.join(entry.parentPath, entry.name)))
        .sort();
}

/**
 * The HTTP route that receives image files dropped onto the app in a
 * browser, where the page cannot see their paths on disk. Each file of a drop
 * is sent as the raw request body to the batch's URL; the backend writes it
 * under the archive's inbox folder and answers where the batch lives, which
 * the frontend then indexes like any folder.
 */
export namespace UploadRoutes {
    export const ROOT = '/imageparser/upload';

    /** A batch name: letters, digits, spaces, dots, dashes and underscores, not starting with a dot. */
    export const BATCH_PATTERN = /^[0-9A-Za-z_-][0-9A-Za-z _.-]{0,63}$/;

    /** The URL one file of a batch is posted to; `relativePath` uses forward slashes. */
    export function url(batch: string, relativePath: string): string {
        return `${ROOT}/${encodeURIComponent(batch)}?path=${encodeURIComponent(relativePath)}`;
    }

    /** A batch name for a drop made now, readable and unique enough: `2026-11-22 16-40-12 a1b2`. */
    export function newBatch(now = new Date()): string {
        const pad = (value: number) => String(value).padStart(2, '0');
        const random = Math.floor(Math.random() * 0xffff).toString(16).padStart(4, '0');
        return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}-${pad(now.getMinutes())}-${pad(now.getSeconds())} ${random}`;
    }
}

/** The backend's answer to an upload. */
export interface UploadResponse {
    /** The batch's folder on the backend, to index once every file is in. */
    readonly folder: string;
    /** Where this file was written. */
    readonly file: string;
}

/**
 * The HTTP route that receives image files dropped onto the app in a
 * browser, where the page cannot see their paths on disk. Each file of a drop
 * is sent as the raw request body (`Content-Type: application/octet-stream`,
 * with the {@link HttpSafety} request header) to the batch's URL; the backend
 * writes it into the archive's inbox under the batch and answers with the
 * batch and the file's path inside it, never a path of the backend's disk.
 * Once every file is in, the frontend passes the batch to
 * `IngestService.addUploadBatch`.
 */
export namespace UploadRoutes {
    export const ROOT = '/imageparser/upload';

    /** A batch name: letters, digits, spaces, dots, dashes and underscores, not starting with a dot. */
    export const BATCH_PATTERN = /^[0-9A-Za-z_-][0-9A-Za-z _.-]{0,63}$/;

    /** The URL one file of a batch is posted to; `relativePath` uses forward slashes. */
    export function url(batch: string, relativePath: string): string {
        return `${ROOT}/${encodeURIComponent(batch)}?path=${encodeURIComponent(relativePath)}`;
    }

    /** The URL that answers the {@link UploadLimits} (GET). */
    export const LIMITS_URL = `${ROOT}/limits`;

    /** A batch name for a drop made now, readable and unique enough: `2026-11-22 16-40-12 a1b2`. */
    export function newBatch(now = new Date()): string {
        const pad = (value: number) => String(value).padStart(2, '0');
        const random = Math.floor(Math.random() * 0xffff).toString(16).padStart(4, '0');
        return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}-${pad(now.getMinutes())}-${pad(now.getSeconds())} ${random}`;
    }
}

/** The backend's answer to a stored upload (201). */
export interface UploadResponse {
    /** The batch the file went into. */
    readonly batch: string;
    /** The file's path inside the batch, forward slashes: the path it was sent with. */
    readonly path: string;
    /** How many bytes were stored. */
    readonly size: number;
}

/** What the backend accepts, so the frontend can tell the user before sending. */
export interface UploadLimits {
    /** The largest file accepted, in bytes (413 past it). */
    readonly maxBytes: number;
}

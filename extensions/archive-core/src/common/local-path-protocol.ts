/**
 * The one way an OS path of an archive file reaches the frontend: for the
 * desktop actions that need one (reveal in folder, open with the default
 * program, copy the path). Every other answer of the protocol names files by
 * id and {@link AssetLocation} only.
 */
import { ApplicationError } from '@theia/core/lib/common/application-error';

/** The path on which the backend serves {@link LocalPathService} over Theia's RPC channel. */
export const LOCAL_PATH_SERVICE_PATH = '/services/imageparser/local-paths';

export namespace LocalPathErrors {
    /** Raised by {@link LocalPathService.resolveLocalPath} where the backend does not tell OS paths (a team deployment). */
    export const NotLocal = ApplicationError.declare(-36101, () => ({
        message: 'This archive is served to other machines: it does not tell the paths of its files.',
        data: {}
    }));
}

export const LocalPathService = Symbol('LocalPathService');

/**
 * Answers the OS path of an archive file, only where the person asking sits
 * at the machine that holds the file:
 *
 * - in the desktop (Electron) app, always;
 * - in the browser app when the backend listens on a loopback address only
 *   (`localhost`, `127.0.0.1`, `::1`: what `npm start` does), so no other
 *   machine can connect;
 * - never when the backend listens on any other address (a browser-hosted
 *   team deployment): there the path would tell other machines how the
 *   server's disk is laid out, and is of no use on theirs.
 *
 * `IMAGEPARSER_LOCAL_PATHS=off` in the backend's environment refuses always
 * (a loopback backend behind a reverse proxy that serves a team);
 * `IMAGEPARSER_LOCAL_PATHS=on` answers always (a single user reaching their
 * own machine through a tunnel).
 */
export interface LocalPathService {
    /** Whether {@link resolveLocalPath} answers for this backend: the UI offers its desktop actions only then. */
    isAvailable(): Promise<boolean>;
    /**
     * The OS path of a file of the asset named by `assetUri`
     * (`imageparser-asset:/<id>`, see `AssetUri`): of the file `fileId`
     * (`AssetLocation.fileId`) when given, which must hold the asset; else of
     * its first file on disk, else of its first missing one. Undefined when
     * the URI names no asset or the asset has no such file. Rejects with
     * {@link LocalPathErrors.NotLocal} where {@link isAvailable} is false.
     */
    resolveLocalPath(assetUri: string, fileId?: number): Promise<string | undefined>;
}

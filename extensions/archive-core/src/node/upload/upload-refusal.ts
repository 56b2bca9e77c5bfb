/**
 * Why an upload was not stored: the HTTP status to answer and one English
 * sentence for the client. Never names a path of the backend's disk.
 */
export class UploadRefusal extends Error {
    constructor(readonly status: number, message: string) {
        super(message);
        this.name = 'UploadRefusal';
    }
}

/** The refusal a file-system error while storing an upload stands for; undefined for errors that are not the client's or the disk's. */
export function refusalOfFileError(error: unknown): UploadRefusal | undefined {
    if (error instanceof UploadRefusal) {
        return error;
    }
    switch ((error as NodeJS.ErrnoException).code) {
        case 'ENAMETOOLONG':
            return new UploadRefusal(400, 'The file name or its folders are too long for the file system of the archive.');
        case 'ENOSPC':
        case 'EDQUOT':
            return new UploadRefusal(507, 'The disk that holds the archive is full; the upload was not kept.');
        case 'EROFS':
        case 'EACCES':
        case 'EPERM':
            return new UploadRefusal(409, 'The archive is read-only: ImageParser may not write into it, so the upload was not kept.');
        case 'EEXIST':
            return new UploadRefusal(409, 'A file of that name is already in this batch; nothing was overwritten.');
        case 'ENOTDIR':
            return new UploadRefusal(409, 'A file is in the way of the folders in this path; nothing was stored.');
        case 'ELOOP':
            return new UploadRefusal(403, 'A folder in this path is a link; uploads never follow links.');
        default:
            return undefined;
    }
}

import * as path from 'path';

/** The longest file or folder name most file systems store (NAME_MAX), in bytes of UTF-8. */
const NAME_MAX_BYTES = 255;
const PATH_MAX_CHARACTERS = 1024;

/**
 * Why a client-given path inside an upload batch is refused, or undefined
 * when it can be stored as is: it must be relative, made of names that are
 * not empty, hidden, `..`, too long for a file system (255 bytes), or hold
 * backslashes, colons or control characters, and end in one of `extensions`.
 */
export function checkUploadPath(relative: string, extensions: readonly string[]): string | undefined {
    if (!relative) {
        return 'The file path is missing.';
    }
    if (relative.length > PATH_MAX_CHARACTERS) {
        return `The file path is longer than ${PATH_MAX_CHARACTERS} characters.`;
    }
    const segments = relative.split('/');
    // eslint-disable-next-line no-control-regex
    if (segments.some(segment => !segment || segment === '.' || segment === '..' || segment.startsWith('.') || /[\\:\u0000-\u001f\u007f]/.test(segment))) {
        return 'The file path must be relative, without empty, hidden or ".." parts, backslashes, colons or control characters.';
    }
    if (segments.some(segment => Buffer.byteLength(segment, 'utf8') > NAME_MAX_BYTES)) {
        return `A file or folder name in the path is longer than file systems allow (${NAME_MAX_BYTES} bytes).`;
    }
    if (!extensions.includes(path.extname(relative).toLowerCase())) {
        return 'Only PSD, PSB, PNG and JPEG files can be added.';
    }
    return undefined;
}

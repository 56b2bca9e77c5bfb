import * as path from 'path';

/** The longest path an export may name (Linux's PATH_MAX), in characters. */
export const MAX_EXPORT_PATH_LENGTH = 4096;
/** The most folders a path may pass through. */
export const MAX_EXPORT_PATH_PARTS = 256;
/** The longest name of one file or folder, in UTF-8 bytes (every common file system's limit). */
export const MAX_EXPORT_NAME_BYTES = 255;

/** Names Windows keeps for devices, with or without an extension (`CON`, `nul.png`, `COM1`). */
const WINDOWS_DEVICE = /^(CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[0-9¹²³]|LPT[0-9¹²³])(\..*)?$/i;
/** Characters Windows does not allow in a name (`:` would name an alternate data stream). */
const WINDOWS_FORBIDDEN = /[<>:"|?*\u0000-\u001f]/;

/**
 * Why a path from an export file cannot be used, or undefined when it can.
 * `relative` paths (`export_files.relative_path`) must be `/`-separated,
 * relative and free of empty, `.` and `..` parts (a `\` counts as a
 * separator too, so a Windows-style `..\` cannot slip through), and of
 * parts made only of dots and spaces (Windows drops trailing dots and
 * spaces, so `.. ` would be `..` there); with `name` (a file without
 * paths) only a file name is allowed. Root paths must be absolute and
 * normal. No path is longer than {@link MAX_EXPORT_PATH_LENGTH}, deeper than
 * {@link MAX_EXPORT_PATH_PARTS} or has a part longer than
 * {@link MAX_EXPORT_NAME_BYTES}: no disk holds such a file, and walking it
 * would only cost time. On Windows (`platform`), device names such as
 * `CON` and names with `:` or other characters Windows refuses are refused
 * too.
 */
export function exportPathProblem(value: unknown, kind: 'relative' | 'name' | 'root', platform: NodeJS.Platform = process.platform): string | undefined {
    if (typeof value !== 'string' || value.length === 0) {
        return 'a path is missing or not text';
    }
    if (value.includes('\0')) {
        return `${JSON.stringify(value)} holds a NUL character`;
    }
    const shown = value.length > 120 ? `${JSON.stringify(value.slice(0, 120))}…` : JSON.stringify(value);
    if (value.length > MAX_EXPORT_PATH_LENGTH) {
        return `${shown} is ${value.length} characters long; no path is longer than ${MAX_EXPORT_PATH_LENGTH}`;
    }
    const parts = value.split(/[\\/]/);
    if (parts.length > MAX_EXPORT_PATH_PARTS) {
        return `${shown} passes through ${parts.length - 1} folders; a path passes through at most ${MAX_EXPORT_PATH_PARTS - 1}`;
    }
    const long = parts.find(part => Buffer.byteLength(part) > MAX_EXPORT_NAME_BYTES);
    if (long !== undefined) {
        return `${shown} has a name of ${Buffer.byteLength(long)} bytes; a name has at most ${MAX_EXPORT_NAME_BYTES}`;
    }
    if (kind === 'root') {
        if (!path.posix.isAbsolute(value) && !/^[A-Za-z]:[\\/]/.test(value)) {
            return `the root folder ${shown} is not an absolute path`;
        }
        if (parts.some(part => part === '..' || part === '.')) {
            return `the root folder ${shown} has a . or .. part`;
        }
        return undefined;
    }
    if (path.posix.isAbsolute(value) || /^[A-Za-z]:/.test(value) || value.startsWith('\\')) {
        return `${shown} is absolute where a relative path belongs`;
    }
    if (kind === 'name' && parts.length > 1) {
        return `${shown} is a path where only a file name belongs`;
    }
    if (parts.some(part => part === '' || part === '.' || part === '..')) {
        return `${shown} has an empty, . or .. part`;
    }
    if (parts.some(part => /^[. ]+$/.test(part))) {
        return `${shown} has a part made only of dots and spaces`;
    }
    if (platform === 'win32') {
        const part = parts.find(name => WINDOWS_DEVICE.test(name.replace(/[. ]+$/, '')) || WINDOWS_FORBIDDEN.test(name) || /[. ]$/.test(name));
        if (part !== undefined) {
            return `${shown} has the name ${JSON.stringify(part)}, which Windows keeps for a device or does not allow`;
        }
    }
    return undefined;
}

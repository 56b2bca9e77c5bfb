import * as path from 'path';

/**
 * Why a path from an export file cannot be used, or undefined when it can.
 * `relative` paths (`export_files.relative_path`) must be `/`-separated,
 * relative and free of empty, `.` and `..` parts (a `\` counts as a
 * separator too, so a Windows-style `..\` cannot slip through); with
 * `nameOnly` (a file without paths) only a file name is allowed. Root paths
 * must be absolute and normal.
 */
export function exportPathProblem(value: unknown, kind: 'relative' | 'name' | 'root'): string | undefined {
    if (typeof value !== 'string' || value.length === 0) {
        return 'a path is missing or not text';
    }
    if (value.includes('\0')) {
        return `${JSON.stringify(value)} holds a NUL character`;
    }
    if (kind === 'root') {
        if (!path.posix.isAbsolute(value) && !/^[A-Za-z]:[\\/]/.test(value)) {
            return `the root folder ${JSON.stringify(value)} is not an absolute path`;
        }
        if (value.split(/[\\/]/).some(part => part === '..' || part === '.')) {
            return `the root folder ${JSON.stringify(value)} has a . or .. part`;
        }
        return undefined;
    }
    if (path.posix.isAbsolute(value) || /^[A-Za-z]:/.test(value) || value.startsWith('\\')) {
        return `${JSON.stringify(value)} is absolute where a relative path belongs`;
    }
    const parts = value.split(/[\\/]/);
    if (kind === 'name' && parts.length > 1) {
        return `${JSON.stringify(value)} is a path where only a file name belongs`;
    }
    if (parts.some(part => part === '' || part === '.' || part === '..')) {
        return `${JSON.stringify(value)} has an empty, . or .. part`;
    }
    return undefined;
}

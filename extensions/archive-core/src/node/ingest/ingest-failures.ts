/**
 * Failure codes of files whose cause can pass: a full disk, a file that could
 * not be read (permissions, an I/O error, a disconnected drive), a parse that
 * ran out of time or memory on a busy machine, too many open files, or an
 * error of the archive itself. The next run tries these files again even
 * when they did not change. Every other code (`corrupt`, `truncated`,
 * `unsupported-format`, `too-large`, `empty`) describes the file's bytes and
 * stays until the file changes.
 */
export const RETRYABLE_FAILURES: readonly string[] = ['disk-full', 'unreadable', 'timeout', 'out-of-memory', 'too-many-open-files', 'internal'];

export function isRetryableFailure(code: string | null | undefined): boolean {
    return !!code && RETRYABLE_FAILURES.includes(code);
}

/** A failure with a retryable code, from a system error. */
export interface SystemFailure {
    readonly code: 'disk-full' | 'too-many-open-files' | 'out-of-memory' | 'unreadable';
    readonly message: string;
}

/**
 * The failure a system error (an errno code) stands for when its cause can
 * pass, for reading a file or writing the archive's media; undefined for any
 * other error.
 */
export function systemFailureOf(error: unknown): SystemFailure | undefined {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    switch (code) {
        case 'ENOSPC':
        case 'EDQUOT':
            return { code: 'disk-full', message: `The disk is full (${code}); the next run indexes this file again.` };
        case 'EMFILE':
        case 'ENFILE':
            return { code: 'too-many-open-files', message: `Too many files were open at once (${code}); the next run indexes this file again.` };
        case 'ENOMEM':
            return { code: 'out-of-memory', message: 'The system ran out of memory (ENOMEM); the next run indexes this file again.' };
        case 'EIO':
        case 'EAGAIN':
        case 'EBUSY':
        case 'ETIMEDOUT':
        case 'ESTALE':
            return { code: 'unreadable', message: `An input/output error stopped the read (${code}); the next run tries again.` };
        default:
            return undefined;
    }
}

/** Why a file could not be read; each code comes with a readable message. */
export type ParseErrorCode =
    | 'empty'
    | 'unsupported-format'
    | 'truncated'
    | 'corrupt'
    | 'too-large'
    | 'timeout'
    | 'out-of-memory'
    | 'unreadable'
    | 'disk-full'
    | 'too-many-open-files';

/** Thrown by the readers; callers turn it into a failure they report with its code. */
export class ParseError extends Error {
    constructor(readonly code: ParseErrorCode, message: string) {
        super(message);
        this.name = 'ParseError';
    }
}

import { nls } from '@theia/core/lib/common/nls';

/** A file chosen for a collections JSON import that is not JSON at all; `detail` is the parser's own words, for the log only. */
export class NotCollectionsJsonError extends Error {
    constructor(readonly detail: string) {
        super(nls.localize('imageparser/collections/json/notCollectionsJson',
            'the file is not a collections JSON file. Choose a file written by “Export Collections as JSON…”.'));
        this.name = 'NotCollectionsJsonError';
    }
}

/**
 * The JSON of a file chosen for a collections JSON import. A file that is
 * not JSON (an image, say) is refused with a worded, localized sentence:
 * the parser's message, which quotes the file's first bytes, is no words
 * for a user and stays in `NotCollectionsJsonError.detail`.
 */
export function parseCollectionsJsonText(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch (error) {
        throw new NotCollectionsJsonError(error instanceof Error ? error.message : String(error));
    }
}

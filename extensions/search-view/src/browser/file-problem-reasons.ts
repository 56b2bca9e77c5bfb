import { nls } from '@theia/core/lib/common/nls';

/** A failed file's reason code in the user's words; an unknown code is named as it is. */
export function failureReason(code: string | undefined): string {
    switch (code) {
        case 'empty': return nls.localize('imageparser/search-view/problems/reason/empty', 'Empty file');
        case 'unsupported-format': return nls.localize('imageparser/search-view/problems/reason/unsupportedFormat', 'Not an image ImageParser can read');
        case 'truncated': return nls.localize('imageparser/search-view/problems/reason/truncated', 'Incomplete file: it ends too early');
        case 'corrupt': return nls.localize('imageparser/search-view/problems/reason/corrupt', 'Damaged file');
        case 'too-large': return nls.localize('imageparser/search-view/problems/reason/tooLarge', 'Too large to index');
        case 'timeout': return nls.localize('imageparser/search-view/problems/reason/timeout', 'Took too long to read');
        case 'out-of-memory': return nls.localize('imageparser/search-view/problems/reason/outOfMemory', 'Needs too much memory to read');
        case 'unreadable': return nls.localize('imageparser/search-view/problems/reason/unreadable', 'Cannot be read (permissions or disk)');
        case 'internal': return nls.localize('imageparser/search-view/problems/reason/internal', 'Read, but could not be stored');
        default: return nls.localize('imageparser/search-view/problems/reason/unknown', 'Failed ({0})', code ?? '?');
    }
}

import { nls } from '@theia/core/lib/common/nls';

/**
 * A phase failure's reason code in the user's words (the raw message is
 * shown beside it as details); an unknown code is named as it is.
 */
export function phaseFailureReason(code: string): string {
    switch (code) {
        case 'empty': return nls.localize('imageparser/phases-view/reason/empty', 'Empty file');
        case 'unsupported':
        case 'unsupported-format': return nls.localize('imageparser/phases-view/reason/unsupportedFormat', 'Not an image ImageParser can read');
        case 'truncated': return nls.localize('imageparser/phases-view/reason/truncated', 'Incomplete file: it ends too early');
        case 'corrupt':
        case 'decode-failed': return nls.localize('imageparser/phases-view/reason/corrupt', 'Damaged image: it could not be decoded');
        case 'too-large': return nls.localize('imageparser/phases-view/reason/tooLarge', 'Image too large for this phase');
        case 'too-complex': return nls.localize('imageparser/phases-view/reason/tooComplex', 'Too complex to read (too many layers or too deep)');
        case 'timeout': return nls.localize('imageparser/phases-view/reason/timeout', 'Took too long');
        case 'out-of-memory': return nls.localize('imageparser/phases-view/reason/outOfMemory', 'Needs more memory than is free');
        case 'crashed':
        case 'worker-crashed': return nls.localize('imageparser/phases-view/reason/crashed', 'The worker stopped unexpectedly');
        case 'lease-expired': return nls.localize('imageparser/phases-view/reason/leaseExpired', 'No answer from the worker in time, too many times');
        case 'unreadable': return nls.localize('imageparser/phases-view/reason/unreadable', 'Cannot be read (permissions or disk)');
        case 'missing':
        case 'missing-file': return nls.localize('imageparser/phases-view/reason/missingFile', 'The file is missing from its folder');
        case 'model-load-failed': return nls.localize('imageparser/phases-view/reason/modelLoadFailed', 'The model could not be loaded');
        case 'model-missing': return nls.localize('imageparser/phases-view/reason/modelMissing', 'The model or its language data is not installed');
        case 'disk-full': return nls.localize('imageparser/phases-view/reason/diskFull', 'The disk is full');
        case 'too-many-open-files': return nls.localize('imageparser/phases-view/reason/tooManyOpenFiles', 'Too many files open at once');
        case 'malformed-answer': return nls.localize('imageparser/phases-view/reason/malformedAnswer', 'The model\'s answer could not be read');
        case 'http-error': return nls.localize('imageparser/phases-view/reason/httpError', 'The endpoint turned the request down');
        case 'refused':
        case 'endpoint-down': return nls.localize('imageparser/phases-view/reason/endpointDown', 'The endpoint could not be reached');
        case 'preview-missing': return nls.localize('imageparser/phases-view/reason/previewMissing', 'Its stored preview is gone: index the file again');
        case 'cancelled': return nls.localize('imageparser/phases-view/reason/cancelled', 'Cancelled');
        case 'internal': return nls.localize('imageparser/phases-view/reason/internal', 'Processed, but the result could not be stored');
        default: return nls.localize('imageparser/phases-view/reason/unknown', 'Failed ({0})', code);
    }
}

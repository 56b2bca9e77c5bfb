import { Command } from '@theia/core/lib/common/command';

/**
 * Commands about files that failed to index. `SHOW_FAILURES` is declared here,
 * so ingest notifications can link to it, and registered by the package that
 * lists the failures (the search view); without it the link is not offered.
 */
export namespace FileProblemCommands {
    export const SHOW_FAILURES = Command.toLocalizedCommand({
        id: 'imageparser.problems.showFailures',
        label: 'Show Files That Failed to Index',
        category: 'ImageParser'
    }, 'imageparser/archive-core/commands/showFailures', 'imageparser/archive-core/category');
    export const SHOW_MISSING = Command.toLocalizedCommand({
        id: 'imageparser.problems.showMissing',
        label: 'Show Files Missing from Their Folders',
        category: 'ImageParser'
    }, 'imageparser/archive-core/commands/showMissing', 'imageparser/archive-core/category');
    export const RETRY_FAILED = Command.toLocalizedCommand({
        id: 'imageparser.problems.retryFailed',
        label: 'Retry Failed Files',
        category: 'ImageParser'
    }, 'imageparser/archive-core/commands/retryFailed', 'imageparser/archive-core/category');
}

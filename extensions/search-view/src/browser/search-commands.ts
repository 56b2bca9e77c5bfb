import { Command } from '@theia/core/lib/common/command';

/** Every search action, in the command palette and for other extensions. */
export namespace SearchCommands {
    export const FOCUS_SEARCH = Command.toLocalizedCommand({ id: 'imageparser.search.focus', label: 'Focus Image Search', category: 'ImageParser' },
        'imageparser/search-view/commands/focus', 'imageparser/archive-core/category');
    export const OPEN_RESULTS = Command.toLocalizedCommand({ id: 'imageparser.search.openResults', label: 'Show Search Results', category: 'ImageParser' },
        'imageparser/search-view/commands/openResults', 'imageparser/archive-core/category');
    export const FOCUS_RESULTS = Command.toLocalizedCommand({ id: 'imageparser.search.focusResults', label: 'Focus Search Results', category: 'ImageParser' },
        'imageparser/search-view/commands/focusResults', 'imageparser/archive-core/category');
    export const OPEN_RESULT = Command.toLocalizedCommand({ id: 'imageparser.search.openResult', label: 'Open Selected Result', category: 'ImageParser' },
        'imageparser/search-view/commands/openResult', 'imageparser/archive-core/category');
    export const FIND_SIMILAR = Command.toLocalizedCommand({ id: 'imageparser.search.findSimilar', label: 'Find Similar Images', category: 'ImageParser' },
        'imageparser/search-view/commands/findSimilar', 'imageparser/archive-core/category');
    export const FIND_SIMILAR_ALL = Command.toLocalizedCommand({ id: 'imageparser.search.findSimilarAll', label: 'Find Images Similar to All Selected (AND)', category: 'ImageParser' },
        'imageparser/search-view/commands/findSimilarAll', 'imageparser/archive-core/category');
    export const FIND_SIMILAR_ANY = Command.toLocalizedCommand({ id: 'imageparser.search.findSimilarAny', label: 'Find Images Similar to Any Selected (OR)', category: 'ImageParser' },
        'imageparser/search-view/commands/findSimilarAny', 'imageparser/archive-core/category');
    export const NEAR_DUPLICATES = Command.toLocalizedCommand({ id: 'imageparser.search.nearDuplicates', label: 'Find Near-Duplicates', category: 'ImageParser' },
        'imageparser/search-view/commands/nearDuplicates', 'imageparser/archive-core/category');
    export const VIEW_GRID = Command.toLocalizedCommand({ id: 'imageparser.search.viewGrid', label: 'Show Results as Grid', category: 'ImageParser' },
        'imageparser/search-view/commands/viewGrid', 'imageparser/archive-core/category');
    export const VIEW_LIST = Command.toLocalizedCommand({ id: 'imageparser.search.viewList', label: 'Show Results as List', category: 'ImageParser' },
        'imageparser/search-view/commands/viewList', 'imageparser/archive-core/category');
    export const VIEW_COMPACT = Command.toLocalizedCommand({ id: 'imageparser.search.viewCompact', label: 'Show Results as Compact List', category: 'ImageParser' },
        'imageparser/search-view/commands/viewCompact', 'imageparser/archive-core/category');
    export const CLEAR_SIMILAR = Command.toLocalizedCommand({ id: 'imageparser.search.clearSimilar', label: 'Clear Reference Images', category: 'ImageParser' },
        'imageparser/search-view/commands/clearSimilar', 'imageparser/archive-core/category');
}

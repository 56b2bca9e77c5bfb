import { Command } from '@theia/core/lib/common/command';

const CATEGORY_KEY = 'imageparser/archive-core/category';

function command(id: string, label: string, key: string): Command {
    return Command.toLocalizedCommand({ id: `imageparser.viewer.${id}`, label, category: 'ImageParser' }, key, CATEGORY_KEY);
}

/** Every viewer action, in the command palette and for other extensions. */
export namespace ViewerCommands {
    export const NEXT = command('next', 'Viewer: Next Image', 'imageparser/viewer/commands/next');
    export const PREVIOUS = command('previous', 'Viewer: Previous Image', 'imageparser/viewer/commands/previous');
    export const ZOOM_IN = command('zoomIn', 'Viewer: Zoom In', 'imageparser/viewer/commands/zoomIn');
    export const ZOOM_OUT = command('zoomOut', 'Viewer: Zoom Out', 'imageparser/viewer/commands/zoomOut');
    export const ZOOM_FIT = command('zoomFit', 'Viewer: Fit to Window', 'imageparser/viewer/commands/zoomFit');
    export const ZOOM_ACTUAL = command('zoomActual', 'Viewer: Actual Size (100%)', 'imageparser/viewer/commands/zoomActual');
    export const UNDO = command('undo', 'Undo the Last Tag or Rating Change', 'imageparser/viewer/commands/undo');
    export const RATE = command('rate', 'Rate the Image…', 'imageparser/viewer/commands/rate');
    export const ADD_TAGS = command('addTags', 'Add Tags to the Selected Images…', 'imageparser/viewer/commands/addTags');
    export const REMOVE_TAGS = command('removeTags', 'Remove Tags from the Selected Images…', 'imageparser/viewer/commands/removeTags');
    /** Opens the AI tag suggestions over the selected results, to accept or reject one by one or all at once. */
    export const REVIEW_AI_TAGS = command('reviewAiTags', 'Review AI Tag Suggestions for the Selected Images…', 'imageparser/viewer/commands/reviewAiTags');
    export const ACCEPT_AI_TAGS = command('acceptAiTags', 'Accept All AI Tag Suggestions for the Selected Images', 'imageparser/viewer/commands/acceptAiTags');
    export const REJECT_AI_TAGS = command('rejectAiTags', 'Reject All AI Tag Suggestions for the Selected Images', 'imageparser/viewer/commands/rejectAiTags');
    export const RATE_SELECTED = command('rateSelected', 'Rate the Selected Images…', 'imageparser/viewer/commands/rateSelected');
    export const COMPARE = command('compare', 'Compare the Selected Images', 'imageparser/viewer/commands/compare');
    /** Compares an earlier version of the viewer's file (the one shown, or the asset id given) with the file's current version. */
    export const COMPARE_WITH_CURRENT = command('compareWithCurrent', 'Viewer: Compare This Version with the Current One', 'imageparser/viewer/commands/compareWithCurrent');
    export const FIND_SIMILAR = command('findSimilar', 'Viewer: Find Similar Images', 'imageparser/viewer/commands/findSimilar');
    export const COPY_PATH = command('copyPath', 'Viewer: Copy Path', 'imageparser/viewer/commands/copyPath');
    export const REVEAL = command('reveal', 'Viewer: Reveal in Folder', 'imageparser/viewer/commands/reveal');
    export const OPEN_ORIGINAL = command('openOriginal', 'Viewer: Open with the Default Program', 'imageparser/viewer/commands/openOriginal');
    export const DOWNLOAD = command('download', 'Viewer: Download the Original', 'imageparser/viewer/commands/download');
}

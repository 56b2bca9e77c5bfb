import { Command } from '@theia/core/lib/common/command';

const CATEGORY_KEY = 'imageparser/archive-core/category';

function command(id: string, label: string): Command {
    return Command.toLocalizedCommand({ id: `imageparser.viewer.${id}`, label, category: 'ImageParser' }, `imageparser/viewer/commands/${id}`, CATEGORY_KEY);
}

/** Every viewer action, in the command palette and for other extensions. */
export namespace ViewerCommands {
    export const NEXT = command('next', 'Viewer: Next Image');
    export const PREVIOUS = command('previous', 'Viewer: Previous Image');
    export const ZOOM_IN = command('zoomIn', 'Viewer: Zoom In');
    export const ZOOM_OUT = command('zoomOut', 'Viewer: Zoom Out');
    export const ZOOM_FIT = command('zoomFit', 'Viewer: Fit to Window');
    export const ZOOM_ACTUAL = command('zoomActual', 'Viewer: Actual Size (100%)');
    export const UNDO = command('undo', 'Undo the Last Tag or Rating Change');
    export const RATE = command('rate', 'Rate the Image…');
    export const ADD_TAGS = command('addTags', 'Add Tags to the Selected Images…');
    export const REMOVE_TAGS = command('removeTags', 'Remove Tags from the Selected Images…');
    export const RATE_SELECTED = command('rateSelected', 'Rate the Selected Images…');
    export const COMPARE = command('compare', 'Compare the Selected Images');
    export const FIND_SIMILAR = command('findSimilar', 'Viewer: Find Similar Images');
    export const COPY_PATH = command('copyPath', 'Viewer: Copy Path');
    export const REVEAL = command('reveal', 'Viewer: Reveal in Folder');
    export const OPEN_ORIGINAL = command('openOriginal', 'Viewer: Open with the Default Program');
    export const DOWNLOAD = command('download', 'Viewer: Download the Original');
}

import { Command } from '@theia/core/lib/common/command';

const CATEGORY_KEY = 'imageparser/archive-core/category';

function command(id: string, label: string, key: string): Command {
    return Command.toLocalizedCommand({ id: `imageparser.collections.${id}`, label, category: 'ImageParser' }, key, CATEGORY_KEY);
}

/**
 * Every collections action, in the command palette and for other
 * extensions. Commands that act on one collection take its id as their
 * first argument; without one they act on the collection focused in the
 * Collections view (or, for the results' commands, the one the results show).
 */
export namespace CollectionCommands {
    export const NEW_COLLECTION = command('newCollection', 'New Collection…', 'imageparser/collections/commands/newCollection');
    export const NEW_FOLDER = command('newFolder', 'New Collection Folder…', 'imageparser/collections/commands/newFolder');
    export const OPEN = command('open', 'Open Collection', 'imageparser/collections/commands/open');
    export const RENAME = command('rename', 'Rename Collection…', 'imageparser/collections/commands/rename');
    export const DELETE = command('delete', 'Delete Collection', 'imageparser/collections/commands/delete');
    export const UNDO = command('undo', 'Undo Last Collection Change', 'imageparser/collections/commands/undo');
    export const ADD_SELECTION = command('addSelection', 'Add to Collection…', 'imageparser/collections/commands/addSelection');
    export const ADD_TO_NEW = command('addToNew', 'Add to New Collection…', 'imageparser/collections/commands/addToNew');
    export const REMOVE_SELECTION = command('removeSelection', 'Remove from Collection', 'imageparser/collections/commands/removeSelection');
    export const SET_COVER = command('setCover', 'Set as Cover', 'imageparser/collections/commands/setCover');
    export const EDIT_SMART = command('editSmart', 'Edit Search', 'imageparser/collections/commands/editSmart');
    export const TOGGLE_VIEW = command('toggle', 'Collections', 'imageparser/collections/commands/toggle');
    /** The smart collections' command that saves the current search as a smart collection. */
    export const SAVE_SEARCH_AS_SMART_ID = 'imageparser.collections.saveSearchAsSmart';
    /** The smart scope's command that opens a smart collection (its saved search) by id; the view calls it when it is registered. */
    export const OPEN_SMART_ID = 'imageparser.collections.openSmart';
    /** The transfer scope's command that exports one collection as an archive file (id argument). */
    export const EXPORT_COLLECTION_ID = 'imageparser.transfer.exportCollection';
}

/** The DataTransfer type of a dragged collection in the Collections view: its id. */
export const COLLECTION_DRAG_TYPE = 'application/x-imageparser-collection';

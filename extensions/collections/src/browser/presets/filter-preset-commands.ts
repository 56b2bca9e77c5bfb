import { Command } from '@theia/core/lib/common/command';

/** The filter preset actions; those on one preset take the preset's id. */
export namespace FilterPresetCommands {
    export const SAVE = Command.toLocalizedCommand({ id: 'imageparser.collections.savePreset', label: 'Save Filters as Preset…', category: 'ImageParser' },
        'imageparser/collections/commands/savePreset', 'imageparser/archive-core/category');
    /** Argument (optional): the preset's id; without it, a quick pick lists the presets. */
    export const APPLY = Command.toLocalizedCommand({ id: 'imageparser.collections.applyPreset', label: 'Apply Filter Preset…', category: 'ImageParser' },
        'imageparser/collections/commands/applyPreset', 'imageparser/archive-core/category');
    export const RENAME = Command.toLocalizedCommand({ id: 'imageparser.collections.renamePreset', label: 'Rename Filter Preset…', category: 'ImageParser' },
        'imageparser/collections/commands/renamePreset', 'imageparser/archive-core/category');
    export const UPDATE = Command.toLocalizedCommand({ id: 'imageparser.collections.updatePreset', label: 'Update Filter Preset with the Current Filters…', category: 'ImageParser' },
        'imageparser/collections/commands/updatePreset', 'imageparser/archive-core/category');
    export const DELETE = Command.toLocalizedCommand({ id: 'imageparser.collections.deletePreset', label: 'Delete Filter Preset…', category: 'ImageParser' },
        'imageparser/collections/commands/deletePreset', 'imageparser/archive-core/category');
}

import { Command } from '@theia/core/lib/common/command';

export namespace ArchiveCommands {
    const CATEGORY_KEY = 'imageparser/archive-core/category';
    const CATEGORY = 'ImageParser';

    export const OPEN_WELCOME = Command.toLocalizedCommand({
        id: 'imageparser.archive.openWelcome',
        label: 'Show Welcome',
        category: CATEGORY
    }, 'imageparser/archive-core/commands/openWelcome', CATEGORY_KEY);

    export const REFRESH_STATUS = Command.toLocalizedCommand({
        id: 'imageparser.archive.refreshStatus',
        label: 'Refresh Archive Status',
        category: CATEGORY
    }, 'imageparser/archive-core/commands/refreshStatus', CATEGORY_KEY);
}

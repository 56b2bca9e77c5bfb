import { inject, injectable } from '@theia/core/shared/inversify';
import { MAIN_MENU_BAR, MenuModelRegistry, MenuPath } from '@theia/core/lib/common/menu';
import { CommonCommands } from '@theia/core/lib/browser/common-commands';
import { CommonMenus } from '@theia/core/lib/browser/common-menus';
import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';

/**
 * Menu entries of Theia's IDE packages that an artist browsing images does
 * not need, by the menu they sit in and their id (a command id, or a group's
 * or submenu's id). Their commands stay: the command palette and keybindings
 * still reach Save, Open Workspace, Problems and the rest.
 */
export const IDE_MENU_ENTRIES: readonly (readonly [MenuPath, string])[] = [
    // The Selection and Go menus: text-editor navigation.
    [MAIN_MENU_BAR, '3_selection'],
    [MAIN_MENU_BAR, '5_go'],
    // File: text files, saving, workspaces and uploads into the workspace.
    ...[
        CommonCommands.NEW_UNTITLED_TEXT_FILE.id, CommonCommands.PICK_NEW_FILE.id,
        CommonCommands.SAVE.id, CommonCommands.SAVE_ALL.id, CommonCommands.SAVE_AS.id, CommonCommands.AUTO_SAVE.id,
        'workspace:open', 'workspace:openFile', 'workspace:openFolder', 'workspace:openWorkspace', 'workspace:openRecent',
        'workspace:addFolder', 'workspace:saveAs', 'workspace:close', 'file.upload'
    ].map(id => [CommonMenus.FILE, id] as const),
    // View: the Problems and Outline views and the text editor's toggles.
    [CommonMenus.VIEW, 'problemsView:toggle'],
    [CommonMenus.VIEW, 'outlineView:toggle'],
    [CommonMenus.VIEW, CommonMenus.VIEW_TOGGLE[CommonMenus.VIEW_TOGGLE.length - 1]]
];

/**
 * Takes the IDE entries an artist does not need out of the menu bar
 * ({@link IDE_MENU_ENTRIES}), once every package has registered its menus.
 */
@injectable()
export class ImageBrowserMenusContribution implements FrontendApplicationContribution {

    @inject(MenuModelRegistry)
    protected readonly menus: MenuModelRegistry;

    onStart(): void {
        for (const [menuPath, id] of IDE_MENU_ENTRIES) {
            this.menus.unregisterMenuAction(id, menuPath);
        }
    }
}

import { inject, injectable } from '@theia/core/shared/inversify';
import { CommandRegistry, CommandService } from '@theia/core/lib/common/command';
import { MenuModelRegistry } from '@theia/core/lib/common/menu';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import { plural } from '@imageparser/archive-core/lib/common/plural';
import { QuickInputService, QuickPickItem } from '@theia/core/lib/common/quick-pick-service';
import { KeybindingRegistry } from '@theia/core/lib/browser/keybinding';
import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { AbstractViewContribution } from '@theia/core/lib/browser/shell/view-contribution';
import { SearchModel } from '@imageparser/search-view/lib/browser/search-model';
import { SearchCommands } from '@imageparser/search-view/lib/browser/search-commands';
import { RESULTS_COLLECTIONS_GROUP } from './collection-add-to-menu';
import { CollectionCommands } from './collection-commands';
import { CollectionDrops } from './collection-drops';
import { CollectionNameDialog } from './collection-name-dialog';
import { CollectionUndo } from './collection-undo';
import { CollectionsModel } from './collections-model';
import { COLLECTIONS_CONTEXT_MENU, COLLECTIONS_MENU_KIND, COLLECTIONS_TREE_FOCUS, CollectionsWidget } from './collections-widget';

/**
 * The Collections view in the left side bar beside Image Search, and every
 * collection action as a command (palette, the view's and the results'
 * context menus, keys): make, rename, delete and undo, open in the results,
 * add the selected results, remove them, set the cover.
 */
@injectable()
export class CollectionsViewContribution extends AbstractViewContribution<CollectionsWidget> implements FrontendApplicationContribution {

    @inject(CollectionsModel)
    protected readonly model: CollectionsModel;

    @inject(SearchModel)
    protected readonly search: SearchModel;

    @inject(CollectionUndo)
    protected readonly undo: CollectionUndo;

    @inject(CollectionDrops)
    protected readonly drops: CollectionDrops;

    @inject(CollectionNameDialog)
    protected readonly prompt: CollectionNameDialog;

    @inject(CommandService)
    protected readonly commands: CommandService;

    @inject(CommandRegistry)
    protected readonly registry: CommandRegistry;

    @inject(QuickInputService)
    protected readonly quickInput: QuickInputService;

    @inject(MessageService)
    protected readonly messages: MessageService;

    constructor() {
        super({
            widgetId: CollectionsWidget.ID,
            widgetName: CollectionsWidget.LABEL,
            defaultWidgetOptions: { area: 'left', rank: 60 },
            toggleCommandId: CollectionCommands.TOGGLE_VIEW.id
        });
    }

    /** A fresh window has the Collections view in the side bar, behind Image Search. */
    async initializeLayout(): Promise<void> {
        await this.openView({ activate: false, reveal: false });
    }

    override registerCommands(registry: CommandRegistry): void {
        super.registerCommands(registry);
        const guard = (run: (...args: unknown[]) => Promise<unknown>) => async (...args: unknown[]): Promise<unknown> => {
            try {
                return await run(...args);
            } catch (error) {
                this.messages.error(error instanceof Error ? error.message : String(error));
                return undefined;
            }
        };
        const idArg = (arg: unknown): number | undefined => typeof arg === 'number' ? arg : this.model.focusedId;
        const idsArg = (arg: unknown): number[] => Array.isArray(arg) ? arg.filter((id): id is number => typeof id === 'number') : this.search.selectedIds;
        const hasSelection = () => this.search.selectedIds.length > 0;

        registry.registerCommand(CollectionCommands.NEW_COLLECTION, { execute: guard(async arg => this.make('manual', idsArg(arg ?? []))) });
        registry.registerCommand(CollectionCommands.NEW_FOLDER, { execute: guard(() => this.make('folder', [])) });
        registry.registerCommand(CollectionCommands.OPEN, {
            execute: guard(arg => this.openCollection(idArg(arg))),
            isEnabled: arg => this.model.get(idArg(arg))?.kind !== 'folder' && idArg(arg) !== undefined
        });
        registry.registerCommand(CollectionCommands.EDIT_SMART, {
            execute: guard(arg => this.editSmart(idArg(arg))),
            isEnabled: arg => this.model.get(idArg(arg))?.kind === 'smart' && !!this.registry.getCommand(CollectionCommands.OPEN_SMART_ID),
            isVisible: arg => this.model.get(idArg(arg))?.kind === 'smart'
        });
        registry.registerCommand(CollectionCommands.RENAME, { execute: guard(arg => this.rename(idArg(arg))), isEnabled: arg => idArg(arg) !== undefined });
        registry.registerCommand(CollectionCommands.DELETE, {
            execute: guard(async arg => {
                const id = idArg(arg);
                if (id !== undefined) {
                    await this.model.delete(id);
                }
            }),
            isEnabled: arg => idArg(arg) !== undefined
        });
        registry.registerCommand(CollectionCommands.UNDO, { execute: guard(() => this.undo.undoLast()), isEnabled: () => this.undo.canUndo });
        registry.registerCommand(CollectionCommands.ADD_SELECTION, { execute: guard(arg => this.addToPicked(idsArg(arg))), isEnabled: hasSelection });
        registry.registerCommand(CollectionCommands.ADD_TO_NEW, { execute: guard(arg => this.make('manual', idsArg(arg))), isEnabled: hasSelection });
        registry.registerCommand(CollectionCommands.REMOVE_SELECTION, {
            execute: guard(async () => {
                const collection = this.model.shownManualCollection;
                if (collection && hasSelection()) {
                    await this.model.removeAssets(collection.id, this.search.selectedIds);
                }
            }),
            isEnabled: () => !!this.model.shownManualCollection && hasSelection(),
            isVisible: () => !!this.model.shownManualCollection
        });
        registry.registerCommand(CollectionCommands.SET_COVER, {
            execute: guard(async () => {
                const shown = this.model.shownCollectionId;
                if (shown !== undefined && hasSelection()) {
                    await this.model.setCover(shown, this.search.selectedIds[0]);
                }
            }),
            isEnabled: () => this.model.get(this.model.shownCollectionId) !== undefined && this.search.selectedIds.length === 1,
            isVisible: () => this.model.get(this.model.shownCollectionId) !== undefined
        });
    }

    /** Asks for a name and makes a folder or a manual collection (with these assets), inside the focused folder. */
    protected async make(kind: 'folder' | 'manual', assetIds: readonly number[]): Promise<void> {
        const title = kind === 'folder' ? nls.localize('imageparser/collections/newFolderTitle', 'New Collection Folder')
            : nls.localize('imageparser/collections/newCollectionTitle', 'New Collection');
        const detail = kind === 'manual' && assetIds.length ? plural(assetIds.length,
            nls.localize('imageparser/collections/newWithImages/one', '{0} image goes into the new collection.', assetIds.length),
            nls.localize('imageparser/collections/newWithImages/other', '{0} images go into the new collection.', assetIds.length)) : undefined;
        const name = await this.prompt.ask(title, '', detail);
        if (!name) {
            return;
        }
        const focused = this.model.get(this.model.focusedId);
        const parentId = focused?.kind === 'folder' ? focused.id : focused?.parentId;
        const collection = await this.model.create(kind, name, {
            place: { parentId },
            assetIds: kind === 'manual' && assetIds.length ? assetIds : undefined
        });
        await this.openView({ activate: false, reveal: true });
        if (kind === 'manual' && assetIds.length) {
            this.messages.info(plural(assetIds.length,
                nls.localize('imageparser/collections/made/one', 'Made “{0}” of {1} image.', collection.name, assetIds.length),
                nls.localize('imageparser/collections/made/other', 'Made “{0}” of {1} images.', collection.name, assetIds.length)), { timeout: 5000 });
        }
    }

    protected async rename(id: number | undefined): Promise<void> {
        const collection = this.model.get(id);
        if (!collection) {
            return;
        }
        const name = await this.prompt.ask(nls.localize('imageparser/collections/renameTitle', 'Rename “{0}”', collection.name), collection.name);
        if (name && name !== collection.name) {
            await this.model.rename(collection.id, name);
        }
    }

    /**
     * Shows a collection in the results: a manual one in its order; a smart
     * one through the smart collections' own command (its saved search,
     * editable) when that is installed, else its members in its order.
     */
    async openCollection(id: number | undefined): Promise<void> {
        const collection = this.model.get(id);
        if (!collection || collection.kind === 'folder') {
            return;
        }
        this.model.setFocus(collection.id);
        if (collection.kind === 'smart' && this.registry.getCommand(CollectionCommands.OPEN_SMART_ID)) {
            await this.commands.executeCommand(CollectionCommands.OPEN_SMART_ID, collection.id);
            return;
        }
        const showing = this.model.show(collection.id);
        await this.commands.executeCommand(SearchCommands.OPEN_RESULTS.id, false);
        await showing;
    }

    /** Opens a smart collection's saved search, and Image Search beside it to edit it (Update saves the edit). */
    protected async editSmart(id: number | undefined): Promise<void> {
        const collection = this.model.get(id);
        if (collection?.kind !== 'smart') {
            return;
        }
        this.model.setFocus(collection.id);
        await this.commands.executeCommand(CollectionCommands.OPEN_SMART_ID, collection.id);
        await this.commands.executeCommand(SearchCommands.FOCUS_SEARCH.id);
    }

    /** A quick pick of the manual collections (and a new one) to add these assets to. */
    protected async addToPicked(assetIds: readonly number[]): Promise<void> {
        if (!assetIds.length) {
            return;
        }
        type Item = QuickPickItem & { collectionId?: number };
        const items: Item[] = this.model.manualCollections().map(collection => ({
            label: collection.name, description: this.model.pathOf(collection.id), collectionId: collection.id
        }));
        items.push({ label: CollectionCommands.ADD_TO_NEW.label! });
        const picked = await this.quickInput.showQuickPick(items, {
            placeholder: nls.localize('imageparser/collections/pickCollection', 'Add the selected images to which collection?')
        });
        if (!picked) {
            return;
        }
        const target = this.model.get(picked.collectionId);
        if (target) {
            await this.drops.add(target, assetIds);
        } else {
            await this.make('manual', assetIds);
        }
    }

    override registerKeybindings(keybindings: KeybindingRegistry): void {
        super.registerKeybindings(keybindings);
        // The tree's own keys, bound so that its menu shows them beside their entries; only while the tree has the keyboard focus
        // (not while a dialog's input in front of it has: Delete there edits the name, Ctrl+Z undoes typing). Theia sets no
        // 'focusedView' key, so the tree's own focus key is what says the Collections view is the one being typed to.
        keybindings.registerKeybinding({ command: CollectionCommands.RENAME.id, keybinding: 'f2', when: COLLECTIONS_TREE_FOCUS });
        keybindings.registerKeybinding({ command: CollectionCommands.DELETE.id, keybinding: 'delete', when: COLLECTIONS_TREE_FOCUS });
        keybindings.registerKeybinding({ command: CollectionCommands.UNDO.id, keybinding: 'ctrlcmd+z', when: COLLECTIONS_TREE_FOCUS });
    }

    override registerMenus(menus: MenuModelRegistry): void {
        super.registerMenus(menus);
        // Adding goes through the "Add to Collection ▸" submenu (a new collection at its end); "Add to Collection…" stays in the palette.
        const resultEntries = [CollectionCommands.REMOVE_SELECTION, CollectionCommands.SET_COVER];
        resultEntries.forEach((command, index) => menus.registerMenuAction(RESULTS_COLLECTIONS_GROUP, {
            commandId: command.id, label: command.label, order: String.fromCharCode(97 + index)
        }));
        // Groups, which the menu separates: open, change, export, make new. A folder's entries say "Folder" (and it has no Open).
        const forCollection = `${COLLECTIONS_MENU_KIND} != folder`;
        const forFolder = `${COLLECTIONS_MENU_KIND} == folder`;
        const viewGroups: [string, string, string | undefined, string | undefined][] = [
            ['1_open', CollectionCommands.OPEN.id, CollectionCommands.OPEN.label, forCollection],
            ['1_open', CollectionCommands.EDIT_SMART.id, CollectionCommands.EDIT_SMART.label, undefined],
            ['2_change', CollectionCommands.RENAME.id, CollectionCommands.RENAME.label, forCollection],
            ['2_change', CollectionCommands.DELETE.id, CollectionCommands.DELETE.label, forCollection],
            ['3_export', CollectionCommands.EXPORT_COLLECTION_ID, undefined, forCollection],
            ['4_new', CollectionCommands.NEW_COLLECTION.id, CollectionCommands.NEW_COLLECTION.label, undefined],
            ['4_new', CollectionCommands.NEW_FOLDER.id, CollectionCommands.NEW_FOLDER.label, undefined]
        ];
        viewGroups.forEach(([group, commandId, label, when], index) => menus.registerMenuAction([...COLLECTIONS_CONTEXT_MENU, group], {
            commandId, label, when, order: String.fromCharCode(97 + index)
        }));
        const folderEntries: [string, string, string, string][] = [
            ['2_change', CollectionCommands.RENAME.id, nls.localize('imageparser/collections/commands/renameFolder', 'Rename Folder…'), 'c'],
            ['2_change', CollectionCommands.DELETE.id, nls.localize('imageparser/collections/commands/deleteFolder', 'Delete Folder'), 'd'],
            ['3_export', CollectionCommands.EXPORT_COLLECTION_ID, nls.localize('imageparser/collections/transfer/exportFolder', 'Export Folder as Archive…'), 'e']
        ];
        folderEntries.forEach(([group, commandId, label, order]) => menus.registerMenuAction([...COLLECTIONS_CONTEXT_MENU, group], {
            commandId, label, when: forFolder, order
        }));
    }
}

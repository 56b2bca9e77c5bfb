import { inject, injectable } from '@theia/core/shared/inversify';
import { CommandRegistry } from '@theia/core/lib/common/command';
import { DisposableCollection } from '@theia/core/lib/common/disposable';
import { MenuModelRegistry } from '@theia/core/lib/common/menu';
import { nls } from '@theia/core/lib/common/nls';
import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { SearchModel } from '@imageparser/search-view/lib/browser/search-model';
import { SEARCH_RESULTS_CONTEXT_MENU } from '@imageparser/search-view/lib/browser/search-results-widget';
import { CollectionDrops } from './collection-drops';
import { CollectionCommands } from './collection-commands';
import { CollectionsModel } from './collections-model';

/** The results' context menu group of the collection entries. */
export const RESULTS_COLLECTIONS_GROUP = [...SEARCH_RESULTS_CONTEXT_MENU, '2_collections'];
/** The "Add to Collection ▸" submenu: one entry per manual collection. */
export const ADD_TO_COLLECTION_SUBMENU = [...RESULTS_COLLECTIONS_GROUP, '0_add_to'];
/** The submenu's last group: a new collection of the selected images. */
const ADD_TO_NEW_GROUP = [...ADD_TO_COLLECTION_SUBMENU, 'z_new'];
/** The most collections the submenu lists (by path); "Add to Collection…" in the palette reaches every one. */
const MAX_ENTRIES = 25;

/**
 * The "Add to Collection ▸" submenu of the results' context menu, listing
 * the manual collections by path and kept in step with them: each entry
 * adds the selected results to its collection; "New Collection…" at its
 * end makes one of them.
 */
@injectable()
export class CollectionAddToMenu implements FrontendApplicationContribution {

    @inject(CommandRegistry)
    protected readonly commands: CommandRegistry;

    @inject(MenuModelRegistry)
    protected readonly menus: MenuModelRegistry;

    @inject(CollectionsModel)
    protected readonly model: CollectionsModel;

    @inject(CollectionDrops)
    protected readonly drops: CollectionDrops;

    @inject(SearchModel)
    protected readonly search: SearchModel;

    protected entries = new DisposableCollection();
    /** The entries listed now, to change the menu only when they change. */
    protected listed = '';

    onStart(): void {
        this.menus.registerSubmenu(ADD_TO_COLLECTION_SUBMENU, nls.localize('imageparser/collections/addToMenu', 'Add to Collection'), { sortString: '0' });
        this.menus.registerMenuAction(ADD_TO_NEW_GROUP, { commandId: CollectionCommands.ADD_TO_NEW.id, label: CollectionCommands.NEW_COLLECTION.label });
        this.model.onDidChange(() => this.update());
        this.update();
    }

    protected update(): void {
        const targets = this.model.manualCollections().slice(0, MAX_ENTRIES).map(collection => ({ collection, path: this.model.pathOf(collection.id) }));
        const listed = targets.map(({ collection, path }) => `${collection.id}\t${path}`).join('\n');
        if (listed === this.listed) {
            return;
        }
        this.listed = listed;
        this.entries.dispose();
        this.entries = new DisposableCollection();
        targets.forEach(({ collection, path }, index) => {
            // No label: the entry is not in the palette, where "Add to Collection…" asks which.
            const commandId = `imageparser.collections.addTo.${collection.id}`;
            this.entries.push(this.commands.registerCommand({ id: commandId }, {
                execute: () => this.drops.add(collection, this.search.selectedIds),
                isEnabled: () => this.search.selectedIds.length > 0
            }));
            this.entries.push(this.menus.registerMenuAction(ADD_TO_COLLECTION_SUBMENU, { commandId, label: path, order: String(index).padStart(3, '0') }));
        });
    }
}

import * as React from '@theia/core/shared/react';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { CommandRegistry, CommandService } from '@theia/core/lib/common/command';
import { nls } from '@theia/core/lib/common/nls';
import { codicon } from '@theia/core/lib/browser/widgets/widget';
import { ReactWidget } from '@theia/core/lib/browser/widgets/react-widget';
import { ContextMenuRenderer } from '@theia/core/lib/browser/context-menu-renderer';
import { ContextKey, ContextKeyService } from '@theia/core/lib/browser/context-key-service';
import { MediaRoutes } from '@imageparser/archive-core/lib/common/media-protocol';
import { plural } from '@imageparser/archive-core/lib/common/plural';
import type { Collection } from '@imageparser/archive-core/lib/common/collection-protocol';
import { SEARCH_RESULTS_DRAG_TYPE } from '@imageparser/search-view/lib/browser/search-results-drag';
import { CollectionCommands } from './collection-commands';
import { CollectionsModel } from './collections-model';
import { CollectionDrops } from './collection-drops';

export const COLLECTIONS_CONTEXT_MENU = ['imageparser-collections-context-menu'];
/** The context key that is true while the collections tree has the keyboard focus (its keys, F2 and Delete, apply then). */
export const COLLECTIONS_TREE_FOCUS = 'imageparserCollectionsTreeFocus';
/** The context key that holds the kind ('folder', 'manual', 'smart') of the row whose context menu opens: its entries are worded for it. */
export const COLLECTIONS_MENU_KIND = 'imageparserCollectionsMenuKind';

/**
 * The Collections view: folders, manual and smart collections as a tree,
 * each with its cover and count. A click opens a collection in the results
 * (a folder opens or closes); the keyboard moves through the tree (arrows,
 * Enter, F2 renames, Delete deletes, Shift+F10 or the menu key opens the
 * row's menu); results dragged onto a manual
 * collection join it; a collection dragged onto a folder moves into it,
 * onto another collection moves before it.
 */
@injectable()
export class CollectionsWidget extends ReactWidget {

    static readonly ID = 'imageparser-collections';
    static readonly LABEL = nls.localize('imageparser/collections/view', 'Collections');

    @inject(CollectionsModel)
    protected readonly model: CollectionsModel;

    @inject(CommandService)
    protected readonly commands: CommandService;

    @inject(CommandRegistry)
    protected readonly registry: CommandRegistry;

    @inject(ContextMenuRenderer)
    protected readonly contextMenus: ContextMenuRenderer;

    @inject(CollectionDrops)
    protected readonly drops: CollectionDrops;

    @inject(ContextKeyService)
    protected readonly contextKeys: ContextKeyService;

    protected treeFocus: ContextKey<boolean>;
    protected menuKind: ContextKey<string>;

    /** The row whose context menu is open: it stays highlighted while the menu shows. */
    protected menuRowId: number | undefined;

    /** The row a drag hovers, and whether a drop would go into it or before it. */
    protected dropTarget: { id: number | undefined; where: 'into' | 'before' | 'end' } | undefined;

    @postConstruct()
    protected init(): void {
        this.id = CollectionsWidget.ID;
        this.title.label = CollectionsWidget.LABEL;
        this.title.caption = CollectionsWidget.LABEL;
        this.title.iconClass = codicon('library');
        this.title.closable = true;
        this.addClass('imageparser-collections');
        this.node.tabIndex = 0;
        this.treeFocus = this.contextKeys.createKey<boolean>(COLLECTIONS_TREE_FOCUS, false);
        this.menuKind = this.contextKeys.createKey<string>(COLLECTIONS_MENU_KIND, '');
        this.toDispose.push(this.model.onDidChange(() => this.update()));
        this.update();
    }

    protected override onActivateRequest(): void {
        (this.node.querySelector<HTMLElement>('.imageparser-collections-tree') ?? this.node).focus();
    }

    protected render(): React.ReactNode {
        return <div className='imageparser-collections-content'>
            {this.renderToolbar()}
            {this.model.error && <div className='imageparser-collections-error'>{this.model.error}</div>}
            {this.model.loaded && !this.model.collections.length ? this.renderEmpty() : this.renderTree()}
        </div>;
    }

    /** The view's own buttons: icons, each named (its tooltip and its accessible name) by its command, in the display language. */
    protected renderToolbar(): React.ReactNode {
        const saveSearch = this.registry.getCommand(CollectionCommands.SAVE_SEARCH_AS_SMART_ID);
        const button = (command: { id: string; label?: string }, icon: string) => <button type='button' className='theia-button secondary imageparser-collections-tool'
            data-command={command.id} title={command.label} aria-label={command.label}
            onClick={() => this.commands.executeCommand(command.id)}>
            <span className={codicon(icon)} aria-hidden='true' />
        </button>;
        return <div className='imageparser-collections-toolbar'>
            {button(CollectionCommands.NEW_COLLECTION, 'new-file')}
            {button(CollectionCommands.NEW_FOLDER, 'new-folder')}
            {saveSearch && button(saveSearch, 'save-as')}
        </div>;
    }

    protected renderEmpty(): React.ReactNode {
        return <div className={`imageparser-collections-empty${this.dropTarget?.where === 'end' ? ' drop-target' : ''}`}
            onDragOver={this.onDragOverEmpty} onDragLeave={this.onDragLeave} onDrop={this.onDropEmpty}>
            <p>{nls.localize('imageparser/collections/empty', 'No collections yet. Make one, or drag images from the results here.')}</p>
            <button type='button' className='theia-button' onClick={() => this.commands.executeCommand(CollectionCommands.NEW_COLLECTION.id)}>
                {CollectionCommands.NEW_COLLECTION.label}
            </button>
        </div>;
    }

    protected renderTree(): React.ReactNode {
        const rows = this.model.visibleRows();
        const focused = this.model.focusedId;
        return <div className={`imageparser-collections-tree${this.dropTarget?.where === 'end' ? ' drop-target' : ''}`} role='tree' tabIndex={0}
            aria-label={CollectionsWidget.LABEL} aria-activedescendant={focused !== undefined ? rowId(focused) : undefined}
            onKeyDown={this.onKeyDown} onFocus={() => this.treeFocus.set(true)} onBlur={() => this.treeFocus.set(false)} onDragOver={this.onDragOverEmpty} onDragLeave={this.onDragLeave} onDrop={this.onDropEmpty}>
            {rows.map(({ collection, depth }) => this.renderRow(collection, depth))}
        </div>;
    }

    protected renderRow(collection: Collection, depth: number): React.ReactNode {
        const folder = collection.kind === 'folder';
        const expanded = folder && this.model.expanded.has(collection.id);
        const drop = this.dropTarget?.id === collection.id ? ` drop-${this.dropTarget.where}` : '';
        const classes = `imageparser-collection-row kind-${collection.kind}${this.model.focusedId === collection.id ? ' focused' : ''}`
            + `${this.model.shownCollectionId === collection.id ? ' shown' : ''}${this.menuRowId === collection.id ? ' context-menu-open' : ''}${drop}`;
        return <div key={collection.id} id={rowId(collection.id)} className={classes} role='treeitem' aria-level={depth + 1}
            aria-expanded={folder ? expanded : undefined} aria-selected={this.model.focusedId === collection.id}
            data-collection-id={collection.id} data-kind={collection.kind} style={{ paddingLeft: `${4 + depth * 14}px` }}
            draggable title={this.model.pathOf(collection.id)}
            onClick={() => this.activateRow(collection)}
            onContextMenu={event => this.onContextMenu(event, collection)}
            onDragStart={event => this.onDragStart(event, collection)} onDragEnd={() => this.drops.endCollectionDrag()}
            onDragOver={event => this.onDragOverRow(event, collection)}
            onDrop={event => this.onDropRow(event, collection)}>
            <span className={`imageparser-collection-twistie ${folder ? codicon(expanded ? 'chevron-down' : 'chevron-right') : ''}`} />
            {this.renderCover(collection)}
            <span className='imageparser-collection-name'>{collection.name}</span>
            {collection.kind === 'smart' && <span className={`imageparser-collection-smart-mark ${codicon('search-fuzzy')}`}
                title={nls.localize('imageparser/collections/smartMark', 'Smart collection: follows a saved search')} />}
            {folder
                ? this.renderFolderCount(collection)
                : <span className='imageparser-collection-count' title={this.countText(collection.count)}>{collection.count}</span>}
        </div>;
    }

    /**
     * The collection's cover (its chosen or first image, cropped to a square),
     * or for a folder and an empty collection a placeholder of the same size
     * with the kind's icon: every row keeps one height.
     */
    protected renderCover(collection: Collection): React.ReactNode {
        if (collection.kind !== 'folder' && collection.coverAssetId !== undefined) {
            return <img className='imageparser-collection-cover' src={MediaRoutes.url('thumbnail', collection.coverAssetId)} alt='' draggable={false} loading='lazy' />;
        }
        const icon = collection.kind === 'folder' ? 'folder' : collection.kind === 'smart' ? 'search-fuzzy' : 'library';
        return <span className={`imageparser-collection-icon imageparser-collection-cover-placeholder kind-${collection.kind}`}>
            <span className={codicon(icon)} />
        </span>;
    }

    /** How many collections a folder holds, its subfolders' included. */
    protected renderFolderCount(folder: Collection): React.ReactNode {
        const count = this.model.collectionsIn(folder.id);
        return <span className='imageparser-collection-count imageparser-collection-folder-count' title={plural(count,
            nls.localize('imageparser/collections/folderCount/one', '{0} collection', count),
            nls.localize('imageparser/collections/folderCount/other', '{0} collections', count))}>{count}</span>;
    }

    protected countText(count: number): string {
        return plural(count, nls.localize('imageparser/collections/count/one', '{0} image', count),
            nls.localize('imageparser/collections/count/other', '{0} images', count));
    }

    /** A click: a folder opens or closes, a collection shows in the results. */
    protected activateRow(collection: Collection): void {
        this.model.setFocus(collection.id);
        if (collection.kind === 'folder') {
            this.model.toggleExpanded(collection.id);
        } else {
            this.commands.executeCommand(CollectionCommands.OPEN.id, collection.id);
        }
    }

    protected onContextMenu(event: React.MouseEvent, collection: Collection): void {
        event.preventDefault();
        event.stopPropagation();
        this.openContextMenu(collection, event.nativeEvent);
    }

    /**
     * The collection's menu, at the pointer or (from the keyboard) below its
     * row; the row stays highlighted while it shows. Escape closes it even
     * while a notice shows (whose own Escape key would take the key first),
     * and the keyboard focus goes back to the tree when nothing else took it.
     */
    protected openContextMenu(collection: Collection, anchor: MouseEvent | { x: number; y: number }): void {
        this.model.setFocus(collection.id);
        this.menuRowId = collection.id;
        this.menuKind.set(collection.kind);
        this.update();
        const closeOnEscape = (event: KeyboardEvent) => {
            if (event.key === 'Escape' && !event.ctrlKey && !event.altKey && !event.metaKey) {
                event.preventDefault();
                event.stopImmediatePropagation();
                menu.dispose();
            }
        };
        // On the window, in the capture phase: before the keybindings, which listen on the document.
        window.addEventListener('keydown', closeOnEscape, true);
        const menu = this.contextMenus.render({
            menuPath: COLLECTIONS_CONTEXT_MENU, anchor, args: [collection.id], context: this.node,
            onHide: () => {
                window.removeEventListener('keydown', closeOnEscape, true);
                if (this.menuRowId === collection.id) {
                    this.menuRowId = undefined;
                    this.update();
                }
                // The menu leaves the page after this: then the focus is nowhere unless a click or a command put it somewhere.
                setTimeout(() => this.focusTreeIfLost());
            }
        });
    }

    /** Gives the keyboard focus back to the tree when it is nowhere (the closed menu had it). */
    protected focusTreeIfLost(): void {
        const active = document.activeElement;
        if (!active || active === document.body || active.closest('.lm-Menu')) {
            this.node.querySelector<HTMLElement>('.imageparser-collections-tree')?.focus();
        }
    }

    protected onKeyDown = (event: React.KeyboardEvent): void => {
        const rows = this.model.visibleRows().map(row => row.collection);
        if (!rows.length) {
            return;
        }
        const index = rows.findIndex(row => row.id === this.model.focusedId);
        const focused = rows[index];
        const focus = (next: Collection | undefined) => {
            if (next) {
                this.model.setFocus(next.id);
                document.getElementById(rowId(next.id))?.scrollIntoView({ block: 'nearest' });
            }
        };
        const handled = () => {
            event.preventDefault();
            event.stopPropagation();
        };
        switch (event.key) {
            case 'ArrowDown': handled(); focus(rows[Math.min(rows.length - 1, index + 1)]); break;
            case 'ArrowUp': handled(); focus(rows[Math.max(0, index - 1)]); break;
            case 'Home': handled(); focus(rows[0]); break;
            case 'End': handled(); focus(rows[rows.length - 1]); break;
            case 'ArrowRight':
                handled();
                if (focused?.kind === 'folder' && !this.model.expanded.has(focused.id)) {
                    this.model.toggleExpanded(focused.id, true);
                } else if (focused?.kind === 'folder') {
                    focus(this.model.childrenOf(focused.id)[0]);
                }
                break;
            case 'ArrowLeft':
                handled();
                if (focused?.kind === 'folder' && this.model.expanded.has(focused.id)) {
                    this.model.toggleExpanded(focused.id, false);
                } else {
                    focus(this.model.get(focused?.parentId));
                }
                break;
            case 'Enter':
            case ' ':
                handled();
                if (focused) {
                    this.activateRow(focused);
                }
                break;
            case 'ContextMenu':
            case 'F10':
                if (event.key === 'F10' && !event.shiftKey) {
                    break;
                }
                handled();
                if (focused) {
                    const box = document.getElementById(rowId(focused.id))?.getBoundingClientRect();
                    this.openContextMenu(focused, box ? { x: box.left + 24, y: box.bottom } : { x: 0, y: 0 });
                }
                break;
            case 'F2':
                handled();
                if (focused) {
                    this.commands.executeCommand(CollectionCommands.RENAME.id, focused.id);
                }
                break;
            case 'Delete':
                handled();
                if (focused) {
                    this.commands.executeCommand(CollectionCommands.DELETE.id, focused.id);
                }
                break;
        }
    };

    protected onDragStart(event: React.DragEvent, collection: Collection): void {
        this.drops.startCollectionDrag(event.dataTransfer, collection.id);
    }

    protected onDragOverRow(event: React.DragEvent, collection: Collection): void {
        const where = this.drops.dropOnRow(event.dataTransfer, collection);
        event.stopPropagation();
        if (where) {
            event.preventDefault();
            event.dataTransfer.dropEffect = event.dataTransfer.types.includes(SEARCH_RESULTS_DRAG_TYPE) ? 'copy' : 'move';
        }
        this.setDropTarget(where ? { id: collection.id, where } : undefined);
    }

    protected onDropRow(event: React.DragEvent, collection: Collection): void {
        event.preventDefault();
        event.stopPropagation();
        this.setDropTarget(undefined);
        this.drops.dropOnCollection(event.dataTransfer, collection);
    }

    protected onDragOverEmpty = (event: React.DragEvent): void => {
        if (this.drops.canDropAtEnd(event.dataTransfer)) {
            // Not further up: the shell's panels ask every drag for a link, which a drag of results or collections does not allow.
            event.preventDefault();
            event.stopPropagation();
            event.dataTransfer.dropEffect = event.dataTransfer.types.includes(SEARCH_RESULTS_DRAG_TYPE) ? 'copy' : 'move';
            this.setDropTarget({ id: undefined, where: 'end' });
        }
    };

    protected onDropEmpty = (event: React.DragEvent): void => {
        event.preventDefault();
        event.stopPropagation();
        this.setDropTarget(undefined);
        this.drops.dropAtEnd(event.dataTransfer);
    };

    protected onDragLeave = (event: React.DragEvent): void => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) {
            this.setDropTarget(undefined);
        }
    };

    protected setDropTarget(target: CollectionsWidget['dropTarget']): void {
        if (target?.id !== this.dropTarget?.id || target?.where !== this.dropTarget?.where) {
            this.dropTarget = target;
            this.update();
        }
    }
}

function rowId(id: number): string {
    return `imageparser-collection-row-${id}`;
}

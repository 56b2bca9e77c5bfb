import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { nls } from '@theia/core/lib/common/nls';
import { AssetLocation } from '@imageparser/archive-core/lib/common/asset-location';
import { plural } from '@imageparser/archive-core/lib/common/plural';
import { CommandContribution, CommandRegistry } from '@theia/core/lib/common/command';
import { MenuContribution, MenuModelRegistry } from '@theia/core/lib/common/menu';
import { MessageService } from '@theia/core/lib/common/message-service';
import { QuickInputService, QuickPickItem } from '@theia/core/lib/common/quick-pick-service';
import { ApplicationShell } from '@theia/core/lib/browser/shell/application-shell';
import { KeybindingContribution, KeybindingRegistry } from '@theia/core/lib/browser/keybinding';
import { ContextKey, ContextKeyService } from '@theia/core/lib/browser/context-key-service';
import { WidgetManager } from '@theia/core/lib/browser/widget-manager';
import type { AssetVersion } from '@imageparser/archive-core/lib/common/asset-details-protocol';
import { MediaRoutes } from '@imageparser/archive-core/lib/common/media-protocol';
import { SearchModel } from '@imageparser/search-view/lib/browser/search-model';
import { SEARCH_RESULTS_CONTEXT_MENU } from '@imageparser/search-view/lib/browser/search-results-widget';
import { AnnotationModel } from './annotation-model';
import { AiTagReviewDialog } from './ai-tag-review-dialog';
import { CompareItem, CompareWidget } from './compare-widget';
import { ViewerFileActions } from './viewer-file-actions';
import { ViewerCommands } from './viewer-commands';
import { ViewerWidget } from './viewer-widget';
import { describeArchiveError } from '@imageparser/archive-core/lib/browser/archive-error-messages';
import { formatDateTime } from '@imageparser/archive-core/lib/browser/display-date';

interface RatingPickItem extends QuickPickItem {
    readonly value: number;
}

/** Context key: the lightbox has focus outside a text field (its single-key shortcuts and Ctrl+Z apply). */
export const VIEWER_FOCUS = 'imageparserViewerFocus';

/**
 * The viewer's commands (palette, keys, the results' context menu): stepping
 * and zooming in the lightbox, rating, undo, bulk tag and rating edits on the
 * selected results, and compare.
 */
@injectable()
export class ViewerContribution implements CommandContribution, KeybindingContribution, MenuContribution {

    @inject(ApplicationShell) protected readonly shell: ApplicationShell;
    @inject(ViewerFileActions) protected readonly fileActions: ViewerFileActions;
    @inject(WidgetManager) protected readonly widgets: WidgetManager;
    @inject(SearchModel) protected readonly search: SearchModel;
    @inject(AnnotationModel) protected readonly annotations: AnnotationModel;
    @inject(QuickInputService) protected readonly quickInput: QuickInputService;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(ContextKeyService) protected readonly contextKeys: ContextKeyService;

    protected viewerFocus: ContextKey<boolean>;

    @postConstruct()
    protected init(): void {
        this.viewerFocus = this.contextKeys.createKey<boolean>(VIEWER_FOCUS, false);
        const update = () => {
            const active = document.activeElement as HTMLElement | null;
            this.viewerFocus.set(!!active?.closest('.imageparser-viewer') && !active.closest('input, textarea, select, [contenteditable="true"]'));
        };
        document.addEventListener('focusin', update);
        document.addEventListener('focusout', () => setTimeout(update));
        // Edits show in the results at once: the shown query runs again, in place (a burst of edits, once).
        let timer: number | undefined;
        this.annotations.onDidChange(() => {
            window.clearTimeout(timer);
            timer = window.setTimeout(() => this.search.refresh(), 200);
        });
    }

    protected get viewer(): ViewerWidget | undefined {
        const widget = this.shell.currentWidget ?? this.shell.activeWidget;
        return widget instanceof ViewerWidget ? widget : this.widgets.tryGetWidget<ViewerWidget>(ViewerWidget.ID);
    }

    registerCommands(registry: CommandRegistry): void {
        const withViewer = (action: (viewer: ViewerWidget) => unknown) => ({
            execute: () => { const viewer = this.viewer; return viewer && action(viewer); },
            isEnabled: () => this.viewer?.assetId !== undefined
        });
        registry.registerCommand(ViewerCommands.NEXT, withViewer(viewer => viewer.step(1)));
        registry.registerCommand(ViewerCommands.PREVIOUS, withViewer(viewer => viewer.step(-1)));
        registry.registerCommand(ViewerCommands.ZOOM_IN, withViewer(viewer => viewer.zoomIn()));
        registry.registerCommand(ViewerCommands.ZOOM_OUT, withViewer(viewer => viewer.zoomOut()));
        registry.registerCommand(ViewerCommands.ZOOM_FIT, withViewer(viewer => viewer.zoomFit()));
        registry.registerCommand(ViewerCommands.ZOOM_ACTUAL, withViewer(viewer => viewer.zoomActual()));
        registry.registerCommand(ViewerCommands.FIND_SIMILAR, withViewer(viewer => viewer.findSimilar()));
        registry.registerCommand(ViewerCommands.RATE, withViewer(async viewer => {
            const rating = await this.pickRating(1, viewer.model.details?.rating);
            if (rating !== undefined) {
                await viewer.rate(rating);
            }
        }));
        registry.registerCommand(ViewerCommands.UNDO, {
            execute: async () => {
                const viewer = this.viewer;
                if (viewer) {
                    await viewer.undo();
                } else {
                    const record = await this.annotations.undo();
                    this.messages.info(record ? nls.localize('imageparser/viewer/undoneShort', 'Undone.') : nls.localize('imageparser/viewer/nothingToUndo', 'Nothing to undo.'));
                }
            }
        });
        const details = () => this.viewer?.model.details;
        registry.registerCommand(ViewerCommands.COPY_PATH, {
            execute: async () => { const shown = details(); if (shown) { await this.fileActions.copyPath(shown); } },
            isEnabled: () => this.fileActions.canCopyPath(details())
        });
        registry.registerCommand(ViewerCommands.REVEAL, {
            execute: async () => { const shown = details(); if (shown) { await this.fileActions.reveal(shown); } },
            isEnabled: () => this.fileActions.canUseDesktop(details())
        });
        registry.registerCommand(ViewerCommands.OPEN_ORIGINAL, {
            execute: async () => { const shown = details(); if (shown) { await this.fileActions.openWithSystemApp(shown); } },
            isEnabled: () => this.fileActions.canUseDesktop(details())
        });
        registry.registerCommand(ViewerCommands.DOWNLOAD, withViewer(viewer => {
            const link = document.createElement('a');
            link.href = MediaRoutes.originalUrl(viewer.assetId!, true);
            link.download = '';
            link.click();
        }));

        const hasSelection = () => this.search.selectedIds.length > 0;
        registry.registerCommand(ViewerCommands.ADD_TAGS, { execute: () => this.editSelectedTags('add'), isEnabled: hasSelection });
        registry.registerCommand(ViewerCommands.REMOVE_TAGS, { execute: () => this.editSelectedTags('remove'), isEnabled: hasSelection });
        registry.registerCommand(ViewerCommands.REVIEW_AI_TAGS, { execute: () => new AiTagReviewDialog(this.annotations, this.search.selectedIds).open(), isEnabled: hasSelection });
        registry.registerCommand(ViewerCommands.ACCEPT_AI_TAGS, { execute: () => this.decideAllAiTags(true), isEnabled: hasSelection });
        registry.registerCommand(ViewerCommands.REJECT_AI_TAGS, { execute: () => this.decideAllAiTags(false), isEnabled: hasSelection });
        registry.registerCommand(ViewerCommands.RATE_SELECTED, {
            execute: async () => {
                const ids = this.search.selectedIds;
                const rating = await this.pickRating(ids.length, this.sharedRating(ids));
                if (rating !== undefined) {
                    const outcome = await this.annotations.setRating(ids, rating);
                    const stars = rating ? '★'.repeat(rating) : nls.localize('imageparser/viewer/noRating', 'No rating');
                    this.messages.info(plural(outcome.changed,
                        nls.localize('imageparser/viewer/bulkRated/one', 'Rated {0} image: {1}. Ctrl+Z in the viewer, or "Undo the Last Tag or Rating Change", takes it back.', outcome.changed, stars),
                        nls.localize('imageparser/viewer/bulkRated/other', 'Rated {0} images: {1}. Ctrl+Z in the viewer, or "Undo the Last Tag or Rating Change", takes it back.', outcome.changed, stars)));
                }
            },
            isEnabled: hasSelection
        });
        registry.registerCommand(ViewerCommands.COMPARE_WITH_CURRENT, {
            execute: (assetId?: unknown) => this.compareWithCurrent(typeof assetId === 'number' ? assetId : undefined),
            isEnabled: (assetId?: unknown) => this.earlierVersion(typeof assetId === 'number' ? assetId : undefined) !== undefined
        });
        registry.registerCommand(ViewerCommands.COMPARE, {
            execute: () => this.compareSelected(),
            isEnabled: () => this.search.selectedIds.length >= 2 && this.search.selectedIds.length <= CompareWidget.MAX
        });
    }

    /** The rating all these results have, when they have the same one (and their hits have arrived). */
    protected sharedRating(assetIds: readonly number[]): number | undefined {
        const ratings = new Set(assetIds.map(id => this.search.findHit(id)?.rating));
        const [only] = ratings;
        return ratings.size === 1 ? only : undefined;
    }

    /**
     * Asks for the rating of `count` images; the title says how many. The
     * rating they all have now (`current`) is highlighted, so Enter changes
     * nothing; when they differ, nothing is, and Enter alone does nothing:
     * no rating is overwritten or cleared by a key pressed too soon.
     */
    protected pickRating(count: number, current: number | undefined): Promise<number | undefined> {
        const items: RatingPickItem[] = [1, 2, 3, 4, 5, 0].map(value => {
            const words = [
                value ? plural(value, nls.localize('imageparser/viewer/starCount/one', '{0} star', value), nls.localize('imageparser/viewer/starCount/other', '{0} stars', value))
                    : nls.localize('imageparser/viewer/noRating', 'No rating'),
                value === current ? nls.localize('imageparser/viewer/currentRating', 'current') : undefined
            ].filter((word): word is string => !!word);
            return {
                label: value ? '★'.repeat(value) : words[0],
                // The stars' count in words beside them (typing "3" finds them), and for screen readers instead of "black star" three times.
                description: (value ? words : words.slice(1)).join(' · ') || undefined,
                ariaLabel: words.join(', '),
                value
            };
        });
        const pick = this.quickInput.createQuickPick<RatingPickItem>();
        pick.title = plural(count, nls.localize('imageparser/viewer/rateTitle/one', 'Rate {0} image', count),
            nls.localize('imageparser/viewer/rateTitle/other', 'Rate {0} images', count));
        pick.placeholder = nls.localize('imageparser/viewer/pickRating', 'Choose a rating');
        pick.items = items;
        const active = items.find(item => item.value === current);
        pick.activeItems = active ? [active] : [];
        return new Promise(resolve => {
            pick.onDidAccept(() => {
                const [chosen] = pick.selectedItems;
                if (chosen) {
                    resolve(chosen.value);
                    pick.hide();
                }
            });
            pick.onDidHide(() => {
                resolve(undefined);
                pick.dispose();
            });
            pick.show();
        });
    }

    protected async editSelectedTags(mode: 'add' | 'remove'): Promise<void> {
        const ids = this.search.selectedIds;
        const text = await this.quickInput.input({
            prompt: mode === 'add'
                ? plural(ids.length, nls.localize('imageparser/viewer/bulkAddPrompt/one', 'Tags to add to {0} image, separated by commas', ids.length),
                    nls.localize('imageparser/viewer/bulkAddPrompt/other', 'Tags to add to {0} images, separated by commas', ids.length))
                : plural(ids.length, nls.localize('imageparser/viewer/bulkRemovePrompt/one', 'Tags to remove from {0} image, separated by commas', ids.length),
                    nls.localize('imageparser/viewer/bulkRemovePrompt/other', 'Tags to remove from {0} images, separated by commas', ids.length))
        });
        const tags = (text ?? '').split(',').map(tag => tag.trim()).filter(Boolean);
        if (!tags.length) {
            return;
        }
        try {
            await (mode === 'add' ? this.annotations.addTags(ids, tags) : this.annotations.removeTags(ids, tags));
            const names = tags.join(', ');
            this.messages.info(mode === 'add'
                ? plural(ids.length, nls.localize('imageparser/viewer/bulkAdded/one', 'Added {1} to {0} image.', ids.length, names),
                    nls.localize('imageparser/viewer/bulkAdded/other', 'Added {1} to {0} images.', ids.length, names))
                : plural(ids.length, nls.localize('imageparser/viewer/bulkRemoved/one', 'Removed {1} from {0} image.', ids.length, names),
                    nls.localize('imageparser/viewer/bulkRemoved/other', 'Removed {1} from {0} images.', ids.length, names)));
        } catch (error) {
            this.messages.error(describeArchiveError(error));
        }
    }

    /** Accepts (or rejects) every AI tag suggestion of the selected results, and says how many were decided. */
    protected async decideAllAiTags(accept: boolean): Promise<void> {
        const ids = this.search.selectedIds;
        try {
            const names = (await this.annotations.aiTagSuggestions(ids)).map(suggestion => suggestion.name);
            if (!names.length) {
                this.messages.info(nls.localize('imageparser/viewer/ai/noSuggestions', 'No AI tag suggestions are waiting for these images.'));
                return;
            }
            const { changed } = accept ? await this.annotations.acceptAiTags(ids, names) : await this.annotations.rejectAiTags(ids, names);
            this.messages.info(accept
                ? plural(changed, nls.localize('imageparser/viewer/ai/allAccepted/one', 'Accepted {0} AI tag suggestion on the selected images. Undo takes it back.', changed),
                    nls.localize('imageparser/viewer/ai/allAccepted/other', 'Accepted {0} AI tag suggestions on the selected images. Undo takes them back.', changed))
                : plural(changed, nls.localize('imageparser/viewer/ai/allRejected/one', 'Rejected {0} AI tag suggestion on the selected images. Undo takes it back.', changed),
                    nls.localize('imageparser/viewer/ai/allRejected/other', 'Rejected {0} AI tag suggestions on the selected images. Undo takes them back.', changed)));
        } catch (error) {
            this.messages.error(describeArchiveError(error));
        }
    }

    protected async compareSelected(): Promise<void> {
        const hits = this.search.selectedIds.map(id => this.search.findHit(id)).filter(hit => !!hit);
        await this.compare(hits.map(hit => ({ assetId: hit!.assetId, name: hit!.name, width: hit!.width })));
    }

    /** The earlier version (the asset given, else the one the viewer shows) and the current version of the viewer's file; undefined when that is the current one. */
    protected earlierVersion(assetId?: number): { earlier: AssetVersion; current: AssetVersion; name: string } | undefined {
        const versions = this.viewer?.model.versions;
        const shown = assetId ?? this.viewer?.assetId;
        const current = versions?.versions.find(version => version.current);
        const earlier = versions?.versions.find(version => !version.current && version.assetId === shown);
        if (!versions || !current || !earlier || earlier.assetId === current.assetId) {
            return undefined;
        }
        return { earlier, current, name: AssetLocation.name(versions.location) };
    }

    protected async compareWithCurrent(assetId?: number): Promise<void> {
        const pair = this.earlierVersion(assetId);
        if (!pair) {
            return;
        }
        const { earlier, current, name } = pair;
        await this.compare([
            { assetId: earlier.assetId, previewOnly: earlier.superseded,
                name: nls.localize('imageparser/viewer/compareEarlierName', '{0}, saved {1}', name, formatDateTime(earlier.modifiedAt)) },
            { assetId: current.assetId, name: nls.localize('imageparser/viewer/compareCurrentName', '{0}, current', name) }
        ]);
    }

    protected async compare(items: CompareItem[]): Promise<void> {
        const widget = await this.widgets.getOrCreateWidget<CompareWidget>(CompareWidget.ID);
        widget.showItems(items);
        if (!widget.isAttached) {
            await this.shell.addWidget(widget, { area: 'main' });
        }
        await this.shell.activateWidget(widget.id);
    }

    registerKeybindings(keybindings: KeybindingRegistry): void {
        keybindings.registerKeybinding({ command: ViewerCommands.UNDO.id, keybinding: 'ctrlcmd+z', when: VIEWER_FOCUS });
    }

    registerMenus(menus: MenuModelRegistry): void {
        [ViewerCommands.COMPARE, ViewerCommands.ADD_TAGS, ViewerCommands.REMOVE_TAGS, ViewerCommands.RATE_SELECTED,
            ViewerCommands.REVIEW_AI_TAGS, ViewerCommands.ACCEPT_AI_TAGS, ViewerCommands.REJECT_AI_TAGS].forEach((command, index) =>
            menus.registerMenuAction([...SEARCH_RESULTS_CONTEXT_MENU, '2_edit'], { commandId: command.id, label: command.label, order: String.fromCharCode(97 + index) }));
    }
}

import { Emitter, Event } from '@theia/core/lib/common/event';
import { DisposableCollection } from '@theia/core/lib/common/disposable';
import type { AssetComment } from '@imageparser/archive-core/lib/common/annotation-protocol';
import type { AssetDetails, AssetDetailsService, AssetLayerDetails, AssetVersion, FileVersions } from '@imageparser/archive-core/lib/common/asset-details-protocol';
import { MediaRoutes, RenderNote } from '@imageparser/archive-core/lib/common/media-protocol';
import type { AnnotationModel } from './annotation-model';

/**
 * The search results as the viewer steps through them: the search view's
 * SearchModel, whose hits arrive page by page.
 */
export interface ViewerResults {
    readonly total: number;
    /** The hit at a position, if its page has arrived. */
    hitAt(index: number): { readonly assetId: number } | undefined;
    /** Where an asset is among the hits that arrived; -1 when it is not there. */
    indexOf(assetId: number): number;
    /** The hit at a position, fetching its page when needed; undefined past either end. */
    hitAtLoaded(index: number): Promise<{ readonly assetId: number } | undefined>;
    /** Moves the results' focus and selection to a position. */
    focusIndex(index: number): void;
}

/**
 * The state of one lightbox: which asset, its details, comments and the
 * layer visibility changes, and the URL of the image to show. The widget
 * renders it; every change goes through here.
 */
export class ViewerModel {

    protected readonly onDidChangeEmitter = new Emitter<void>();
    readonly onDidChange: Event<void> = this.onDidChangeEmitter.event;
    protected readonly toDispose = new DisposableCollection(this.onDidChangeEmitter);

    assetId: number | undefined;
    /** Position in the search results, when opened from them. */
    resultIndex: number | undefined;
    details: AssetDetails | undefined;
    /** The versions of the asset's file (one, when it never changed). */
    versions: FileVersions | undefined;
    comments: AssetComment[] = [];
    error: string | undefined;
    /** Why the last layer render failed, if it did. */
    layersError: string | undefined;
    /** Layer changes against the file: hidden ones, shown ones, or one layer alone. */
    hidden = new Set<number>();
    shown = new Set<number>();
    solo: number | undefined;
    /** What the current layer render approximated (from the backend). */
    approximations: readonly RenderNote[] = [];
    /** Set while a layer render is loading. */
    rendering = false;
    protected generation = 0;

    constructor(
        protected readonly detailsService: AssetDetailsService,
        protected readonly annotations: AnnotationModel
    ) {
        this.toDispose.push(annotations.onDidChange(change => {
            if (this.assetId !== undefined && change.assetIds.includes(this.assetId)) {
                this.refresh();
            }
        }));
    }

    dispose(): void {
        this.toDispose.dispose();
    }

    /**
     * Whether the asset's original bytes are gone: it is only an earlier
     * version of its file, or every file holding it is missing. The stored
     * preview is all there is to show then (no full-resolution pyramid, no
     * layer renders).
     */
    get previewOnly(): boolean {
        return !!this.details?.superseded || this.missing;
    }

    /** Whether every file that held the asset is missing from disk. */
    get missing(): boolean {
        const files = this.details?.files ?? [];
        return files.length > 0 && files.every(file => file.state === 'missing');
    }

    /** The version the asset's file holds now, when that is another asset. */
    get currentVersion(): AssetVersion | undefined {
        const current = this.versions?.versions.find(version => version.current);
        return current && current.assetId !== this.assetId ? current : undefined;
    }

    get hasLayerChanges(): boolean {
        return this.hidden.size > 0 || this.shown.size > 0 || this.solo !== undefined;
    }

    get layers(): readonly AssetLayerDetails[] {
        return this.details?.layers ?? [];
    }

    /** Whether a layer shows in the current render (its own switch, not its groups'). */
    isVisible(layer: AssetLayerDetails): boolean {
        if (this.hidden.has(layer.idx)) {
            return false;
        }
        return layer.visible || this.shown.has(layer.idx);
    }

    /** The URL of the composite with the layer changes; undefined when there are none (the pyramid shows the file's own composite). */
    get layersUrl(): string | undefined {
        if (this.assetId === undefined || !this.hasLayerChanges || this.previewOnly) {
            return undefined;
        }
        return MediaRoutes.layersUrl(this.assetId, { hidden: [...this.hidden], shown: [...this.shown], solo: this.solo });
    }

    async open(assetId: number, resultIndex?: number): Promise<void> {
        if (assetId !== this.assetId) {
            this.hidden.clear();
            this.shown.clear();
            this.solo = undefined;
            this.approximations = [];
        }
        this.assetId = assetId;
        this.resultIndex = resultIndex;
        await this.refresh();
    }

    async refresh(): Promise<void> {
        const assetId = this.assetId;
        if (assetId === undefined) {
            return;
        }
        const generation = ++this.generation;
        try {
            const [details, comments, versions] = await Promise.all([
                this.detailsService.details(assetId), this.annotations.comments(assetId), this.detailsService.versions(assetId)
            ]);
            if (generation !== this.generation) {
                return;
            }
            this.details = details;
            this.comments = comments;
            this.versions = versions;
            this.error = details ? undefined : `Asset ${assetId} is no longer in the archive.`;
        } catch (error) {
            if (generation === this.generation) {
                this.error = error instanceof Error ? error.message : String(error);
            }
        }
        this.onDidChangeEmitter.fire();
    }

    /**
     * Steps `delta` places through the results and shows the asset there,
     * fetching its page when it is past the pages that arrived; the results'
     * focus follows. False at either end, or when the viewer was not opened
     * from the results. A position between two results (the asset left
     * them) steps to the neighbour on that side.
     */
    async step(results: ViewerResults, delta: number): Promise<boolean> {
        const index = this.resultIndex;
        if (index === undefined) {
            return false;
        }
        const target = Number.isInteger(index) ? index + delta : delta > 0 ? Math.ceil(index) : Math.floor(index);
        const hit = await results.hitAtLoaded(target);
        if (!hit) {
            return false;
        }
        results.focusIndex(target);
        await this.open(hit.assetId, target);
        return true;
    }

    /**
     * Keeps the viewer's place in results that changed under it (a refresh
     * after an edit re-sorts them, or drops the asset): by asset, or, when
     * the asset left them, between its neighbours, so the next step shows
     * the one now in its place. A refresh brings back only the first page:
     * the page at the viewer's place is fetched again to compare. Answers
     * whether the place changed.
     */
    async followResults(results: ViewerResults): Promise<boolean> {
        const { assetId, resultIndex } = this;
        if (assetId === undefined || resultIndex === undefined || !Number.isInteger(resultIndex)) {
            return false;
        }
        const shown = results.hitAt(resultIndex) ?? await results.hitAtLoaded(resultIndex);
        if (this.assetId !== assetId || this.resultIndex !== resultIndex) {
            // The viewer moved on meanwhile.
            return false;
        }
        if (shown?.assetId === assetId || (!shown && resultIndex < results.total)) {
            return false;
        }
        const index = results.indexOf(assetId);
        // Gone from the results (rated out of a "not rated" filter, say): stand between its neighbours, so → shows the one now in its place.
        this.resultIndex = index >= 0 ? index : Math.min(resultIndex, results.total) - 0.5;
        return true;
    }

    toggleLayer(layer: AssetLayerDetails): void {
        this.startRender();
        const visible = this.isVisible(layer);
        this.hidden.delete(layer.idx);
        this.shown.delete(layer.idx);
        if (visible) {
            this.hidden.add(layer.idx);
        } else if (!layer.visible) {
            this.shown.add(layer.idx);
        }
        this.onDidChangeEmitter.fire();
    }

    toggleSolo(layer: AssetLayerDetails): void {
        this.startRender();
        this.solo = this.solo === layer.idx ? undefined : layer.idx;
        this.onDidChangeEmitter.fire();
    }

    resetLayers(): void {
        this.startRender();
        this.hidden.clear();
        this.shown.clear();
        this.solo = undefined;
        this.approximations = [];
        this.onDidChangeEmitter.fire();
    }

    /** Called by the stage when a layer render arrived (or failed); kept apart from the asset's own error. */
    layersRendered(approximations: readonly RenderNote[] | undefined, error?: string): void {
        this.rendering = false;
        this.approximations = approximations ?? [];
        this.layersError = error;
        this.onDidChangeEmitter.fire();
    }

    protected startRender(): void {
        this.rendering = true;
    }
}

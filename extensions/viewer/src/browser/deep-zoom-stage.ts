import OpenSeadragon from 'openseadragon';
import { Emitter, Event } from '@theia/core/lib/common/event';
import { MediaRoutes, RenderNote } from '@imageparser/archive-core/lib/common/media-protocol';

/** What the stage shows: an asset's preview at once, its full-resolution pyramid as it arrives, or a layer render in their place. */
export interface StageContent {
    readonly assetId: number;
    /** Full width in pixels, for "100 %" before the pyramid has arrived. */
    readonly width?: number;
    /** A layer composite to show instead of the file's own composite. */
    readonly layersUrl?: string;
    /** Only the stored preview exists (an earlier version of a file, whose bytes are gone): no full-resolution pyramid is asked for. */
    readonly previewOnly?: boolean;
}

export interface LayerRenderResult {
    readonly approximations?: readonly RenderNote[];
    readonly error?: string;
}

/** OpenSeadragon's viewport reads this field for its home zoom; its type declarations omit it. */
interface HomeZoomSetting {
    defaultZoomLevel: number;
}

/** A view of the stage's zoom and centre, in world coordinates (the image is 1 wide), for compare mode. */
export interface StageView {
    readonly zoom: number;
    readonly x: number;
    readonly y: number;
}

/**
 * The zoomable image: OpenSeadragon over the media routes. The preview
 * (about 1024 px) shows at fit size at once; the Deep Zoom pyramid of the
 * full image is laid over it as it arrives, so an 8000 x 8000 image is drawn
 * from 512 px tiles of the level the zoom needs, never as one bitmap. Wheel
 * and +/- zoom, drag pans; the arrow keys are left to the viewer (previous /
 * next), not used for panning. Fit (home) never enlarges an image past its
 * own pixels (100 %) unless asked to: a small image shows at its size.
 */
export class DeepZoomStage {

    protected readonly viewer: OpenSeadragon.Viewer;
    protected content: StageContent | undefined;
    protected layersItem: OpenSeadragon.TiledImage | undefined;
    protected fullItem: OpenSeadragon.TiledImage | undefined;
    protected layerObjectUrl: string | undefined;
    protected layersFetch: AbortController | undefined;
    protected generation = 0;
    protected applyingView = false;
    /** Whether the user zoomed or panned since the asset opened; until then the view follows Fit as the size becomes known. */
    protected moved = false;
    protected homing = false;
    protected containerSize = { x: 0, y: 0 };

    protected readonly onDidChangeViewEmitter = new Emitter<StageView>();
    /** Fires when the user zooms or pans (not when {@link showView} moves it). */
    readonly onDidChangeView: Event<StageView> = this.onDidChangeViewEmitter.event;
    protected readonly onDidRenderLayersEmitter = new Emitter<LayerRenderResult>();
    readonly onDidRenderLayers: Event<LayerRenderResult> = this.onDidRenderLayersEmitter.event;
    protected readonly onDidChangeZoomEmitter = new Emitter<number | undefined>();
    /** Fires with {@link zoomPercent} whenever the zoom is set (the value it goes to, not the one it animates from). */
    readonly onDidChangeZoom: Event<number | undefined> = this.onDidChangeZoomEmitter.event;
    protected readonly onDidLoadFullEmitter = new Emitter<void>();
    /** Fires when the full-resolution pyramid has been added (its tiles then load as needed). */
    readonly onDidLoadFull: Event<void> = this.onDidLoadFullEmitter.event;

    constructor(readonly host: HTMLElement) {
        this.viewer = OpenSeadragon({
            element: host,
            // Our toolbar and keys drive it; no image buttons of OpenSeadragon's own.
            showNavigationControl: false,
            drawer: 'canvas',
            maxZoomPixelRatio: 16,
            minZoomImageRatio: 0.5,
            visibilityRatio: 0.3,
            animationTime: 0.25,
            springStiffness: 10,
            imageLoaderLimit: 6,
            gestureSettingsMouse: { clickToZoom: false, dblClickToZoom: true },
            keyboardNavEnabled: false
        });
        const changed = () => {
            if (!this.applyingView && !this.homing) {
                this.onDidChangeViewEmitter.fire(this.view);
            }
        };
        for (const gesture of ['canvas-scroll', 'canvas-drag', 'canvas-double-click', 'canvas-pinch'] as const) {
            this.viewer.addHandler(gesture, () => this.moved = true);
        }
        this.viewer.addHandler('zoom', () => {
            changed();
            this.onDidChangeZoomEmitter.fire(this.zoomPercent);
        });
        this.viewer.addHandler('pan', changed);
        // OpenSeadragon keeps the zoom when the stage resizes (the side panel arriving, a window resize); after that, follow Fit.
        this.viewer.addHandler('viewport-change', () => {
            const { x, y } = this.viewer.viewport.getContainerSize();
            if (x !== this.containerSize.x || y !== this.containerSize.y) {
                this.containerSize = { x, y };
                this.followFit();
            }
        });
        // The settled view, readable from the page (tests, and anyone inspecting the DOM).
        this.viewer.addHandler('animation-finish', () => this.recordView());
    }

    /** Where the view is going (the target of a zoom or pan animation, so followers move there at once). */
    get view(): StageView {
        const center = this.viewer.viewport.getCenter(false);
        return { zoom: this.viewer.viewport.getZoom(false), x: center.x, y: center.y };
    }

    protected recordView(): void {
        const { zoom, x, y } = this.view;
        this.host.dataset.view = `${zoom.toFixed(4)},${x.toFixed(4)},${y.toFixed(4)}`;
        this.onDidChangeZoomEmitter.fire(this.zoomPercent);
    }

    /** Moves to a view at once, without firing {@link onDidChangeView}. */
    showView(view: StageView): void {
        this.moved = true;
        this.applyingView = true;
        try {
            this.viewer.viewport.zoomTo(view.zoom, undefined, true);
            this.viewer.viewport.panTo(new OpenSeadragon.Point(view.x, view.y), true);
        } finally {
            this.applyingView = false;
        }
        this.recordView();
    }

    show(content: StageContent): void {
        const previous = this.content;
        this.content = content;
        if (previous?.assetId !== content.assetId || previous.previewOnly !== content.previewOnly) {
            this.openAsset(content.assetId, !!content.previewOnly);
        } else if (previous?.width !== content.width) {
            // The size arrived after the preview: Fit may now need to stop at 100 %.
            this.followFit();
        }
        if (previous?.layersUrl !== content.layersUrl || previous?.assetId !== content.assetId) {
            this.showLayers(content.layersUrl);
        }
    }

    protected openAsset(assetId: number, previewOnly: boolean): void {
        const generation = ++this.generation;
        this.fullItem = undefined;
        this.layersItem = undefined;
        this.viewer.open({ tileSource: { type: 'image', url: MediaRoutes.url('preview', assetId), buildPyramid: false } } as unknown as OpenSeadragon.TileSourceSpecifier);
        this.host.dataset.full = previewOnly ? 'preview-only' : 'loading';
        this.host.dataset.assetId = String(assetId);
        this.moved = false;
        this.viewer.addOnceHandler('open', () => {
            this.followFit();
            if (!previewOnly) {
                this.addFullImage(assetId, generation);
            }
        });
    }

    /**
     * Waits for the pyramid (built on the first request) before handing it to
     * OpenSeadragon, which adds images strictly in request order: a layer
     * render must not queue behind a pyramid that is still being built, or
     * fails.
     */
    protected async addFullImage(assetId: number, generation: number): Promise<void> {
        const url = MediaRoutes.tilesUrl(assetId);
        try {
            const response = await fetch(url, { credentials: 'same-origin' });
            if (!response.ok) {
                throw new Error(await response.text());
            }
        } catch {
            if (generation === this.generation) {
                this.host.dataset.full = 'failed';
            }
            return;
        }
        if (generation !== this.generation) {
            return;
        }
        const bounds = this.viewer.world.getItemAt(0)?.getBounds();
        this.viewer.addTiledImage({
            tileSource: url,
            x: bounds?.x ?? 0, y: bounds?.y ?? 0, width: bounds?.width ?? 1,
            success: event => {
                const item = (event as unknown as { item: OpenSeadragon.TiledImage }).item;
                if (generation !== this.generation) {
                    this.viewer.world.removeItem(item);
                    return;
                }
                this.fullItem = item;
                // Decided now, not when requested: a layer render may have come or gone meanwhile.
                item.setOpacity(this.layersItem ? 0 : 1);
                if (this.layersItem) {
                    this.viewer.world.setItemIndex(this.layersItem, this.viewer.world.getItemCount() - 1);
                }
                this.host.dataset.full = 'loaded';
                this.onDidLoadFullEmitter.fire();
            },
            error: () => {
                if (generation === this.generation) {
                    this.host.dataset.full = 'failed';
                }
            }
        } as OpenSeadragon.TileSourceSpecifier);
    }

    /** Fetches the layer render (its approximations travel in a header), then lays it over the image; a newer request cancels an older one. */
    protected async showLayers(url: string | undefined): Promise<void> {
        this.layersFetch?.abort();
        this.layersFetch = undefined;
        const generation = this.generation;
        const token = `${generation}:${url}`;
        const current = () => token === `${this.generation}:${this.content?.layersUrl}`;
        this.host.dataset.layers = url ? 'loading' : 'none';
        if (!url) {
            this.removeLayersItem();
            this.fullItem?.setOpacity(1);
            this.onDidRenderLayersEmitter.fire({});
            return;
        }
        const abort = new AbortController();
        this.layersFetch = abort;
        let objectUrl: string | undefined;
        try {
            const response = await fetch(url, { credentials: 'same-origin', signal: abort.signal });
            if (!response.ok) {
                throw new Error(await response.text());
            }
            const header = response.headers.get(MediaRoutes.APPROXIMATIONS_HEADER);
            const approximations = header ? JSON.parse(decodeURIComponent(header)) as RenderNote[] : [];
            objectUrl = URL.createObjectURL(await response.blob());
            if (!current()) {
                URL.revokeObjectURL(objectUrl);
                return;
            }
            const loaded = objectUrl;
            const bounds = this.viewer.world.getItemAt(0)?.getBounds();
            this.viewer.addSimpleImage({
                url: loaded,
                x: bounds?.x ?? 0, y: bounds?.y ?? 0, width: bounds?.width ?? 1,
                success: event => {
                    const item = (event as unknown as { item: OpenSeadragon.TiledImage }).item;
                    if (!current()) {
                        this.viewer.world.removeItem(item);
                        URL.revokeObjectURL(loaded);
                        return;
                    }
                    this.removeLayersItem();
                    this.layersItem = item;
                    this.layerObjectUrl = loaded;
                    // The file's own composite would show through the render's transparent areas.
                    this.viewer.world.getItemAt(0)?.setOpacity(0);
                    this.fullItem?.setOpacity(0);
                    this.host.dataset.layers = url;
                    this.onDidRenderLayersEmitter.fire({ approximations });
                },
                error: () => {
                    URL.revokeObjectURL(loaded);
                    if (current()) {
                        this.host.dataset.layers = 'failed';
                        this.onDidRenderLayersEmitter.fire({ error: 'The layer render could not be shown.' });
                    }
                }
            } as OpenSeadragon.SimpleImageOptions);
        } catch (error) {
            if (abort.signal.aborted || !current()) {
                return;
            }
            this.host.dataset.layers = 'failed';
            this.onDidRenderLayersEmitter.fire({ error: error instanceof Error ? error.message : String(error) });
        }
    }

    protected removeLayersItem(): void {
        if (this.layersItem) {
            this.viewer.world.removeItem(this.layersItem);
            this.layersItem = undefined;
            this.viewer.world.getItemAt(0)?.setOpacity(1);
        }
        if (this.layerObjectUrl) {
            URL.revokeObjectURL(this.layerObjectUrl);
            this.layerObjectUrl = undefined;
        }
    }

    zoomBy(factor: number): void {
        this.moved = true;
        this.viewer.viewport.zoomBy(factor);
        this.viewer.viewport.applyConstraints();
    }

    /** The whole image in view, but never larger than 100 % unless `enlarge` (then small images fill the view too). */
    fit(enlarge = false): void {
        this.limitFit(enlarge);
        this.viewer.viewport.goHome();
        this.limitFit();
        // Fitted again on resize, as when the image opened.
        this.moved = enlarge;
    }

    /** One image pixel to one screen pixel (device pixels aside). */
    actualSize(): void {
        const actual = this.actualZoom;
        if (actual !== undefined) {
            this.moved = true;
            this.viewer.viewport.zoomTo(actual);
        }
    }

    /** Zoom as a percentage of the image's own pixels: where the zoom is going, so a label shows the zoom being set. */
    get zoomPercent(): number | undefined {
        const actual = this.actualZoom;
        return actual ? Math.round(this.viewer.viewport.getZoom(false) / actual * 100) : undefined;
    }

    /** The viewport zoom at which the image shows at 100 %, once its width is known. */
    protected get actualZoom(): number | undefined {
        const width = this.content?.width;
        const container = this.viewer.viewport.getContainerSize().x;
        return width && container ? width / container : undefined;
    }

    /** Caps the home zoom (Fit, and the zoom an image opens at) at 100 %, unless `enlarge`. */
    protected limitFit(enlarge = false): void {
        const viewport = this.viewer.viewport as unknown as HomeZoomSetting & OpenSeadragon.Viewport;
        viewport.defaultZoomLevel = 0;
        const fitted = viewport.getHomeZoom();
        const actual = this.actualZoom;
        viewport.defaultZoomLevel = !enlarge && actual !== undefined && actual < fitted ? actual : 0;
    }

    /** Until the user moves the view, it stays at Fit as the stage resizes or the image's size becomes known. */
    protected followFit(): void {
        this.limitFit();
        if (this.moved || !this.viewer.world.getItemCount()) {
            this.onDidChangeZoomEmitter.fire(this.zoomPercent);
            return;
        }
        this.homing = true;
        try {
            this.viewer.viewport.goHome(true);
        } finally {
            this.homing = false;
        }
        this.recordView();
    }

    dispose(): void {
        this.layersFetch?.abort();
        this.removeLayersItem();
        this.viewer.destroy();
        this.onDidChangeViewEmitter.dispose();
        this.onDidRenderLayersEmitter.dispose();
        this.onDidLoadFullEmitter.dispose();
        this.onDidChangeZoomEmitter.dispose();
    }
}

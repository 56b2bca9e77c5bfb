import * as React from '@theia/core/shared/react';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { nls } from '@theia/core/lib/common/nls';
import { plural } from '@imageparser/archive-core/lib/common/plural';
import { MessageService } from '@theia/core/lib/common/message-service';
import { CommandService } from '@theia/core/lib/common/command';
import { codicon } from '@theia/core/lib/browser/widgets/widget';
import { ReactWidget } from '@theia/core/lib/browser/widgets/react-widget';
import { StatefulWidget } from '@theia/core/lib/browser/shell/shell-layout-restorer';
import { ApplicationShell, MAXIMIZED_CLASS } from '@theia/core/lib/browser/shell/application-shell';
import { ConfirmDialog } from '@theia/core/lib/browser/dialogs';
import { AssetDetails, AssetDetailsService, AssetVersion } from '@imageparser/archive-core/lib/common/asset-details-protocol';
import type { AiTagSuggestion } from '@imageparser/archive-core/lib/common/ai-protocol';
import type { AssetComment } from '@imageparser/archive-core/lib/common/annotation-protocol';
import { MediaRoutes } from '@imageparser/archive-core/lib/common/media-protocol';
import { AssetLocation } from '@imageparser/archive-core/lib/common/asset-location';
import { SearchModel } from '@imageparser/search-view/lib/browser/search-model';
import { SearchCommands } from '@imageparser/search-view/lib/browser/search-commands';
import { AnnotationModel } from './annotation-model';
import { CommentThread } from './comment-thread';
import { DeepZoomStage } from './deep-zoom-stage';
import { ViewerFileActions } from './viewer-file-actions';
import { LayerExplorer } from './layer-explorer';
import { MetadataPanel } from './metadata-panel';
import { RatingStars } from './rating-stars';
import { TagEditor } from './tag-editor';
import { AiTagSuggestions } from './ai-tag-suggestions';
import { AiDetailsPanel } from './ai-details-panel';
import { ViewerCommands } from './viewer-commands';
import { ViewerModel } from './viewer-model';
import { VersionsPanel } from './versions-panel';
import { describeArchiveError } from '@imageparser/archive-core/lib/browser/archive-error-messages';
import { ArchiveChangeEvents } from '@imageparser/archive-core/lib/browser/archive-change-events';

/** While the archive keeps changing (the AI phases at work), the shown asset's details refresh at most this often. */
const REFRESH_EVERY_MS = 3000;

type PanelId = 'layers' | 'annotations' | 'ai' | 'versions' | 'info';

/**
 * The lightbox: one asset in the main area, zoomable (OpenSeadragon over the
 * media routes), previous/next through the search results, and the side
 * panel with the layer explorer, tags (with the AI's suggestions to accept
 * or reject), rating, comments, what the AI phases made of the image, and metadata.
 * Keys while it has focus: ←/→ previous/next, 0-5 rating, +/- zoom, F fit
 * (at most 100 %; Shift+F enlarges small images too), A actual size, Ctrl+Z
 * undoes the last tag or rating change, Esc leaves full screen (or the
 * maximized editor area) first, then closes the viewer.
 */
@injectable()
export class ViewerWidget extends ReactWidget implements StatefulWidget {

    static readonly ID = 'imageparser-viewer';

    @inject(AssetDetailsService) protected readonly detailsService: AssetDetailsService;
    @inject(AnnotationModel) readonly annotations: AnnotationModel;
    @inject(SearchModel) protected readonly search: SearchModel;
    @inject(MessageService) protected readonly messages: MessageService;
    @inject(ViewerFileActions) protected readonly fileActions: ViewerFileActions;
    @inject(CommandService) protected readonly commands: CommandService;
    @inject(ApplicationShell) protected readonly shell: ApplicationShell;
    @inject(ArchiveChangeEvents) protected readonly archiveChanges: ArchiveChangeEvents;

    model: ViewerModel;
    protected stage: DeepZoomStage | undefined;
    protected readonly stageHost = document.createElement('div');
    protected panel: PanelId = 'annotations';
    protected status: string | undefined;
    protected refreshTimer: number | undefined;
    protected lastRefresh = 0;

    @postConstruct()
    protected init(): void {
        this.id = ViewerWidget.ID;
        this.title.label = nls.localize('imageparser/viewer/title', 'Viewer');
        this.title.iconClass = codicon('file-media');
        this.title.closable = true;
        this.addClass('imageparser-viewer');
        this.node.tabIndex = 0;
        this.stageHost.className = 'imageparser-viewer-stage';
        this.model = new ViewerModel(this.detailsService, this.annotations);
        this.toDispose.push({ dispose: () => this.model.dispose() });
        this.toDispose.push(this.model.onDidChange(() => this.modelChanged()));
        this.toDispose.push(this.fileActions.onDidChange(() => this.update()));
        this.node.addEventListener('keydown', event => this.handleKey(event));
        // The results can change under the viewer (a refresh after an edit re-sorts them): keep its place by asset.
        this.toDispose.push(this.search.onDidChange(() => this.followResults()));
        // Captions, AI tags and OCR text arrive while the image is shown: its details follow the archive.
        this.toDispose.push(this.archiveChanges.onDidChange(() => this.followArchive()));
        this.toDispose.push({ dispose: () => window.clearTimeout(this.refreshTimer) });
    }

    protected followArchive(): void {
        if (this.refreshTimer !== undefined || this.model.assetId === undefined) {
            return;
        }
        const wait = Math.max(0, this.lastRefresh + REFRESH_EVERY_MS - Date.now());
        this.refreshTimer = window.setTimeout(() => {
            this.refreshTimer = undefined;
            this.lastRefresh = Date.now();
            this.model.refresh();
        }, wait);
    }

    protected async followResults(): Promise<void> {
        if (await this.model.followResults(this.search)) {
            this.update();
        }
    }

    /** A reloaded window shows the same asset again (its place in results that no longer exist is not kept). */
    storeState(): object | undefined {
        return this.model.assetId === undefined ? undefined : { assetId: this.model.assetId, panel: this.panel };
    }

    restoreState(state: object): void {
        const { assetId, panel } = state as { assetId?: unknown; panel?: unknown };
        if (panel === 'layers' || panel === 'annotations' || panel === 'ai' || panel === 'versions' || panel === 'info') {
            this.panel = panel;
        }
        if (typeof assetId === 'number' && Number.isSafeInteger(assetId) && assetId > 0) {
            this.openAsset(assetId);
        }
    }

    /** Shows an asset; `resultIndex` is its place in the search results, for previous/next. */
    async openAsset(assetId: number, resultIndex?: number): Promise<void> {
        this.status = undefined;
        await this.model.open(assetId, resultIndex);
    }

    protected modelChanged(): void {
        const details = this.model.details;
        if (details) {
            const location = details.files[0]?.location ?? this.model.versions?.location;
            const name = location ? AssetLocation.name(location) : `#${details.assetId}`;
            this.title.label = details.superseded ? nls.localize('imageparser/viewer/earlierVersionTitle', '{0} (earlier version)', name) : name;
            this.title.caption = location ? AssetLocation.display(location) : name;
        }
        if (this.model.assetId !== undefined) {
            this.ensureStage().show({ assetId: this.model.assetId, width: details?.width, layersUrl: this.model.layersUrl, previewOnly: this.model.previewOnly });
        }
        this.update();
    }

    protected ensureStage(): DeepZoomStage {
        if (!this.stage) {
            this.stage = new DeepZoomStage(this.stageHost);
            this.toDispose.push(this.stage.onDidRenderLayers(({ approximations, error }) => this.model.layersRendered(approximations, error)));
            this.toDispose.push(this.stage.onDidChangeZoom(percent => this.updateZoomLabel(percent)));
            this.toDispose.push({ dispose: () => this.stage?.dispose() });
        }
        return this.stage;
    }

    /** The zoom label follows every zoom at once, without rendering the whole viewer. */
    protected updateZoomLabel(percent: number | undefined): void {
        const label = this.node.querySelector('.imageparser-viewer-zoom');
        if (label) {
            label.textContent = zoomText(percent);
        }
    }

    protected override onActivateRequest(): void {
        this.node.focus();
    }

    protected override onResize(): void {
        this.update();
    }

    get assetId(): number | undefined {
        return this.model.assetId;
    }

    /**
     * Steps through the search results; false at either end. A position
     * between two results (the asset left them) steps to the neighbour on
     * that side.
     */
    async step(delta: number): Promise<boolean> {
        const stepped = await this.model.step(this.search, delta);
        if (stepped) {
            // As openAsset: a note about the asset left behind goes with it.
            this.status = undefined;
            this.update();
        }
        return stepped;
    }

    zoomIn(): void { this.stage?.zoomBy(1.5); }
    zoomOut(): void { this.stage?.zoomBy(1 / 1.5); }
    /** Fits the image in view; small images stay at 100 % unless `enlarge` (Shift+F). */
    zoomFit(enlarge = false): void { this.stage?.fit(enlarge); }
    zoomActual(): void { this.stage?.actualSize(); }

    async rate(rating: number): Promise<void> {
        if (this.model.details?.superseded) {
            this.status = nls.localize('imageparser/viewer/rateCurrentVersion', 'Rate the current version: an earlier version has no rating of its own.');
            this.update();
            return;
        }
        if (this.model.assetId !== undefined) {
            await this.report(this.annotations.setRating([this.model.assetId], rating),
                nls.localize('imageparser/viewer/rated', 'Rated {0}.', rating)).catch(() => undefined);
        }
    }

    async undo(): Promise<void> {
        const record = await this.annotations.undo();
        this.status = record
            ? nls.localize('imageparser/viewer/undone', 'Undone: {0}', record.kind === 'ai-tags-accepted' || record.kind === 'ai-tags-rejected'
                ? aiDecisionText(record.kind, record.tags ?? [], record.assetIds.length)
                : record.kind === 'rating'
                ? plural(record.assetIds.length,
                    nls.localize('imageparser/viewer/undoneRating/one', 'rating {0} on {1} image', record.rating ?? 0, record.assetIds.length),
                    nls.localize('imageparser/viewer/undoneRating/other', 'rating {0} on {1} images', record.rating ?? 0, record.assetIds.length))
                : plural(record.assetIds.length,
                    nls.localize('imageparser/viewer/undoneTags/one', 'tags {0} on {1} image', (record.tags ?? []).join(', '), record.assetIds.length),
                    nls.localize('imageparser/viewer/undoneTags/other', 'tags {0} on {1} images', (record.tags ?? []).join(', '), record.assetIds.length)))
            : nls.localize('imageparser/viewer/nothingToUndo', 'Nothing to undo.');
        this.update();
    }

    /** Runs an edit, says how it went; rejects when it failed, so a form keeps what the user typed. */
    protected async report(work: Promise<unknown>, done: string): Promise<void> {
        try {
            await work;
            this.status = done;
            this.update();
        } catch (error) {
            this.status = undefined;
            this.messages.error(describeArchiveError(error));
            this.update();
            throw error;
        }
    }

    protected handleKey(event: KeyboardEvent): void {
        const target = event.target as HTMLElement;
        if (target.closest('input, textarea, select, [contenteditable="true"]') || event.altKey) {
            return;
        }
        const plain = !event.ctrlKey && !event.metaKey;
        let handled = true;
        if (plain && event.key === 'ArrowRight') {
            this.step(1);
        } else if (plain && event.key === 'ArrowLeft') {
            this.step(-1);
        } else if (plain && /^[0-5]$/.test(event.key)) {
            this.rate(Number(event.key));
        } else if (plain && (event.key === '+' || event.key === '=')) {
            this.zoomIn();
        } else if (plain && event.key === '-') {
            this.zoomOut();
        } else if (plain && event.key.toLowerCase() === 'f') {
            this.zoomFit(event.shiftKey);
        } else if (plain && event.key.toLowerCase() === 'a') {
            this.zoomActual();
        } else if (plain && event.key === 'Escape' && !event.shiftKey) {
            this.escape();
        } else {
            handled = false;
        }
        if (handled) {
            event.preventDefault();
            event.stopPropagation();
        }
    }

    /** Esc: out of full screen, then out of the maximized editor area, then the viewer closes (the results get the focus back). */
    escape(): void {
        if (document.fullscreenElement) {
            document.exitFullscreen().catch(() => undefined);
        } else if (this.shell.mainPanel.hasClass(MAXIMIZED_CLASS)) {
            this.shell.toggleMaximized(this);
        } else {
            this.close();
            if (this.search.result) {
                this.commands.executeCommand(SearchCommands.FOCUS_RESULTS.id);
            }
        }
    }

    protected attachStage = (element: HTMLDivElement | null): void => {
        if (element && this.stageHost.parentElement !== element) {
            element.appendChild(this.stageHost);
        }
    };

    protected render(): React.ReactNode {
        const { model } = this;
        const details = model.details;
        const position = model.resultIndex !== undefined && Number.isInteger(model.resultIndex) && this.search.total
            ? nls.localize('imageparser/viewer/position', '{0} of {1}', model.resultIndex + 1, this.search.total) : undefined;
        const desktop = this.fileActions.canUseDesktop(details);
        const isPsd = details?.kind === 'psd' || details?.kind === 'psb';
        const versionCount = model.versions?.versions.length ?? 0;
        const panel = (this.panel === 'layers' && !isPsd) || (this.panel === 'versions' && versionCount < 2) ? 'annotations' : this.panel;
        return <div className='imageparser-viewer-layout'>
            <div className='imageparser-viewer-main'>
                <div className='imageparser-viewer-toolbar' role='toolbar' aria-label={nls.localize('imageparser/viewer/toolbar', 'Viewer tools')}>
                    {this.toolButton('arrow-left', nls.localize('imageparser/viewer/previous', 'Previous (←)'), () => this.step(-1), model.resultIndex === undefined || model.resultIndex <= 0, 'previous')}
                    {position && <span className='imageparser-viewer-position'>{position}</span>}
                    {this.toolButton('arrow-right', nls.localize('imageparser/viewer/next', 'Next (→)'), () => this.step(1),
                        model.resultIndex === undefined || model.resultIndex + 1 > this.search.total - 1, 'next')}
                    <span className='imageparser-viewer-separator' />
                    {this.toolButton('zoom-out', nls.localize('imageparser/viewer/zoomOut', 'Zoom out (-)'), () => this.zoomOut(), false, 'zoom-out')}
                    <span className='imageparser-viewer-zoom' aria-live='polite'>{zoomText(this.stage?.zoomPercent)}</span>
                    {this.toolButton('zoom-in', nls.localize('imageparser/viewer/zoomIn', 'Zoom in (+)'), () => this.zoomIn(), false, 'zoom-in')}
                    <button type='button' className='theia-button secondary imageparser-viewer-fit' onClick={event => this.zoomFit(event.shiftKey)}
                        title={nls.localize('imageparser/viewer/fitTitle', 'Fit the image in view, at most 100 %; Shift+F also enlarges small images')}>
                        {nls.localize('imageparser/viewer/fit', 'Fit (F)')}
                    </button>
                    <button type='button' className='theia-button secondary imageparser-viewer-actual' onClick={() => this.zoomActual()}>{nls.localize('imageparser/viewer/actualSize', '100% (A)')}</button>
                    <span className='imageparser-viewer-separator' />
                    {this.toolButton('search', nls.localize('imageparser/viewer/findSimilar', 'Find similar'), () => this.findSimilar(), model.assetId === undefined, 'similar')}
                    {details && desktop && this.toolButton('folder-opened', nls.localize('imageparser/viewer/reveal', 'Reveal in folder'), () => this.fileActions.reveal(details), false, 'reveal')}
                    {details && desktop && this.toolButton('link-external', nls.localize('imageparser/viewer/openOriginal', 'Open with the default program'),
                        () => this.fileActions.openWithSystemApp(details), false, 'open')}
                    {details && this.fileActions.canCopyPath(details) && this.toolButton('copy', nls.localize('imageparser/viewer/copyPath', 'Copy path'), () => this.copyPath(), false, 'copy-path')}
                    {!desktop && model.assetId !== undefined && !model.previewOnly && <a className={`imageparser-viewer-tool ${codicon('desktop-download')}`} data-tool='download'
                        href={MediaRoutes.originalUrl(model.assetId, true)} download title={nls.localize('imageparser/viewer/download', 'Download the original')}
                        aria-label={nls.localize('imageparser/viewer/download', 'Download the original')} />}
                </div>
                {model.details?.superseded && this.renderEarlierVersionNote()}
                {!model.details?.superseded && model.missing && <div className='imageparser-viewer-earlier' role='status'>
                    <span className={codicon('warning')} />
                    <span>{nls.localize('imageparser/viewer/missingNote', 'The file is missing from disk: preview only.')}</span>
                </div>}
                {model.error && <div className='imageparser-viewer-error' role='alert'>{model.error}</div>}
                {model.layersError && <div className='imageparser-viewer-error' role='alert'>{model.layersError}</div>}
                <div className='imageparser-viewer-stage-frame' ref={this.attachStage} />
                {this.status && <div className='imageparser-viewer-status' role='status'>{this.status}</div>}
            </div>
            {details && <div className='imageparser-viewer-side'>
                <div className='imageparser-viewer-tabs' role='tablist'>
                    {isPsd && this.tab('layers', nls.localize('imageparser/viewer/layersTab', 'Layers'), panel)}
                    {this.tab('annotations', nls.localize('imageparser/viewer/annotationsTab', 'Tags & comments'), panel)}
                    {this.tab('ai', nls.localize('imageparser/viewer/aiTab', 'AI'), panel)}
                    {versionCount > 1 && this.tab('versions', nls.localize('imageparser/viewer/versionsTab', 'Versions ({0})', versionCount), panel)}
                    {this.tab('info', nls.localize('imageparser/viewer/infoTab', 'Info'), panel)}
                </div>
                <div className='imageparser-viewer-panel' role='tabpanel'>
                    {panel === 'layers' && <LayerExplorer key={`layers-${details.assetId}`} model={model} />}
                    {panel === 'annotations' && details.superseded && <div className='imageparser-viewer-note'>
                        {nls.localize('imageparser/viewer/annotationsOnCurrent', 'Tags, rating and comments belong to the file, and live on its current version.')}
                    </div>}
                    {panel === 'annotations' && !details.superseded && <>
                        <RatingStars rating={details.rating} onRate={rating => this.rate(rating)} />
                        <TagEditor key={`tags-${details.assetId}`} tags={details.tags} suggest={text => this.annotations.suggestTags(text)}
                            onAdd={tags => this.report(this.annotations.addTags([details.assetId], tags), nls.localize('imageparser/viewer/tagged', 'Tagged {0}.', tags.join(', ')))}
                            onRemove={tag => this.report(this.annotations.removeTags([details.assetId], [tag]), nls.localize('imageparser/viewer/untagged', 'Removed tag {0}.', tag)).catch(() => undefined)} />
                        <AiTagSuggestions key={`ai-tags-${details.assetId}`} suggestions={pendingAiTags(details)} imageCount={1}
                            onAccept={names => this.report(this.annotations.acceptAiTags([details.assetId], names),
                                nls.localize('imageparser/viewer/ai/accepted', 'Accepted {0}: now tags of the image.', names.join(', ')))}
                            onReject={names => this.report(this.annotations.rejectAiTags([details.assetId], names),
                                nls.localize('imageparser/viewer/ai/rejected', 'Rejected {0}: not suggested again for this image.', names.join(', ')))} />
                        <div className='imageparser-viewer-section-label'>{nls.localize('imageparser/viewer/comments', 'Comments')}</div>
                        <CommentThread key={`comments-${details.assetId}`} comments={model.comments}
                            onAdd={body => this.report(this.annotations.addComment(details.assetId, body), nls.localize('imageparser/viewer/commented', 'Comment added.'))}
                            onEdit={(comment, body) => this.report(this.annotations.editComment(comment, body), nls.localize('imageparser/viewer/commentEdited', 'Comment edited; the earlier version is kept.'))}
                            onDelete={comment => this.deleteComment(comment)} />
                    </>}
                    {panel === 'versions' && model.versions && <VersionsPanel versions={model.versions} shown={details.assetId}
                        onOpen={version => this.openVersion(version)} onCompare={version => this.compareWithCurrent(version)} />}
                    {panel === 'ai' && <AiDetailsPanel ai={details.ai} />}
                    {panel === 'info' && <MetadataPanel details={details} />}
                </div>
            </div>}
        </div>;
    }

    /** Deletes a comment once the user confirms it: a deleted comment and its earlier versions cannot be brought back. */
    protected async deleteComment(comment: AssetComment): Promise<void> {
        const characters = [...comment.body];
        const excerpt = characters.length > 80 ? `${characters.slice(0, 80).join('')}…` : comment.body;
        const confirmed = await new ConfirmDialog({
            title: nls.localize('imageparser/viewer/deleteCommentTitle', 'Delete Comment'),
            msg: nls.localize('imageparser/viewer/deleteCommentMessage', 'Delete the comment “{0}” by {1}? It cannot be brought back.', excerpt, comment.author),
            ok: nls.localize('imageparser/viewer/delete', 'Delete'),
            cancel: nls.localize('imageparser/viewer/cancel', 'Cancel')
        }).open();
        if (confirmed) {
            await this.report(this.annotations.deleteComment(comment), nls.localize('imageparser/viewer/commentDeleted', 'Comment deleted.'));
        }
    }

    /** Says that only the preview of an earlier version is shown, and leads back to the current one. */
    protected renderEarlierVersionNote(): React.ReactNode {
        const current = this.model.currentVersion;
        return <div className='imageparser-viewer-earlier' role='status'>
            <span className={codicon('history')} />
            <span>{nls.localize('imageparser/viewer/earlierVersionNote', 'Earlier version: preview only. The file holds other content now, so the original bytes of this one are gone.')}</span>
            {current && <button type='button' className='theia-button secondary' onClick={() => this.openVersion(current)}>
                {nls.localize('imageparser/viewer/openCurrentVersion', 'Open the current version')}
            </button>}
        </div>;
    }

    /** Shows a version of the file in this viewer (outside the search results' order). */
    async openVersion(version: AssetVersion): Promise<void> {
        await this.openAsset(version.assetId);
    }

    async compareWithCurrent(version: AssetVersion): Promise<void> {
        await this.commands.executeCommand(ViewerCommands.COMPARE_WITH_CURRENT.id, version.assetId);
    }

    protected tab(id: PanelId, label: string, current: PanelId): React.ReactNode {
        return <button type='button' role='tab' aria-selected={current === id} className={`imageparser-viewer-tab${current === id ? ' active' : ''}`}
            data-panel={id} onClick={() => { this.panel = id; this.update(); }}>{label}</button>;
    }

    protected toolButton(icon: string, label: string, action: () => unknown, disabled: boolean, tool: string): React.ReactNode {
        return <button type='button' className={`imageparser-viewer-tool ${codicon(icon)}`} title={label} aria-label={label} disabled={disabled}
            data-tool={tool} onClick={() => action()} />;
    }

    async findSimilar(): Promise<void> {
        if (this.model.assetId !== undefined) {
            await this.search.findSimilar([this.model.assetId], 'or');
            await this.commands.executeCommand(SearchCommands.OPEN_RESULTS.id, true);
        }
    }

    protected async copyPath(): Promise<void> {
        if (!this.model.details || !await this.fileActions.copyPath(this.model.details)) {
            return;
        }
        this.status = nls.localize('imageparser/viewer/pathCopied', 'Path copied.');
        this.update();
    }
}

/** The AI tags of the asset nobody decided on yet, as suggestions for it alone. */
function pendingAiTags(details: AssetDetails): AiTagSuggestion[] {
    return (details.ai?.aiTags ?? []).filter(tag => tag.state === 'suggested').map(tag => ({ name: tag.name, assetCount: 1, confidence: tag.confidence }));
}

/** What an undone decision on AI tags was, for the status line. */
export function aiDecisionText(kind: 'ai-tags-accepted' | 'ai-tags-rejected', tags: readonly string[], imageCount: number): string {
    const names = tags.join(', ');
    return kind === 'ai-tags-accepted'
        ? plural(imageCount, nls.localize('imageparser/viewer/undoneAccepted/one', 'accepting the AI tags {0} on {1} image', names, imageCount),
            nls.localize('imageparser/viewer/undoneAccepted/other', 'accepting the AI tags {0} on {1} images', names, imageCount))
        : plural(imageCount, nls.localize('imageparser/viewer/undoneRejected/one', 'rejecting the AI tags {0} on {1} image', names, imageCount),
            nls.localize('imageparser/viewer/undoneRejected/other', 'rejecting the AI tags {0} on {1} images', names, imageCount));
}

function zoomText(percent: number | undefined): string {
    return percent ? `${percent}%` : '';
}

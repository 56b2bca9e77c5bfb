import * as React from '@theia/core/shared/react';
import { injectable, postConstruct } from '@theia/core/shared/inversify';
import { nls } from '@theia/core/lib/common/nls';
import { codicon } from '@theia/core/lib/browser/widgets/widget';
import { ReactWidget } from '@theia/core/lib/browser/widgets/react-widget';
import { DeepZoomStage } from './deep-zoom-stage';

export interface CompareItem {
    readonly assetId: number;
    readonly name: string;
    readonly width?: number;
    /** Only the stored preview exists (an earlier version of a file). */
    readonly previewOnly?: boolean;
}

/**
 * Compare mode: 2 to 4 assets side by side, each zoomable; zooming or
 * panning one moves the others to the same place (the images are matched by
 * their width), so details line up.
 */
@injectable()
export class CompareWidget extends ReactWidget {

    static readonly ID = 'imageparser-compare';
    static readonly MAX = 4;

    protected items: readonly CompareItem[] = [];
    protected stages: DeepZoomStage[] = [];
    protected hosts: HTMLDivElement[] = [];
    protected linked = true;

    @postConstruct()
    protected init(): void {
        this.id = CompareWidget.ID;
        this.title.label = nls.localize('imageparser/viewer/compareTitle', 'Compare');
        this.title.iconClass = codicon('split-horizontal');
        this.title.closable = true;
        this.addClass('imageparser-compare');
        this.node.tabIndex = 0;
        this.toDispose.push({ dispose: () => this.disposeStages() });
        this.node.addEventListener('keydown', event => {
            if (event.target instanceof HTMLInputElement) {
                return;
            }
            const stage = this.stages[0];
            if (!stage) {
                return;
            }
            if (event.key === '+' || event.key === '=') {
                stage.zoomBy(1.5);
            } else if (event.key === '-') {
                stage.zoomBy(1 / 1.5);
            } else if (event.key.toLowerCase() === 'f') {
                this.stages.forEach(each => each.fit());
            } else {
                return;
            }
            event.preventDefault();
        });
    }

    showItems(items: readonly CompareItem[]): void {
        if (items.length < 2 || items.length > CompareWidget.MAX) {
            throw new Error(nls.localize('imageparser/viewer/compareCount', 'Select 2 to 4 images to compare.'));
        }
        this.disposeStages();
        this.items = items;
        this.title.caption = items.map(item => item.name).join(' · ');
        this.hosts = items.map(() => {
            const host = document.createElement('div');
            host.className = 'imageparser-viewer-stage';
            return host;
        });
        this.update();
    }

    get stageCount(): number {
        return this.stages.length;
    }

    protected disposeStages(): void {
        this.stages.forEach(stage => stage.dispose());
        this.stages = [];
    }

    protected override onActivateRequest(): void {
        this.node.focus();
    }

    protected override onUpdateRequest(msg: Parameters<ReactWidget['onUpdateRequest']>[0]): void {
        super.onUpdateRequest(msg);
        // The stages need their hosts in the page; create them once React has placed the hosts.
        requestAnimationFrame(() => this.createStages());
    }

    protected createStages(): void {
        if (this.stages.length || !this.hosts.length || !this.hosts.every(host => host.isConnected)) {
            return;
        }
        this.stages = this.hosts.map((host, index) => {
            const stage = new DeepZoomStage(host);
            stage.show({ assetId: this.items[index].assetId, width: this.items[index].width, previewOnly: this.items[index].previewOnly });
            return stage;
        });
        this.stages.forEach(leader => leader.onDidChangeView(view => {
            if (this.linked) {
                this.stages.filter(stage => stage !== leader).forEach(stage => stage.showView(view));
            }
        }));
    }

    protected render(): React.ReactNode {
        return <div className='imageparser-compare-layout'>
            <div className='imageparser-viewer-toolbar'>
                <label>
                    <input type='checkbox' checked={this.linked} onChange={event => { this.linked = event.target.checked; this.update(); }} />
                    {nls.localize('imageparser/viewer/linkViews', 'Zoom and pan together')}
                </label>
                <button type='button' className='theia-button secondary' onClick={() => this.stages.forEach(stage => stage.fit())}>{nls.localize('imageparser/viewer/fit', 'Fit (F)')}</button>
            </div>
            <div className={`imageparser-compare-grid count-${this.items.length}`}>
                {this.items.map((item, index) => <div key={`${item.assetId}-${index}`} className='imageparser-compare-cell' data-asset-id={item.assetId}>
                    <div className='imageparser-compare-name' title={item.name}>{item.name}</div>
                    <div className='imageparser-viewer-stage-frame' ref={element => {
                        const host = this.hosts[index];
                        if (element && host && host.parentElement !== element) {
                            element.appendChild(host);
                        }
                    }} />
                </div>)}
            </div>
        </div>;
    }
}

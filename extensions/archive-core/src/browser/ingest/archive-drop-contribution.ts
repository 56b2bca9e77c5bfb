import { inject, injectable } from '@theia/core/shared/inversify';
import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { nls } from '@theia/core/lib/common/nls';
import { ArchiveDropHandler } from './archive-drop-handler';
import { captureDrop } from './dropped-files';

/**
 * Makes the whole window a drop target for files and folders from outside:
 * while they are dragged over it, an overlay says what dropping does; a drop
 * adds them to the archive. Drops that Theia's own widgets handle (the file
 * explorer, editor tabs dragged inside the app) are left to them; Theia's
 * main area would otherwise open a dropped PSD as text.
 */
@injectable()
export class ArchiveDropContribution implements FrontendApplicationContribution {

    static readonly OVERLAY_CLASS = 'imageparser-drop-overlay';

    @inject(ArchiveDropHandler)
    protected readonly handler: ArchiveDropHandler;

    protected overlay: HTMLElement | undefined;

    onStart(): void {
        window.addEventListener('dragenter', event => this.onDragOver(event), true);
        window.addEventListener('dragover', event => this.onDragOver(event), true);
        window.addEventListener('dragleave', event => {
            if (!event.relatedTarget) {
                this.hideOverlay();
            }
        }, true);
        window.addEventListener('drop', event => this.onDrop(event), true);
    }

    protected isOurs(event: DragEvent): boolean {
        const types = Array.from(event.dataTransfer?.types ?? []);
        if (!types.includes('Files') || types.includes('theia-editor-dnd')) {
            return false;
        }
        // The file explorer uploads drops into the folder under the pointer; leave those to it.
        const target = event.target instanceof Element ? event.target : undefined;
        return !target?.closest('.theia-FileTree');
    }

    protected onDragOver(event: DragEvent): void {
        if (!this.isOurs(event)) {
            this.hideOverlay();
            return;
        }
        event.preventDefault();
        event.stopPropagation();
        event.dataTransfer!.dropEffect = 'copy';
        this.showOverlay();
    }

    protected onDrop(event: DragEvent): void {
        this.hideOverlay();
        if (!this.isOurs(event)) {
            return;
        }
        event.preventDefault();
        event.stopPropagation();
        this.handler.handle(captureDrop(event.dataTransfer!));
    }

    protected showOverlay(): void {
        if (!this.overlay) {
            this.overlay = document.createElement('div');
            this.overlay.className = ArchiveDropContribution.OVERLAY_CLASS;
            const label = document.createElement('div');
            label.className = `${ArchiveDropContribution.OVERLAY_CLASS}-label`;
            label.textContent = nls.localize('imageparser/archive-core/drop/overlay', 'Drop images or folders to add them to the archive');
            this.overlay.appendChild(label);
            document.body.appendChild(this.overlay);
        }
    }

    protected hideOverlay(): void {
        this.overlay?.remove();
        this.overlay = undefined;
    }
}

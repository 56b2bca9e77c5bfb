import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { Emitter, Event } from '@theia/core/lib/common/event';
import { ILogger } from '@theia/core/lib/common/logger';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import { ClipboardService } from '@theia/core/lib/browser/clipboard-service';
import type { AssetDetails, AssetFileDetails } from '@imageparser/archive-core/lib/common/asset-details-protocol';
import { AssetUri } from '@imageparser/archive-core/lib/common/asset-uri';
import { LocalPathErrors, LocalPathService } from '@imageparser/archive-core/lib/common/local-path-protocol';
import { desktopActions } from './desktop-actions';

/**
 * The viewer's actions on an asset's file that need its OS path: copy the
 * path, reveal it in its folder, open it with the default program. The path
 * is asked of {@link LocalPathService} when the action runs, never carried
 * by the asset's details; where the backend does not tell paths (a team
 * deployment) the actions are not offered.
 */
@injectable()
export class ViewerFileActions {

    @inject(LocalPathService) protected readonly localPaths: LocalPathService;
    @inject(ClipboardService) protected readonly clipboard: ClipboardService;
    @inject(ILogger) protected readonly logger: ILogger;
    @inject(MessageService) protected readonly messages: MessageService;

    protected readonly onDidChangeEmitter = new Emitter<void>();
    /** Fires once the backend said whether it tells paths. */
    readonly onDidChange: Event<void> = this.onDidChangeEmitter.event;

    /** Whether the backend tells this frontend the paths of files; false until it answered. */
    canResolvePaths = false;

    @postConstruct()
    protected init(): void {
        this.localPaths.isAvailable().then(available => {
            this.canResolvePaths = available;
            this.onDidChangeEmitter.fire();
        }, error => this.logger.warn(`Could not ask whether file paths are available: ${error instanceof Error ? error.message : String(error)}`));
    }

    /** The file the actions act on: the asset's first file on disk, else its first missing one. */
    fileOf(details: AssetDetails | undefined): AssetFileDetails | undefined {
        return details?.files.find(file => file.state !== 'missing') ?? details?.files[0];
    }

    /** Whether copying the file's path is offered. */
    canCopyPath(details: AssetDetails | undefined): boolean {
        return this.canResolvePaths && !!this.fileOf(details);
    }

    /** Whether revealing and opening the file are offered: the desktop app only, for a file on disk. */
    canUseDesktop(details: AssetDetails | undefined): boolean {
        const file = this.fileOf(details);
        return this.canResolvePaths && !!desktopActions() && !!file && file.state !== 'missing';
    }

    /** Copies the file's OS path to the clipboard; answers whether there was one to copy. */
    async copyPath(details: AssetDetails): Promise<boolean> {
        const path = await this.pathOf(details);
        if (path) {
            await this.clipboard.writeText(path);
        }
        return !!path;
    }

    async reveal(details: AssetDetails): Promise<void> {
        const path = await this.pathOf(details);
        if (path) {
            desktopActions()?.showItemInFolder(path);
        }
    }

    async openWithSystemApp(details: AssetDetails): Promise<void> {
        const path = await this.pathOf(details);
        if (path) {
            desktopActions()?.openWithSystemApp(path);
        }
    }

    /** The file's OS path, asked of the backend now; undefined (and the user told why) when it does not tell it. */
    protected async pathOf(details: AssetDetails): Promise<string | undefined> {
        const file = this.fileOf(details);
        try {
            return file && await this.localPaths.resolveLocalPath(AssetUri.create(details.assetId).toString(), file.location.fileId);
        } catch (error) {
            if (!LocalPathErrors.NotLocal.is(error as object | undefined)) {
                throw error;
            }
            this.canResolvePaths = false;
            this.onDidChangeEmitter.fire();
            this.messages.warn(nls.localize('imageparser/viewer/pathUnavailable', 'File paths are not available here: this archive is served to other computers.'));
            return undefined;
        }
    }
}

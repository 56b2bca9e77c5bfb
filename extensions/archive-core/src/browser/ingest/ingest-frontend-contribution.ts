import { inject, injectable } from '@theia/core/shared/inversify';
import { Command, CommandContribution, CommandRegistry } from '@theia/core/lib/common/command';
import { MenuContribution, MenuModelRegistry } from '@theia/core/lib/common/menu';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import { CommonMenus } from '@theia/core/lib/browser/common-menus';
import { FileDialogService } from '@theia/filesystem/lib/browser/file-dialog/file-dialog-service';
import { IngestService } from '../../common/ingest-protocol';
import { describeArchiveError } from '../archive-error-messages';
import { FileProblemService } from '../../common/file-problem-protocol';
import { FileProblemCommands } from './file-problem-commands';

export namespace IngestCommands {
    export const ADD_FOLDER = Command.toLocalizedCommand({
        id: 'imageparser.ingest.addFolder',
        label: 'Add Folder to Archive…',
        category: 'ImageParser'
    }, 'imageparser/archive-core/commands/addFolder', 'imageparser/archive-core/category');
}

/**
 * "ImageParser: Add Folder to Archive…" in the command palette and the File
 * menu, and "Retry Failed Files" (its runs show progress like any other).
 */
@injectable()
export class IngestFrontendContribution implements CommandContribution, MenuContribution {

    @inject(FileDialogService)
    protected readonly fileDialogs: FileDialogService;

    @inject(IngestService)
    protected readonly ingestService: IngestService;

    @inject(MessageService)
    protected readonly messages: MessageService;

    @inject(FileProblemService)
    protected readonly problems: FileProblemService;

    registerCommands(registry: CommandRegistry): void {
        registry.registerCommand(IngestCommands.ADD_FOLDER, { execute: () => this.addFolder() });
        registry.registerCommand(FileProblemCommands.RETRY_FAILED, { execute: (fileIds?: unknown) => this.retryFailed(fileIds) });
    }

    /** Retries every failed file, or the ids given (from the failures list). */
    protected async retryFailed(fileIds?: unknown): Promise<number[]> {
        const ids = Array.isArray(fileIds) ? fileIds.filter((id): id is number => typeof id === 'number') : undefined;
        try {
            const runs = await this.problems.retryFailed(ids);
            if (!runs.length) {
                this.messages.info(nls.localize('imageparser/archive-core/ingest/nothingToRetry', 'No failed files to retry.'));
            }
            return runs;
        } catch (error) {
            this.messages.error(nls.localize('imageparser/archive-core/ingest/retryFailed', 'Cannot retry the failed files: {0}',
                error instanceof Error ? error.message : String(error)));
            return [];
        }
    }

    registerMenus(menus: MenuModelRegistry): void {
        menus.registerMenuAction(CommonMenus.FILE_OPEN, { commandId: IngestCommands.ADD_FOLDER.id, label: IngestCommands.ADD_FOLDER.label, order: 'z1' });
    }

    protected async addFolder(): Promise<void> {
        const folder = await this.fileDialogs.showOpenDialog({
            title: nls.localize('imageparser/archive-core/ingest/chooseFolder', 'Choose a folder of images to add to the archive'),
            canSelectFolders: true,
            canSelectFiles: false
        });
        if (!folder) {
            return;
        }
        try {
            await this.ingestService.addFolder(folder.toString());
        } catch (error) {
            this.messages.error(nls.localize('imageparser/archive-core/ingest/failed', 'Cannot add {0}: {1}',
                folder.path.fsPath(), describeArchiveError(error)));
        }
    }
}

import { inject, injectable, optional } from '@theia/core/shared/inversify';
import { CommandContribution, CommandRegistry } from '@theia/core/lib/common/command';
import { MenuContribution, MenuModelRegistry } from '@theia/core/lib/common/menu';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import URI from '@theia/core/lib/common/uri';
import { CommonMenus } from '@theia/core/lib/browser/common-menus';
import { ConfirmDialog } from '@theia/core/lib/browser/dialogs';
import { QuickInputService } from '@theia/core/lib/common/quick-pick-service';
import { EnvVariablesServer } from '@theia/core/lib/common/env-variables';
import { FileDialogService } from '@theia/filesystem/lib/browser/file-dialog/file-dialog-service';
import { ArchiveTransferService, ExportOptions, ExportScope } from '@imageparser/archive-core/lib/common/archive-transfer-protocol';
import { CollectionService } from '@imageparser/archive-core/lib/common/collection-protocol';
import { SearchModel } from '@imageparser/search-view/lib/browser/search-model';
import { ArchiveExportDialog } from './archive-export-dialog';
import { ArchiveImportDialog } from './archive-import-dialog';
import { ArchiveImportReportDialog } from './archive-import-report-dialog';
import { ArchiveTransferCommands, EXPORT_FILE_EXTENSION } from './archive-transfer-commands';
import { describeExportReport, describeTransferError, transferRefusal } from './archive-transfer-messages';
import { ArchiveTransferRunner } from './archive-transfer-runner';

/**
 * "Export Archive…", "Export Current Results…", "Export Collection as
 * Archive…" (a collection id as argument, else a pick) and "Import
 * Archive…": their dialogs, the backend's progress with Cancel, and the
 * result (a notification for an export, the report for an import). Files
 * are paths on the backend's machine, chosen in Theia's file dialogs.
 */
@injectable()
export class ArchiveTransferContribution implements CommandContribution, MenuContribution {

    @inject(ArchiveTransferService)
    protected readonly service: ArchiveTransferService;

    @inject(ArchiveTransferRunner)
    protected readonly runner: ArchiveTransferRunner;

    @inject(MessageService)
    protected readonly messages: MessageService;

    @inject(FileDialogService)
    protected readonly fileDialogs: FileDialogService;

    @inject(EnvVariablesServer)
    protected readonly environment: EnvVariablesServer;

    @inject(QuickInputService) @optional()
    protected readonly quickInput: QuickInputService | undefined;

    @inject(SearchModel)
    protected readonly searchModel: SearchModel;

    @inject(CollectionService) @optional()
    protected readonly collections: CollectionService | undefined;

    registerCommands(registry: CommandRegistry): void {
        registry.registerCommand(ArchiveTransferCommands.EXPORT_ARCHIVE, {
            execute: () => this.exportScope({ kind: 'archive' }, nls.localize('imageparser/collections/transfer/scope/archive', 'The whole archive'), 'archive')
        });
        registry.registerCommand(ArchiveTransferCommands.EXPORT_RESULTS, {
            execute: () => this.exportResults()
        });
        registry.registerCommand(ArchiveTransferCommands.EXPORT_COLLECTION, {
            execute: (collectionId?: unknown) => this.exportCollection(collectionId)
        });
        registry.registerCommand(ArchiveTransferCommands.IMPORT_ARCHIVE, {
            execute: () => this.importArchive()
        });
    }

    registerMenus(menus: MenuModelRegistry): void {
        const file = [...CommonMenus.FILE, '3_imageparser_transfer'];
        menus.registerMenuAction(file, { commandId: ArchiveTransferCommands.IMPORT_ARCHIVE.id, label: ArchiveTransferCommands.IMPORT_ARCHIVE.label, order: 'a' });
        menus.registerMenuAction(file, { commandId: ArchiveTransferCommands.EXPORT_ARCHIVE.id, label: ArchiveTransferCommands.EXPORT_ARCHIVE.label, order: 'b' });
        menus.registerMenuAction(file, { commandId: ArchiveTransferCommands.EXPORT_RESULTS.id, label: ArchiveTransferCommands.EXPORT_RESULTS.label, order: 'c' });
        menus.registerMenuAction(file, { commandId: ArchiveTransferCommands.EXPORT_COLLECTION.id, label: ArchiveTransferCommands.EXPORT_COLLECTION.label, order: 'd' });
    }

    protected async exportResults(): Promise<void> {
        if (!this.searchModel.total) {
            this.messages.info(nls.localize('imageparser/collections/transfer/noResults', 'There are no results to export: search first.'));
            return;
        }
        const count = this.searchModel.total;
        await this.exportScope({ kind: 'query', query: this.searchModel.query },
            nls.localize('imageparser/collections/transfer/scope/results', 'The current results ({0})', count.toLocaleString(nls.locale ?? 'en-US')), 'results');
    }

    protected async exportCollection(collectionId: unknown): Promise<void> {
        let id = typeof collectionId === 'number' ? collectionId : undefined;
        if (id === undefined && this.collections && this.quickInput) {
            const items = (await this.collections.list()).map(collection => ({
                label: collection.name,
                description: collection.kind === 'folder' ? nls.localize('imageparser/collections/transfer/kind/folder', 'folder')
                    : collection.kind === 'smart' ? nls.localize('imageparser/collections/transfer/kind/smart', 'smart collection')
                        : nls.localize('imageparser/collections/transfer/kind/manual', 'collection'),
                collectionId: collection.id
            }));
            const picked = await this.quickInput.showQuickPick(items, {
                placeholder: nls.localize('imageparser/collections/transfer/pickCollection', 'Which collection to export?')
            });
            id = picked?.collectionId;
        }
        if (id === undefined) {
            return;
        }
        const name = (await this.collections?.get(id).catch(() => undefined))?.name;
        await this.exportScope({ kind: 'collection', collectionId: id },
            name !== undefined ? nls.localize('imageparser/collections/transfer/scope/collection', 'Collection: {0}', name)
                : nls.localize('imageparser/collections/transfer/scope/collectionId', 'Collection {0}', id),
            name ?? `collection-${id}`);
    }

    protected async exportScope(scope: ExportScope, scopeLabel: string, fileStem: string): Promise<void> {
        const dialog = new ArchiveExportDialog({
            scopeLabel,
            file: await this.defaultExportFile(fileStem),
            chooseFile: current => this.chooseExportFile(current)
        });
        const choice = await dialog.open();
        if (!choice) {
            return;
        }
        let options: ExportOptions = { file: choice.file, scope, includeMedia: choice.includeMedia, includePaths: choice.includePaths };
        for (;;) {
            try {
                const report = await this.runner.run(nls.localize('imageparser/collections/transfer/exporting', 'Exporting to {0}', URI.fromFilePath(options.file).path.base),
                    operationId => this.service.exportArchive(options, operationId));
                this.messages.info(describeExportReport(report, options));
                return;
            } catch (error) {
                if (transferRefusal(error)?.reason === 'target-exists' && !options.overwrite && await this.confirmReplace(options.file)) {
                    options = { ...options, overwrite: true };
                    continue;
                }
                this.messages.error(nls.localize('imageparser/collections/transfer/exportFailed', 'The export did not finish: {0}', describeTransferError(error, 'export')));
                return;
            }
        }
    }

    protected async confirmReplace(file: string): Promise<boolean> {
        return !!await new ConfirmDialog({
            title: nls.localize('imageparser/collections/transfer/replaceTitle', 'Replace the File?'),
            msg: nls.localize('imageparser/collections/transfer/replace', '{0} exists already. Replace it with the export?', file),
            ok: nls.localize('imageparser/collections/transfer/replaceButton', 'Replace'),
            cancel: nls.localize('imageparser/collections/transfer/cancel', 'Cancel')
        }).open();
    }

    protected async defaultExportFile(stem: string): Promise<string> {
        const home = new URI(await this.environment.getHomeDirUri());
        const safeStem = stem.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '-').slice(0, 80) || 'archive';
        const date = new Date().toISOString().slice(0, 10);
        return home.resolve(`imageparser-${safeStem}-${date}.${EXPORT_FILE_EXTENSION}`).path.fsPath();
    }

    protected async chooseExportFile(current: string): Promise<string | undefined> {
        const uri = await this.fileDialogs.showSaveDialog({
            title: nls.localize('imageparser/collections/transfer/saveTitle', 'Export the Archive to'),
            inputValue: current ? URI.fromFilePath(current).path.base : undefined,
            filters: { [nls.localize('imageparser/collections/transfer/fileType', 'ImageParser archive export')]: [EXPORT_FILE_EXTENSION] }
        });
        return uri?.path.fsPath();
    }

    protected async chooseFolder(current: string): Promise<string | undefined> {
        const uri = await this.fileDialogs.showOpenDialog({
            title: nls.localize('imageparser/collections/transfer/folderTitle', 'Where the folder lies on this computer'),
            canSelectFolders: true,
            canSelectFiles: false
        });
        return uri?.path.fsPath() ?? (current || undefined);
    }

    protected async importArchive(): Promise<void> {
        const uri = await this.fileDialogs.showOpenDialog({
            title: nls.localize('imageparser/collections/transfer/openTitle', 'Import an Archive Export'),
            canSelectFiles: true,
            canSelectFolders: false,
            filters: {
                [nls.localize('imageparser/collections/transfer/fileType', 'ImageParser archive export')]: [EXPORT_FILE_EXTENSION],
                [nls.localize('imageparser/collections/transfer/allFiles', 'All files')]: ['*']
            }
        });
        if (!uri) {
            return;
        }
        const file = uri.path.fsPath();
        let inspection;
        try {
            inspection = await this.runner.run(nls.localize('imageparser/collections/transfer/inspecting', 'Checking {0}', uri.path.base), () => this.service.inspect(file), false);
        } catch (error) {
            this.messages.error(nls.localize('imageparser/collections/transfer/importRefused', 'Cannot import: {0}', describeTransferError(error)));
            return;
        }
        const options = await new ArchiveImportDialog({ inspection, chooseFolder: current => this.chooseFolder(current) }).open();
        if (!options) {
            return;
        }
        try {
            const report = await this.runner.run(nls.localize('imageparser/collections/transfer/importing', 'Importing {0}', uri.path.base),
                operationId => this.service.importArchive(options, operationId));
            await new ArchiveImportReportDialog(report).open();
        } catch (error) {
            this.messages.error(nls.localize('imageparser/collections/transfer/importFailed', 'The import did not finish: {0}', describeTransferError(error)));
        }
    }
}

import { inject, injectable, optional } from '@theia/core/shared/inversify';
import { CommandContribution, CommandRegistry } from '@theia/core/lib/common/command';
import { MenuContribution, MenuModelRegistry } from '@theia/core/lib/common/menu';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import URI from '@theia/core/lib/common/uri';
import { CommonMenus } from '@theia/core/lib/browser/common-menus';
import { ConfirmDialog } from '@theia/core/lib/browser/dialogs';
import { EnvVariablesServer } from '@theia/core/lib/common/env-variables';
import { FileDialogService } from '@theia/filesystem/lib/browser/file-dialog/file-dialog-service';
import { ArchiveTransferService, ExportFolder, ExportOptions } from '@imageparser/archive-core/lib/common/archive-transfer-protocol';
import { CollectionService } from '@imageparser/archive-core/lib/common/collection-protocol';
import { SearchModel } from '@imageparser/search-view/lib/browser/search-model';
import { ArchiveExportDialog } from './archive-export-dialog';
import { ArchiveExportPart, collectionOptions, ExportCollectionOption, scopeOfPart } from './archive-export-parts';
import { ArchiveImportDialog } from './archive-import-dialog';
import { ArchiveImportReportDialog } from './archive-import-report-dialog';
import { ArchiveTransferCommands, EXPORT_FILE_EXTENSION } from './archive-transfer-commands';
import { describeExportReport, describeTransferEnd, describeTransferError, TransferDirection, transferRefusal } from './archive-transfer-messages';
import { ArchiveTransferRunner } from './archive-transfer-runner';
import { DialogStartFolder } from './dialog-start-folder';

/**
 * "Export Archive…", "Export Current Results as Archive…", "Export
 * Collection as Archive…" (a collection id as argument), "Export Folder as
 * Archive…" — one dialog where the part to export can be changed — and
 * "Import Archive…": their dialogs, the backend's progress with Cancel, and the
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

    @inject(SearchModel)
    protected readonly searchModel: SearchModel;

    @inject(DialogStartFolder)
    protected readonly startFolder: DialogStartFolder;

    @inject(CollectionService) @optional()
    protected readonly collections: CollectionService | undefined;

    registerCommands(registry: CommandRegistry): void {
        registry.registerCommand(ArchiveTransferCommands.EXPORT_ARCHIVE, {
            execute: () => this.exportPart({ kind: 'archive' })
        });
        registry.registerCommand(ArchiveTransferCommands.EXPORT_RESULTS, {
            execute: () => this.exportResults()
        });
        registry.registerCommand(ArchiveTransferCommands.EXPORT_COLLECTION, {
            execute: (collectionId?: unknown) => this.exportCollection(collectionId)
        });
        registry.registerCommand(ArchiveTransferCommands.EXPORT_FOLDER, {
            execute: () => this.exportFolder()
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
        menus.registerMenuAction(file, { commandId: ArchiveTransferCommands.EXPORT_FOLDER.id, label: ArchiveTransferCommands.EXPORT_FOLDER.label, order: 'e' });
    }

    protected async exportResults(): Promise<void> {
        if (!this.searchModel.total) {
            this.messages.info(nls.localize('imageparser/collections/transfer/noResults', 'There are no results to export: search first.'));
            return;
        }
        await this.exportPart({ kind: 'results' });
    }

    /** With a collection id, that collection is chosen in the dialog; without, the first one (the dialog lists them all). */
    protected async exportCollection(collectionId: unknown): Promise<void> {
        const collections = await this.listCollections();
        const id = typeof collectionId === 'number' ? collectionId : collections[0]?.id;
        if (id === undefined) {
            this.messages.info(nls.localize('imageparser/collections/transfer/noCollections', 'There is no collection to export yet.'));
            return;
        }
        await this.exportPart({ kind: 'collection', collectionId: id }, collections);
    }

    protected async exportFolder(): Promise<void> {
        const folders = await this.service.exportFolders();
        if (!folders.length) {
            this.messages.info(nls.localize('imageparser/collections/transfer/noFolders', 'The archive has no folder of images yet.'));
            return;
        }
        await this.exportPart({ kind: 'folder', path: folders[0].path }, undefined, folders);
    }

    protected async listCollections(): Promise<ExportCollectionOption[]> {
        return collectionOptions(await this.collections?.list().catch(() => []) ?? []);
    }

    /** The export dialog with `part` chosen (the user may choose another), then the export with its progress and result. */
    protected async exportPart(part: ArchiveExportPart, collections?: ExportCollectionOption[], folders?: ExportFolder[]): Promise<void> {
        const [collectionList, folderList, home] = await Promise.all([
            collections ?? this.listCollections(),
            folders ?? this.service.exportFolders().catch(() => []),
            this.environment.getHomeDirUri()
        ]);
        const dialog = new ArchiveExportDialog({
            part,
            resultCount: this.searchModel.total,
            collections: collectionList,
            folders: folderList,
            fileFor: chosen => this.defaultExportFile(home, this.fileStem(chosen, collectionList)),
            chooseFile: current => this.chooseExportFile(current)
        });
        const choice = await dialog.open();
        if (!choice) {
            return;
        }
        const scope = scopeOfPart(choice.part, this.searchModel.query);
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
                this.announceEnd(error, 'export');
                return;
            }
        }
    }

    protected fileStem(part: ArchiveExportPart, collections: readonly ExportCollectionOption[]): string {
        switch (part.kind) {
            case 'archive': return 'archive';
            case 'results': return 'results';
            case 'collection': return collections.find(collection => collection.id === part.collectionId)?.name ?? `collection-${part.collectionId}`;
            case 'folder': return URI.fromFilePath(part.path).path.base || 'folder';
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

    protected defaultExportFile(homeUri: string, stem: string): string {
        const safeStem = stem.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '-').slice(0, 80) || 'archive';
        const date = new Date().toISOString().slice(0, 10);
        return new URI(homeUri).resolve(`imageparser-${safeStem}-${date}.${EXPORT_FILE_EXTENSION}`).path.fsPath();
    }

    protected async chooseExportFile(current: string): Promise<string | undefined> {
        const uri = await this.fileDialogs.showSaveDialog({
            title: nls.localize('imageparser/collections/transfer/saveTitle', 'Export the Archive to'),
            inputValue: current ? URI.fromFilePath(current).path.base : undefined,
            filters: { [nls.localize('imageparser/collections/transfer/fileType', 'ImageParser archive export')]: [EXPORT_FILE_EXTENSION] }
        }, await this.startFolder.folder('archive', current ? URI.fromFilePath(current).parent : undefined));
        if (uri) {
            await this.startFolder.remember('archive', uri);
        }
        return uri?.path.fsPath();
    }

    protected async chooseFolder(current: string): Promise<string | undefined> {
        const uri = await this.fileDialogs.showOpenDialog({
            title: nls.localize('imageparser/collections/transfer/folderTitle', 'Where the folder lies on this computer'),
            canSelectFolders: true,
            canSelectFiles: false
        }, await this.startFolder.folder('archive', current ? URI.fromFilePath(current) : undefined));
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
        }, await this.startFolder.folder('archive'));
        if (!uri) {
            return;
        }
        await this.startFolder.remember('archive', uri);
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
            this.announceEnd(error, 'import');
        }
    }

    /** A transfer that did not finish: a cancel as information, anything else as an error. */
    protected announceEnd(error: unknown, direction: TransferDirection): void {
        const { severity, text } = describeTransferEnd(error, direction);
        if (severity === 'info') {
            this.messages.info(text);
        } else {
            this.messages.error(text);
        }
    }
}

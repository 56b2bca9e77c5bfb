import { inject, injectable, named } from '@theia/core/shared/inversify';
import { ILogger } from '@theia/core/lib/common/logger';
import { CommandContribution, CommandRegistry } from '@theia/core/lib/common/command';
import { MenuContribution, MenuModelRegistry } from '@theia/core/lib/common/menu';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import { QuickInputService, QuickPickItem } from '@theia/core/lib/common/quick-pick-service';
import URI from '@theia/core/lib/common/uri';
import { FileDialogService } from '@theia/filesystem/lib/browser/file-dialog/file-dialog-service';
import { FileService } from '@theia/filesystem/lib/browser/file-service';
import { Collection, CollectionService } from '@imageparser/archive-core/lib/common/collection-protocol';
import { plural } from '@imageparser/archive-core/lib/common/plural';
import { describeArchiveError } from '@imageparser/archive-core/lib/browser/archive-error-messages';
import { CollectionsJsonCommands } from './collections-json-commands';
import { CollectionsImportReportDialog } from './collections-import-report-dialog';
import { NotCollectionsJsonError, parseCollectionsJsonText } from './collections-json-text';
import { COLLECTIONS_CONTEXT_MENU } from '../collections-widget';
import { DialogStartFolder } from '../transfer/dialog-start-folder';

const PRESETS_ITEM = 'presets';

/** The collections a command's argument names: one id (a context menu's) or an array of them; undefined asks. */
function collectionIds(argument: unknown): number[] | undefined {
    if (typeof argument === 'number') {
        return [argument];
    }
    return Array.isArray(argument) ? argument.filter((id): id is number => typeof id === 'number') : undefined;
}

/**
 * Collections shared as JSON files on the backend's disk (the save and open
 * dialogs browse it): export asks which collections (folders bring what
 * they hold) and whether the filter presets go too; import merges a file
 * and shows what it did, every image it could not find listed.
 */
@injectable()
export class CollectionsJsonContribution implements CommandContribution, MenuContribution {

    @inject(CollectionService)
    protected readonly service: CollectionService;

    @inject(QuickInputService)
    protected readonly quickInput: QuickInputService;

    @inject(FileDialogService)
    protected readonly fileDialogs: FileDialogService;

    @inject(FileService)
    protected readonly files: FileService;

    @inject(MessageService)
    protected readonly messages: MessageService;

    @inject(ILogger) @named('collections:CollectionsJsonContribution')
    protected readonly logger: ILogger;

    @inject(DialogStartFolder)
    protected readonly startFolder: DialogStartFolder;

    registerCommands(registry: CommandRegistry): void {
        registry.registerCommand(CollectionsJsonCommands.EXPORT, { execute: (ids?: unknown) => this.export(collectionIds(ids)) });
        registry.registerCommand(CollectionsJsonCommands.IMPORT, { execute: () => this.import() });
    }

    /** "Export as JSON…" in a collection's context menu (the Collections view passes the collection's id). */
    registerMenus(menus: MenuModelRegistry): void {
        // In the view menu's export group, after "Export Collection as Archive…".
        menus.registerMenuAction([...COLLECTIONS_CONTEXT_MENU, '3_export'], {
            commandId: CollectionsJsonCommands.EXPORT.id,
            label: nls.localize('imageparser/collections/json/exportOne', 'Export as JSON…'),
            order: 'z'
        });
    }

    protected async export(given: number[] | undefined): Promise<void> {
        try {
            const chosen = given ? { ids: given, includePresets: false } : await this.pickExport();
            if (!chosen) {
                return;
            }
            const target = await this.fileDialogs.showSaveDialog({
                title: nls.localize('imageparser/collections/json/exportTitle', 'Export Collections as JSON'),
                saveLabel: nls.localize('imageparser/collections/json/exportButton', 'Export'),
                inputValue: 'collections.json',
                filters: { [nls.localize('imageparser/collections/json/filter', 'Collections JSON')]: ['json'] }
            }, await this.startFolder.folder('json'));
            if (!target) {
                return;
            }
            await this.startFolder.remember('json', target);
            const json = await this.service.exportJson(chosen.ids, { includePresets: chosen.includePresets });
            await this.files.write(target, JSON.stringify(json, undefined, 2));
            const count = json.collections.length;
            this.messages.info(plural(count,
                nls.localize('imageparser/collections/json/exported/one', 'Exported {0} collection to {1}.', count, target.path.fsPath()),
                nls.localize('imageparser/collections/json/exported/other', 'Exported {0} collections to {1}.', count, target.path.fsPath())));
        } catch (error) {
            this.messages.error(nls.localize('imageparser/collections/json/exportFailed', 'Cannot export the collections: {0}', describeArchiveError(error)));
        }
    }

    /** Asks which collections to export (all of them picked at first) and whether the filter presets go too. */
    protected async pickExport(): Promise<{ ids: number[]; includePresets: boolean } | undefined> {
        const [collections, presets] = await Promise.all([this.service.list(), this.service.presets()]);
        if (!collections.length && !presets.length) {
            this.messages.info(nls.localize('imageparser/collections/json/nothing', 'There are no collections or filter presets to export yet.'));
            return undefined;
        }
        const items: (QuickPickItem & { id: string })[] = this.ordered(collections).map(({ collection, path }) => ({
            id: String(collection.id),
            label: collection.name,
            description: [kindName(collection), ...path.length ? [path.join(' / ')] : []].join(' · ')
        }));
        if (presets.length) {
            items.push({
                id: PRESETS_ITEM,
                label: plural(presets.length,
                    nls.localize('imageparser/collections/json/presetsItem/one', '{0} filter preset', presets.length),
                    nls.localize('imageparser/collections/json/presetsItem/other', '{0} filter presets', presets.length))
            });
        }
        const picked = await this.quickInput.pick(items.map(item => ({ ...item, picked: true })), {
            canPickMany: true,
            placeHolder: nls.localize('imageparser/collections/json/pick', 'Collections to export (a folder brings what it holds)')
        });
        if (!picked?.length) {
            return undefined;
        }
        return {
            ids: picked.filter(item => item.id !== PRESETS_ITEM).map(item => Number(item.id)),
            includePresets: picked.some(item => item.id === PRESETS_ITEM)
        };
    }

    /** Collections in tree order (folders before what they hold), each with the names of the folders above it. */
    protected ordered(collections: readonly Collection[]): { collection: Collection; path: string[] }[] {
        const children = new Map<number | undefined, Collection[]>();
        for (const collection of collections) {
            children.set(collection.parentId, [...children.get(collection.parentId) ?? [], collection]);
        }
        const result: { collection: Collection; path: string[] }[] = [];
        const visit = (parentId: number | undefined, path: string[]) => {
            for (const collection of (children.get(parentId) ?? []).sort((a, b) => a.position - b.position)) {
                result.push({ collection, path });
                visit(collection.id, [...path, collection.name]);
            }
        };
        visit(undefined, []);
        return result;
    }

    protected async import(): Promise<void> {
        const source = await this.fileDialogs.showOpenDialog({
            title: nls.localize('imageparser/collections/json/importTitle', 'Import Collections from JSON'),
            openLabel: nls.localize('imageparser/collections/json/importButton', 'Import'),
            canSelectFiles: true,
            canSelectFolders: false,
            filters: { [nls.localize('imageparser/collections/json/filter', 'Collections JSON')]: ['json'] }
        }, await this.startFolder.folder('json'));
        if (!source) {
            return;
        }
        await this.startFolder.remember('json', source);
        const file = source.path.fsPath();
        try {
            const json = await this.read(source);
            const report = await this.service.importJson(json);
            await new CollectionsImportReportDialog(file, report).open();
        } catch (error) {
            this.messages.error(nls.localize('imageparser/collections/json/importFailed', 'Cannot import {0}: {1}', file, describeArchiveError(error)));
        }
    }

    /** The file's JSON; a worded error when it is not JSON at all (the parser's own words go to the log). */
    protected async read(source: URI): Promise<unknown> {
        const { value } = await this.files.read(source);
        try {
            return parseCollectionsJsonText(value);
        } catch (error) {
            if (error instanceof NotCollectionsJsonError) {
                this.logger.info(`${source.path.fsPath()} is not JSON: ${error.detail}`);
            }
            throw error;
        }
    }
}

function kindName(collection: Collection): string {
    switch (collection.kind) {
        case 'folder': return nls.localize('imageparser/collections/json/kind/folder', 'Folder');
        case 'smart': return nls.localize('imageparser/collections/json/kind/smart', 'Smart collection');
        default: return nls.localize('imageparser/collections/json/kind/manual', 'Collection');
    }
}

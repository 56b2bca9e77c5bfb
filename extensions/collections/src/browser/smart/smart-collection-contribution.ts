import { inject, injectable } from '@theia/core/shared/inversify';
import { CommandContribution, CommandRegistry, CommandService } from '@theia/core/lib/common/command';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import { QuickInputService } from '@theia/core/lib/common/quick-pick-service';
import { CollectionService } from '@imageparser/archive-core/lib/common/collection-protocol';
import { describeArchiveError } from '@imageparser/archive-core/lib/browser/archive-error-messages';
import { SearchCommands } from '@imageparser/search-view/lib/browser/search-commands';
import { CollectionNameDialog } from '../collection-name-dialog';
import { SmartCollectionCommands } from './smart-collection-commands';
import { SmartCollectionModel } from './smart-collection-model';

/**
 * The smart collection commands: save the search as a smart collection,
 * open one (by id, as the Collections view does, or picked from a list),
 * update the open one with the edited search, or save the edit as a new one.
 */
@injectable()
export class SmartCollectionContribution implements CommandContribution {

    @inject(SmartCollectionModel)
    protected readonly model: SmartCollectionModel;

    @inject(CollectionService)
    protected readonly service: CollectionService;

    @inject(QuickInputService)
    protected readonly quickInput: QuickInputService;

    @inject(CollectionNameDialog)
    protected readonly names: CollectionNameDialog;

    @inject(MessageService)
    protected readonly messages: MessageService;

    @inject(CommandService)
    protected readonly commands: CommandService;

    registerCommands(registry: CommandRegistry): void {
        registry.registerCommand(SmartCollectionCommands.SAVE_SEARCH, { execute: () => this.saveAsNew() });
        registry.registerCommand(SmartCollectionCommands.SAVE_AS_NEW, {
            execute: () => this.saveAsNew(),
            isEnabled: () => !!this.model.collection
        });
        registry.registerCommand(SmartCollectionCommands.OPEN, { execute: (id?: unknown) => this.open(typeof id === 'number' ? id : undefined) });
        registry.registerCommand(SmartCollectionCommands.UPDATE, {
            execute: () => this.update(),
            isEnabled: () => !!this.model.collection && this.model.edited
        });
        registry.registerCommand(SmartCollectionCommands.CLOSE, {
            execute: () => this.model.close(),
            isEnabled: () => !!this.model.collection
        });
    }

    protected async saveAsNew(): Promise<void> {
        const name = await this.names.ask(nls.localize('imageparser/collections/smart/nameTitle', 'New Smart Collection'), '',
            nls.localize('imageparser/collections/smart/nameDetail', 'It keeps following this search: images that match it later join it.'));
        if (!name) {
            return;
        }
        try {
            const collection = await this.model.saveAsNew(name);
            this.messages.info(nls.localize('imageparser/collections/smart/saved', 'Saved the smart collection “{0}”.', collection.name));
        } catch (error) {
            this.messages.error(describeArchiveError(error));
        }
    }

    protected async update(): Promise<void> {
        const collection = this.model.collection;
        if (!collection) {
            return;
        }
        try {
            await this.model.update();
            this.messages.info(nls.localize('imageparser/collections/smart/updated', 'Updated the smart collection “{0}”.', collection.name));
        } catch (error) {
            this.messages.error(describeArchiveError(error));
        }
    }

    /** Opens the smart collection `id`, or one picked from the list when no id is given. */
    protected async open(id: number | undefined): Promise<void> {
        try {
            id ??= await this.pick();
            if (id === undefined) {
                return;
            }
            const searching = this.model.open(id);
            await this.commands.executeCommand(SearchCommands.OPEN_RESULTS.id, false);
            await searching;
        } catch (error) {
            this.messages.error(describeArchiveError(error));
        }
    }

    protected async pick(): Promise<number | undefined> {
        const smart = (await this.service.list()).filter(collection => collection.kind === 'smart');
        if (!smart.length) {
            this.messages.info(nls.localize('imageparser/collections/smart/none', 'There is no smart collection yet: search, then use “Save Search as Smart Collection…”.'));
            return undefined;
        }
        const picked = await this.quickInput.pick(smart.map(collection => ({ label: collection.name, id: String(collection.id) })),
            { placeHolder: nls.localize('imageparser/collections/smart/pick', 'Smart collection to open') });
        return picked?.id === undefined ? undefined : Number(picked.id);
    }
}

import * as React from '@theia/core/shared/react';
import { inject, injectable } from '@theia/core/shared/inversify';
import { CommandService } from '@theia/core/lib/common/command';
import { Event } from '@theia/core/lib/common/event';
import { nls } from '@theia/core/lib/common/nls';
import { codicon } from '@theia/core/lib/browser/widgets/widget';
import { plural } from '@imageparser/archive-core/lib/common/plural';
import { SearchWidgetSection } from '@imageparser/search-view/lib/browser/search-widget-section';
import { SearchModel } from '@imageparser/search-view/lib/browser/search-model';
import { SmartCollectionCommands } from './smart-collection-commands';
import { SmartCollectionModel } from './smart-collection-model';

/**
 * The search side bar's smart collection part: "Save as Smart Collection…"
 * under a search's answer, and while a smart collection's search is shown a
 * banner naming it with its member count; once the search is edited, the
 * banner offers to update the collection or save the edit as a new one.
 */
@injectable()
export class SmartCollectionSection implements SearchWidgetSection {

    readonly id = 'smart-collection';
    readonly place = 'summary';

    @inject(SmartCollectionModel)
    protected readonly model: SmartCollectionModel;

    @inject(SearchModel)
    protected readonly search: SearchModel;

    @inject(CommandService)
    protected readonly commands: CommandService;

    get onDidChange(): Event<void> {
        return this.model.onDidChange;
    }

    render(): React.ReactNode {
        const collection = this.model.collection;
        if (!collection) {
            return this.search.result ? <button type='button' className='imageparser-link imageparser-smart-save'
                onClick={() => this.commands.executeCommand(SmartCollectionCommands.SAVE_SEARCH.id)}>
                <span className={codicon('save-as')} />
                {nls.localize('imageparser/collections/smart/saveButton', 'Save as Smart Collection…')}
            </button> : undefined;
        }
        const edited = this.model.edited;
        return <div className='imageparser-smart-banner' role='status' data-edited={edited}>
            <span className={codicon('search-fuzzy')} />
            <span className='imageparser-smart-banner-name'>
                {nls.localize('imageparser/collections/smart/banner', 'Smart collection: {0}', collection.name)}
            </span>
            <button type='button' className={`imageparser-smart-close ${codicon('close')}`}
                title={nls.localize('imageparser/collections/smart/close', 'Stop editing this smart collection')}
                aria-label={nls.localize('imageparser/collections/smart/close', 'Stop editing this smart collection')}
                onClick={() => this.model.close()} />
            <span className='imageparser-smart-banner-count'>
                {edited
                    // The results show the edited search; the count is the saved one's, and says so.
                    ? plural(collection.count,
                        nls.localize('imageparser/collections/smart/savedCount/one', '{0} image in the saved search', collection.count.toLocaleString(nls.locale)),
                        nls.localize('imageparser/collections/smart/savedCount/other', '{0} images in the saved search', collection.count.toLocaleString(nls.locale)))
                    : plural(collection.count,
                        nls.localize('imageparser/collections/smart/count/one', '{0} image', collection.count.toLocaleString(nls.locale)),
                        nls.localize('imageparser/collections/smart/count/other', '{0} images', collection.count.toLocaleString(nls.locale)))}
            </span>
            {edited && <span className='imageparser-smart-banner-actions'>
                <button type='button' className='theia-button imageparser-smart-update'
                    onClick={() => this.commands.executeCommand(SmartCollectionCommands.UPDATE.id)}>
                    {nls.localize('imageparser/collections/smart/update', 'Update')}
                </button>
                <button type='button' className='theia-button secondary imageparser-smart-save-new'
                    onClick={() => this.commands.executeCommand(SmartCollectionCommands.SAVE_AS_NEW.id)}>
                    {nls.localize('imageparser/collections/smart/saveNew', 'Save as New…')}
                </button>
            </span>}
        </div>;
    }
}

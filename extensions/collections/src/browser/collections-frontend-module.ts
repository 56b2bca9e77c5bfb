import { ContainerModule } from '@theia/core/shared/inversify';
import { bindArchiveTransfer } from './transfer/archive-transfer-bindings';
import { bindCollectionsView } from './collections-view-bindings';
import { bindSmartCollections } from './smart/smart-collection-bindings';
import { bindFilterPresets } from './presets/filter-preset-bindings';
import { bindCollectionsJson } from './json/collections-json-bindings';
import '../../src/browser/style/collections.css';

/**
 * The Collections view in the search side bar, filter presets, the
 * collection search filter's panel half (a `SearchFilterContribution`, as a
 * third party would add one) and the archive export and import commands.
 */
export default new ContainerModule(bind => {
    bindArchiveTransfer(bind);
    bindCollectionsView(bind);
    bindSmartCollections(bind);
    bindFilterPresets(bind);
    bindCollectionsJson(bind);
});

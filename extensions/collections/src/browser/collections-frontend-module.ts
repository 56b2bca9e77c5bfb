import { ContainerModule } from '@theia/core/shared/inversify';
import { bindArchiveTransfer } from './transfer/archive-transfer-bindings';

/**
 * The Collections view in the search side bar, filter presets, the
 * collection search filter's panel half (a `SearchFilterContribution`, as a
 * third party would add one) and the archive export and import commands.
 */
export default new ContainerModule(bind => {
    // Bindings arrive with the collections UI.
    bindArchiveTransfer(bind);
});

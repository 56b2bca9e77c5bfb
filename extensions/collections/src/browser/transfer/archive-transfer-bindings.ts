import { interfaces } from '@theia/core/shared/inversify';
import { CommandContribution } from '@theia/core/lib/common/command';
import { MenuContribution } from '@theia/core/lib/common/menu';
import { ArchiveTransferContribution } from './archive-transfer-contribution';
import { ArchiveTransferRunner } from './archive-transfer-runner';
import { DialogStartFolder } from './dialog-start-folder';

import '../../../src/browser/transfer/style/archive-transfer.css';

/** The archive export and import commands, dialogs and progress; the start folder of the JSON and archive file dialogs. */
export function bindArchiveTransfer(bind: interfaces.Bind): void {
    bind(DialogStartFolder).toSelf().inSingletonScope();
    bind(ArchiveTransferRunner).toSelf().inSingletonScope();
    bind(ArchiveTransferContribution).toSelf().inSingletonScope();
    bind(CommandContribution).toService(ArchiveTransferContribution);
    bind(MenuContribution).toService(ArchiveTransferContribution);
}

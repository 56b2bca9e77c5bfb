import { inject, injectable } from '@theia/core/shared/inversify';
import { CommandRegistry } from '@theia/core/lib/common/command';
import { MenuModelRegistry } from '@theia/core/lib/common/menu';
import { AbstractViewContribution } from '@theia/core/lib/browser/shell/view-contribution';
import { CommonMenus } from '@theia/core/lib/browser/common-menus';
import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { StorageService } from '@theia/core/lib/browser/storage-service';
import { ArchiveCommands } from './archive-commands';
import { ArchiveStatusModel } from './archive-status-model';
import { ArchiveWelcomeWidget } from './archive-welcome-widget';

/**
 * Opens the welcome page on the first start and from the command palette and
 * Help menu, beside what the main area shows (the search results on a first
 * start), so both are in sight.
 */
@injectable()
export class ArchiveWelcomeContribution extends AbstractViewContribution<ArchiveWelcomeWidget> implements FrontendApplicationContribution {

    static readonly SHOWN_KEY = 'imageparser.welcome.shown';

    @inject(StorageService)
    protected readonly storage: StorageService;

    @inject(ArchiveStatusModel)
    protected readonly model: ArchiveStatusModel;

    constructor() {
        super({
            widgetId: ArchiveWelcomeWidget.ID,
            widgetName: ArchiveWelcomeWidget.LABEL,
            defaultWidgetOptions: { area: 'main', mode: 'split-right' }
        });
    }

    async onDidInitializeLayout(): Promise<void> {
        if (!await this.storage.getData<boolean>(ArchiveWelcomeContribution.SHOWN_KEY, false)) {
            await this.openView({ activate: true, reveal: true });
            await this.storage.setData(ArchiveWelcomeContribution.SHOWN_KEY, true);
        }
    }

    override registerCommands(registry: CommandRegistry): void {
        registry.registerCommand(ArchiveCommands.OPEN_WELCOME, {
            execute: () => this.openView({ activate: true, reveal: true })
        });
        registry.registerCommand(ArchiveCommands.REFRESH_STATUS, {
            execute: () => this.model.refresh()
        });
    }

    override registerMenus(menus: MenuModelRegistry): void {
        menus.registerMenuAction(CommonMenus.HELP, {
            commandId: ArchiveCommands.OPEN_WELCOME.id,
            label: ArchiveCommands.OPEN_WELCOME.label,
            order: 'a05'
        });
    }
}

import { inject, injectable } from '@theia/core/shared/inversify';
import { nls } from '@theia/core/lib/common/nls';
import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { StatusBar, StatusBarAlignment, StatusBarEntry } from '@theia/core/lib/browser/status-bar/status-bar';
import { plural } from '../common/plural';
import { ArchiveCommands } from './archive-commands';
import { describeReadOnlyArchive } from './archive-error-messages';
import { ArchiveStatusModel, ArchiveStatusState } from './archive-status-model';

/** The status-bar item that shows the archive's asset count and, on hover, where it lives. */
@injectable()
export class ArchiveStatusBarContribution implements FrontendApplicationContribution {

    static readonly ID = 'imageparser-archive-status';

    @inject(StatusBar)
    protected readonly statusBar: StatusBar;

    @inject(ArchiveStatusModel)
    protected readonly model: ArchiveStatusModel;

    onStart(): void {
        this.show(this.model.state);
        this.model.onDidChange(state => this.show(state));
    }

    protected show(state: ArchiveStatusState): void {
        this.statusBar.setElement(ArchiveStatusBarContribution.ID, this.toEntry(state));
    }

    protected toEntry(state: ArchiveStatusState): StatusBarEntry {
        const base = {
            alignment: StatusBarAlignment.LEFT,
            priority: 100,
            className: ArchiveStatusBarContribution.ID,
            name: nls.localize('imageparser/archive-core/statusBar/name', 'ImageParser Archive'),
            command: ArchiveCommands.OPEN_WELCOME.id
        };
        switch (state.kind) {
            case 'loading': {
                const opening = nls.localize('imageparser/archive-core/statusBar/opening', 'Opening archive…');
                return { ...base, text: `$(sync~spin) ${opening}`, accessibilityInformation: { label: opening, role: 'button' } };
            }
            case 'error':
                return {
                    ...base,
                    text: `$(error) ${nls.localize('imageparser/archive-core/statusBar/unavailable', 'Archive unavailable')}`,
                    tooltip: state.message,
                    accessibilityInformation: {
                        label: nls.localize('imageparser/archive-core/statusBar/ariaUnavailable', 'ImageParser archive unavailable: {0}', state.message),
                        role: 'button'
                    }
                };
            case 'ready': {
                const count = state.status.assetCount.toLocaleString(nls.locale);
                const assets = `$(database) ${nls.localize('imageparser/archive-core/statusBar/assets', 'Assets: {0}', count)}`;
                const tooltip = nls.localize('imageparser/archive-core/statusBar/tooltip', 'Archive: {0}\nSchema version {1}, SQLite {2}, sqlite-vec {3}',
                    state.status.location, state.status.schemaVersion, state.status.sqliteVersion, state.status.sqliteVecVersion);
                // Screen readers get words, not the icon's "$(database)" nor the tooltip's versions.
                const spoken = plural(state.status.assetCount,
                    nls.localize('imageparser/archive-core/statusBar/ariaAssets/one', 'ImageParser archive: {0} asset', count),
                    nls.localize('imageparser/archive-core/statusBar/ariaAssets/other', 'ImageParser archive: {0} assets', count));
                return state.status.readOnly ? {
                    ...base,
                    text: `${assets} $(lock) ${nls.localize('imageparser/archive-core/statusBar/readOnly', 'Read-only')}`,
                    tooltip: `${describeReadOnlyArchive()}\n${tooltip}`,
                    accessibilityInformation: { label: nls.localize('imageparser/archive-core/statusBar/ariaReadOnly', '{0}, read-only', spoken), role: 'button' }
                } : { ...base, text: assets, tooltip, accessibilityInformation: { label: spoken, role: 'button' } };
            }
        }
    }
}

import { inject, injectable } from '@theia/core/shared/inversify';
import { nls } from '@theia/core/lib/common/nls';
import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { StatusBar, StatusBarAlignment, StatusBarEntry } from '@theia/core/lib/browser/status-bar/status-bar-types';
import { PhaseProgress } from '@imageparser/archive-core/lib/common/job-protocol';
import { formatPercent, imagesLeftText, pendingCount, phaseName, wholePercent } from '../common/phase-progress-text';
import { PhasesCommands } from './phases-commands';
import { PhasesModel } from './phases-model';

/**
 * The status-bar item of work in progress: the first phase that is working,
 * with its percent done ("OCR 42%"); a click opens the Phases view. Nothing
 * is shown while no phase has work.
 */
@injectable()
export class PhasesStatusBarContribution implements FrontendApplicationContribution {

    static readonly ID = 'imageparser-phases-status';

    @inject(StatusBar)
    protected readonly statusBar: StatusBar;

    @inject(PhasesModel)
    protected readonly model: PhasesModel;

    protected shown: string | undefined;

    onStart(): void {
        this.model.onDidChange(() => this.show(this.model.working));
        this.model.start();
    }

    protected show(working: PhaseProgress | undefined): void {
        const entry = working && this.toEntry(working);
        const key = entry && JSON.stringify(entry);
        if (key === this.shown) {
            return;
        }
        this.shown = key;
        if (entry) {
            this.statusBar.setElement(PhasesStatusBarContribution.ID, entry);
        } else {
            this.statusBar.removeElement(PhasesStatusBarContribution.ID);
        }
    }

    protected toEntry(working: PhaseProgress): StatusBarEntry {
        const name = phaseName(working.phase);
        const left = imagesLeftText(pendingCount(working));
        return {
            alignment: StatusBarAlignment.LEFT,
            priority: 90,
            className: PhasesStatusBarContribution.ID,
            name: nls.localize('imageparser/phases-view/statusBar/name', 'ImageParser Phases'),
            text: `$(sync~spin) ${nls.localize('imageparser/phases-view/statusBar/text', '{0} {1}', name, formatPercent(working.fraction))}`,
            tooltip: nls.localize('imageparser/phases-view/statusBar/tooltip', '{0}: {1} done, {2}. Click to show the phases.', name, formatPercent(working.fraction), left),
            // Screen readers get words, not the spinning icon's "$(sync~spin)" nor a percent sign.
            accessibilityInformation: {
                label: nls.localize('imageparser/phases-view/statusBar/aria', 'ImageParser {0}: {1} percent done, {2}', name, wholePercent(working.fraction), left),
                role: 'button'
            },
            command: PhasesCommands.SHOW.id
        };
    }
}

import { inject, injectable } from '@theia/core/shared/inversify';
import { CommandRegistry } from '@theia/core/lib/common/command';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import { QuickInputService, QuickPickItem } from '@theia/core/lib/common/quick-pick-service';
import { AbstractViewContribution } from '@theia/core/lib/browser/shell/view-contribution';
import { PhaseId, PhaseProgress } from '@imageparser/archive-core/lib/common/job-protocol';
import { plural } from '@imageparser/archive-core/lib/common/plural';
import { formatCount, formatPercent, phaseName } from '../common/phase-progress-text';
import { PhasesCommands } from './phases-commands';
import { PhasesModel } from './phases-model';
import { PhasesWidget } from './phases-widget';

/**
 * The Phases view in the right side bar (View menu, "ImageParser: Show
 * Phases") and the phase controls as commands: the view's buttons pass the
 * phase, the palette asks for it.
 */
@injectable()
export class PhasesViewContribution extends AbstractViewContribution<PhasesWidget> {

    @inject(PhasesModel)
    protected readonly model: PhasesModel;

    @inject(QuickInputService)
    protected readonly quickInput: QuickInputService;

    @inject(MessageService)
    protected readonly messages: MessageService;

    constructor() {
        super({
            widgetId: PhasesWidget.ID,
            widgetName: PhasesWidget.LABEL,
            defaultWidgetOptions: { area: 'right', rank: 500 },
            toggleCommandId: 'imageparser.phases.toggle'
        });
    }

    override registerCommands(registry: CommandRegistry): void {
        super.registerCommands(registry);
        registry.registerCommand(PhasesCommands.SHOW, { execute: () => this.openView({ activate: true, reveal: true }) });
        registry.registerCommand(PhasesCommands.PAUSE, {
            execute: (phase?: PhaseId) => this.withPhase(phase, each => !each.paused, async target => this.model.pause(target),
                (name, reason) => nls.localize('imageparser/phases-view/pauseFailed', 'Could not pause {0}: {1}', name, reason))
        });
        registry.registerCommand(PhasesCommands.RESUME, {
            execute: (phase?: PhaseId) => this.withPhase(phase, each => each.paused, async target => this.model.resume(target),
                (name, reason) => nls.localize('imageparser/phases-view/resumeFailed', 'Could not resume {0}: {1}', name, reason))
        });
        registry.registerCommand(PhasesCommands.RETRY_FAILED, {
            execute: (phase?: PhaseId) => this.withPhase(phase, each => each.failed > 0, async target => {
                const count = await this.model.retryFailed(target);
                this.messages.info(plural(count,
                    nls.localize('imageparser/phases-view/retried/one', '{0}: {1} failed image queued again', phaseName(target), formatCount(count)),
                    nls.localize('imageparser/phases-view/retried/other', '{0}: {1} failed images queued again', phaseName(target), formatCount(count))));
            }, (name, reason) => nls.localize('imageparser/phases-view/retryFailed', 'Could not retry the failed images of {0}: {1}', name, reason))
        });
        registry.registerCommand(PhasesCommands.RERUN_SELECTED, {
            execute: (phase?: PhaseId) => this.withPhase(phase, each => each.enabled, async target => {
                const count = await this.model.rerunSelected(target);
                this.messages.info(count === 0
                    ? nls.localize('imageparser/phases-view/rerunNothing', '{0} has nothing to run again on the selected images: their results are current.', phaseName(target))
                    : plural(count,
                        nls.localize('imageparser/phases-view/rerun/one', '{0} runs again on {1} image', phaseName(target), formatCount(count)),
                        nls.localize('imageparser/phases-view/rerun/other', '{0} runs again on {1} images', phaseName(target), formatCount(count))));
            }, (name, reason) => nls.localize('imageparser/phases-view/rerunFailed', 'Could not run {0} again: {1}', name, reason)),
            isEnabled: () => this.model.selectedAssetIds.length > 0
        });
    }

    /**
     * Runs a control on the given phase, or on the one the user picks among
     * those it applies to; a refusal of the backend becomes an error message.
     */
    protected async withPhase(phase: PhaseId | undefined, applies: (progress: PhaseProgress) => boolean,
        action: (phase: PhaseId) => Promise<void>, failed: (phaseName: string, reason: string) => string): Promise<void> {
        const target = typeof phase === 'string' ? phase : await this.pickPhase(applies);
        if (!target) {
            return;
        }
        try {
            await action(target);
        } catch (error) {
            const reason = error instanceof Error ? error.message : String(error);
            this.messages.error(failed(phaseName(target), reason));
        }
    }

    protected async pickPhase(applies: (progress: PhaseProgress) => boolean): Promise<PhaseId | undefined> {
        await this.model.refresh();
        const candidates = this.model.phases.filter(applies);
        if (!candidates.length) {
            this.messages.info(nls.localize('imageparser/phases-view/noPhaseApplies', 'No phase to do that for now.'));
            return undefined;
        }
        const items: (QuickPickItem & { phase: PhaseId })[] = candidates.map(each => ({
            phase: each.phase,
            label: phaseName(each.phase),
            description: nls.localize('imageparser/phases-view/pick/description', '{0} done, {1} failed', formatPercent(each.fraction), formatCount(each.failed))
        }));
        const picked = await this.quickInput.showQuickPick(items, {
            placeholder: nls.localize('imageparser/phases-view/pick/placeholder', 'Pick a phase')
        });
        return picked?.phase;
    }
}

import * as React from '@theia/core/shared/react';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { CommandService } from '@theia/core/lib/common/command';
import { nls } from '@theia/core/lib/common/nls';
import { codicon } from '@theia/core/lib/browser/widgets/widget';
import { ReactWidget } from '@theia/core/lib/browser/widgets/react-widget';
import { PhaseProgress } from '@imageparser/archive-core/lib/common/job-protocol';
import { plural } from '@imageparser/archive-core/lib/common/plural';
import {
    formatCount, formatPercent, formatRate, formatSeconds, modelStateText, pendingCount, phaseDescription, phaseName, providerHealthText, wholePercent
} from '../common/phase-progress-text';
import { PhaseFailureList } from './phase-failure-list';
import { PhasesCommands } from './phases-commands';
import { PhasesModel } from './phases-model';

/**
 * The Phases view: per phase what is done, queued, in progress and failed,
 * a progress bar, rate, time left, how long the oldest job has waited, the
 * model's state, the controls and the failures with their reasons.
 */
@injectable()
export class PhasesWidget extends ReactWidget {

    static readonly ID = 'imageparser-phases';
    static readonly LABEL = nls.localize('imageparser/phases-view/title', 'Phases');

    @inject(PhasesModel)
    protected readonly model: PhasesModel;

    @inject(CommandService)
    protected readonly commands: CommandService;

    @postConstruct()
    protected init(): void {
        this.id = PhasesWidget.ID;
        this.title.label = PhasesWidget.LABEL;
        this.title.caption = nls.localize('imageparser/phases-view/caption', 'ImageParser: Phases');
        this.title.iconClass = codicon('pulse');
        this.title.closable = true;
        this.addClass('imageparser-phases');
        this.node.tabIndex = 0;
        this.toDispose.push(this.model.onDidChange(() => this.update()));
        this.model.start();
        this.update();
    }

    protected override onActivateRequest(): void {
        (this.node.querySelector<HTMLElement>('button:not([disabled])') ?? this.node).focus();
    }

    protected render(): React.ReactNode {
        switch (this.model.state) {
            case 'loading':
                return <p className='imageparser-phases-note'>{nls.localize('imageparser/phases-view/loading', 'Counting…')}</p>;
            case 'unavailable':
                return <p className='imageparser-phases-note imageparser-phases-error' role='alert'>
                    {nls.localize('imageparser/phases-view/unavailable', 'The phases could not be counted: {0}', this.model.error)}
                </p>;
            default:
                return this.model.phases.length
                    ? <div className='imageparser-phases-list'>{this.model.phases.map(progress => this.renderPhase(progress))}</div>
                    : <p className='imageparser-phases-note'>{nls.localize('imageparser/phases-view/none', 'No phases are installed.')}</p>;
        }
    }

    protected renderPhase(progress: PhaseProgress): React.ReactNode {
        const headingId = `imageparser-phase-${progress.phase}`;
        return <section key={progress.phase} className='imageparser-phase' data-phase={progress.phase} aria-labelledby={headingId}>
            <header className='imageparser-phase-header'>
                <h3 id={headingId} className='imageparser-phase-name'>{phaseName(progress.phase)}</h3>
                {this.renderBadge(progress)}
            </header>
            {phaseDescription(progress.phase) && <p className='imageparser-phase-description'>{phaseDescription(progress.phase)}</p>}
            {this.renderProgress(progress)}
            {this.renderCounts(progress)}
            {this.renderDetails(progress)}
            {this.renderControls(progress)}
            <PhaseFailureList progress={progress} model={this.model} />
        </section>;
    }

    protected renderBadge(progress: PhaseProgress): React.ReactNode {
        const provider = progress.provider;
        if (provider && provider.state !== 'ready') {
            // A provider that is down or wrongly set up says so first: it is why nothing moves.
            return <span className={`imageparser-phase-badge imageparser-phase-provider imageparser-phase-provider-${provider.state}`}
                role='status' title={provider.message} data-code={provider.code}>
                {providerHealthText(provider)}
            </span>;
        }
        if (!progress.enabled) {
            return <span className='imageparser-phase-badge'>{nls.localize('imageparser/phases-view/off', 'Off in Settings')}</span>;
        }
        if (progress.paused) {
            return <span className='imageparser-phase-badge imageparser-phase-paused'>{nls.localize('imageparser/phases-view/paused', 'Paused')}</span>;
        }
        return undefined;
    }

    protected renderProgress(progress: PhaseProgress): React.ReactNode {
        const total = progress.done + pendingCount(progress) + progress.failed;
        if (!total) {
            return <p className='imageparser-phases-note'>{nls.localize('imageparser/phases-view/nothingYet', 'No images yet: add a folder to the archive.')}</p>;
        }
        const label = nls.localize('imageparser/phases-view/progressLabel', '{0} progress', phaseName(progress.phase));
        return <div className='imageparser-phase-progress'>
            <progress max={100} value={wholePercent(progress.fraction)} aria-label={label} aria-valuetext={formatPercent(progress.fraction)} />
            <span className='imageparser-phase-percent'>{formatPercent(progress.fraction)}</span>
        </div>;
    }

    protected renderCounts(progress: PhaseProgress): React.ReactNode {
        const counts: [string, number, string][] = [
            ['done', progress.done, nls.localize('imageparser/phases-view/count/done', 'Done')],
            ['queued', progress.queued, nls.localize('imageparser/phases-view/count/queued', 'Queued')],
            ['leased', progress.leased, nls.localize('imageparser/phases-view/count/leased', 'In progress')],
            ['failed', progress.failed, nls.localize('imageparser/phases-view/count/failed', 'Failed')]
        ];
        return <dl className='imageparser-phase-counts'>
            {counts.map(([kind, count, label]) => <div key={kind} className={`imageparser-phase-count imageparser-phase-count-${kind}${count ? '' : ' zero'}`}>
                <dt>{label}</dt>
                <dd>{formatCount(count)}</dd>
            </div>)}
        </dl>;
    }

    protected renderDetails(progress: PhaseProgress): React.ReactNode {
        const rows: [string, string, string][] = [];
        // A rate only while there is work: after a run, "10 per minute" for an idle phase reads as if it were still busy.
        if (progress.rate > 0 && pendingCount(progress) > 0) {
            rows.push(['rate', nls.localize('imageparser/phases-view/rate', 'Rate'), formatRate(progress.rate)]);
        }
        if (progress.etaSeconds !== undefined && pendingCount(progress) > 0) {
            rows.push(['eta', nls.localize('imageparser/phases-view/timeLeft', 'Time left'), formatSeconds(progress.etaSeconds)]);
        }
        if (progress.oldestQueuedSeconds !== undefined) {
            rows.push(['lag', nls.localize('imageparser/phases-view/oldestWaiting', 'Oldest job waiting'), formatSeconds(progress.oldestQueuedSeconds)]);
        }
        if (progress.modelState !== 'none') {
            rows.push(['model', nls.localize('imageparser/phases-view/model', 'Model'), modelStateText(progress.modelState)]);
        }
        return rows.length > 0 && <dl className='imageparser-phase-details'>
            {rows.map(([kind, label, value]) => <div key={kind} className={`imageparser-phase-detail-${kind}`}>
                <dt>{label}</dt>
                <dd className={progress.modelState === 'missing' && kind === 'model' ? 'imageparser-phases-error' : undefined}
                    title={kind === 'model' && progress.model ? progress.model : undefined}>{value}</dd>
            </div>)}
        </dl>;
    }

    protected renderControls(progress: PhaseProgress): React.ReactNode {
        const name = phaseName(progress.phase);
        const busy = this.model.isBusy(progress.phase);
        const selected = this.model.selectedAssetIds.length;
        const run = (commandId: string) => () => this.commands.executeCommand(commandId, progress.phase);
        return <div className='imageparser-phase-controls'>
            {progress.paused
                ? <button className='theia-button' disabled={busy} onClick={run(PhasesCommands.RESUME.id)}
                    aria-label={nls.localize('imageparser/phases-view/resumeAria', 'Resume {0}', name)}>
                    {nls.localize('imageparser/phases-view/resume', 'Resume')}
                </button>
                : <button className='theia-button secondary' disabled={busy} onClick={run(PhasesCommands.PAUSE.id)}
                    aria-label={nls.localize('imageparser/phases-view/pauseAria', 'Pause {0}', name)}>
                    {nls.localize('imageparser/phases-view/pause', 'Pause')}
                </button>}
            <button className='theia-button secondary' disabled={busy || !progress.failed} onClick={run(PhasesCommands.RETRY_FAILED.id)}
                aria-label={plural(progress.failed,
                    nls.localize('imageparser/phases-view/retryAria/one', 'Retry {1} failed image of {0}', name, formatCount(progress.failed)),
                    nls.localize('imageparser/phases-view/retryAria/other', 'Retry {1} failed images of {0}', name, formatCount(progress.failed)))}>
                {nls.localize('imageparser/phases-view/retry', 'Retry failed')}
            </button>
            <button className='theia-button secondary' disabled={busy || !selected || !progress.enabled} onClick={run(PhasesCommands.RERUN_SELECTED.id)}
                title={nls.localize('imageparser/phases-view/rerunHint', 'Runs this phase again on the results selected in Image Search.')}
                aria-label={plural(selected,
                    nls.localize('imageparser/phases-view/rerunAria/one', 'Run {0} again on {1} selected image', name, formatCount(selected)),
                    nls.localize('imageparser/phases-view/rerunAria/other', 'Run {0} again on {1} selected images', name, formatCount(selected)))}>
                {nls.localize('imageparser/phases-view/rerunSelected', 'Re-run on selected ({0})', formatCount(selected))}
            </button>
        </div>;
    }
}

import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core/lib/common/nls';
import { codicon } from '@theia/core/lib/browser/widgets/widget';
import { AssetLocation } from '@imageparser/archive-core/lib/common/asset-location';
import { PhaseFailure, PhaseProgress } from '@imageparser/archive-core/lib/common/job-protocol';
import { plural } from '@imageparser/archive-core/lib/common/plural';
import { formatDateTime } from '@imageparser/archive-core/lib/browser/display-date';
import { formatCount, phaseName } from '../common/phase-progress-text';
import { phaseFailureReason } from '../common/phase-failure-reasons';
import { PhasesModel } from './phases-model';

export interface PhaseFailureListProps {
    readonly progress: PhaseProgress;
    readonly model: PhasesModel;
}

/**
 * A phase's failures behind a toggle: each file with its reason in words,
 * how many attempts it had and when it last failed, and the raw message
 * folded away as details.
 */
export function PhaseFailureList({ progress, model }: PhaseFailureListProps): React.ReactElement | null {
    if (!progress.failed) {
        return null;
    }
    const expanded = model.isExpanded(progress.phase);
    const listId = `imageparser-phase-failures-${progress.phase}`;
    const failures = model.failures(progress.phase);
    const count = formatCount(progress.failed);
    return <div className='imageparser-phase-failures'>
        <button className='imageparser-phase-failures-toggle' aria-expanded={expanded} aria-controls={listId}
            onClick={() => model.toggleFailures(progress.phase)}>
            <span className={codicon(expanded ? 'chevron-down' : 'chevron-right')} aria-hidden='true' />
            {plural(progress.failed,
                nls.localize('imageparser/phases-view/failures/one', '{0} failure of {1}', count, phaseName(progress.phase)),
                nls.localize('imageparser/phases-view/failures/other', '{0} failures of {1}', count, phaseName(progress.phase)))}
        </button>
        {expanded && <div id={listId}>
            {failures === undefined
                ? <p className='imageparser-phases-note'>{nls.localize('imageparser/phases-view/failures/loading', 'Loading the failures…')}</p>
                : <ul className='imageparser-phase-failure-list'>{failures.map(failure => renderFailure(failure))}</ul>}
            {failures && failures.length < progress.failed && <p className='imageparser-phases-note'>
                {nls.localize('imageparser/phases-view/failures/newest', 'The newest {0} of {1} are shown.', formatCount(failures.length), count)}
            </p>}
        </div>}
    </div>;
}

function renderFailure(failure: PhaseFailure): React.ReactNode {
    const file = failure.location ? AssetLocation.display(failure.location) : nls.localize('imageparser/phases-view/failures/asset', 'Image {0}', failure.assetId);
    const name = failure.location ? AssetLocation.name(failure.location) : file;
    return <li key={`${failure.assetId}-${failure.location?.fileId ?? ''}`} className='imageparser-phase-failure'>
        <div className='imageparser-phase-failure-file' title={file}>{name}</div>
        <div className='imageparser-phase-failure-reason'>{phaseFailureReason(failure.code)}</div>
        <div className='imageparser-phase-failure-when'>
            {plural(failure.attempts,
                nls.localize('imageparser/phases-view/failures/attempts/one', '{0} attempt, last {1}', formatCount(failure.attempts), formatDateTime(failure.at)),
                nls.localize('imageparser/phases-view/failures/attempts/other', '{0} attempts, last {1}', formatCount(failure.attempts), formatDateTime(failure.at)))}
        </div>
        {failure.message && <details className='imageparser-phase-failure-details'>
            <summary>{nls.localize('imageparser/phases-view/failures/details', 'Details')}</summary>
            <pre>{failure.message}</pre>
        </details>}
    </li>;
}

import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core/lib/common/nls';
import { codicon } from '@theia/core/lib/browser/widgets/widget';
import type { FileProblem, FileProblemRoot, FileProblemState } from '@imageparser/archive-core/lib/common/file-problem-protocol';
import { plural } from '@imageparser/archive-core/lib/common/plural';
import { AssetLocation } from '@imageparser/archive-core/lib/common/asset-location';
import type { FileProblemsModel } from './file-problems-model';
import { failureReason } from './file-problem-reasons';
import { formatBytes } from '@imageparser/archive-core/lib/common/byte-size';
import { formatDateTime } from '@imageparser/archive-core/lib/browser/display-date';

export interface FileProblemListProps {
    readonly model: FileProblemsModel;
    readonly state: FileProblemState;
    /** Retries these failed files, or all of them. */
    readonly onRetry: (fileIds?: number[]) => void;
}

function folderLabel(root: FileProblemRoot | undefined): string {
    return root?.label ?? '';
}

/**
 * Failed or missing files, by folder: each row names the file and why it
 * failed (or since when it is missing); a click opens the details (the
 * ingester's own words, the folder and path, size and date) with a retry button.
 */
export function FileProblemList({ model, state, onRetry }: FileProblemListProps): React.ReactElement | null {
    const page = model.listOf(state);
    if (!page) {
        return null;
    }
    const roots = new Map(page.roots.map(root => [root.rootId, root]));
    const groups = new Map<number, FileProblem[]>();
    for (const problem of page.problems) {
        groups.set(problem.location.rootId, [...groups.get(problem.location.rootId) ?? [], problem]);
    }
    const heading = state === 'failed'
        ? plural(page.total, nls.localize('imageparser/search-view/problems/failedHeading/one', '{0} file could not be indexed', page.total),
            nls.localize('imageparser/search-view/problems/failedHeading/other', '{0} files could not be indexed', page.total))
        : plural(page.total, nls.localize('imageparser/search-view/problems/missingHeading/one', '{0} file is missing from its folder', page.total),
            nls.localize('imageparser/search-view/problems/missingHeading/other', '{0} files are missing from their folders', page.total));
    return <section className={`imageparser-problems state-${state}`} aria-label={heading}>
        <div className='imageparser-problems-head'>
            <span className={codicon(state === 'failed' ? 'warning' : 'question')} />
            <span className='imageparser-problems-title'>{heading}</span>
            {state === 'failed' && page.total > 0 && <button type='button' className='theia-button secondary imageparser-problems-retry-all' onClick={() => onRetry()}>
                {nls.localize('imageparser/search-view/problems/retryAll', 'Retry All')}
            </button>}
        </div>
        {page.total > page.problems.length && <div className='imageparser-problems-note'>
            {nls.localize('imageparser/search-view/problems/firstOnly', 'The first {0} are listed.', page.problems.length.toLocaleString(nls.locale))}
        </div>}
        {page.total === 0 && <div className='imageparser-problems-note'>
            {state === 'failed'
                ? nls.localize('imageparser/search-view/problems/noneFailed', 'Every file found so far was indexed.')
                : nls.localize('imageparser/search-view/problems/noneMissing', 'No indexed file is missing.')}
        </div>}
        {[...groups.entries()].map(([rootId, problems]) => <div key={rootId} className='imageparser-problems-folder'>
            <div className='imageparser-problems-folder-name' title={folderLabel(roots.get(rootId))}>
                <span className={codicon('folder')} /> {folderLabel(roots.get(rootId))}
            </div>
            <ul className='imageparser-problems-list'>
                {problems.map(problem => renderProblem(model, problem, onRetry))}
            </ul>
        </div>)}
    </section>;
}

function renderProblem(model: FileProblemsModel, problem: FileProblem, onRetry: (fileIds?: number[]) => void): React.ReactNode {
    const expanded = model.expanded === problem.fileId;
    const { relativePath } = problem.location;
    const slash = relativePath.lastIndexOf('/');
    const name = relativePath.slice(slash + 1);
    const subfolder = slash > 0 ? relativePath.slice(0, slash) : '';
    const reason = problem.state === 'failed' ? failureReason(problem.code)
        : nls.localize('imageparser/search-view/problems/missingSince', 'Missing since {0}', formatDateTime(problem.since));
    const toggle = () => model.toggleDetails(problem);
    return <li key={problem.fileId} className={`imageparser-problem${expanded ? ' expanded' : ''}`} data-file-id={problem.fileId}>
        <div className='imageparser-problem-row' role='button' tabIndex={0} aria-expanded={expanded} onClick={toggle}
            onKeyDown={event => (event.key === 'Enter' || event.key === ' ') && (event.preventDefault(), toggle())}>
            <span className={`imageparser-problem-twisty ${codicon(expanded ? 'chevron-down' : 'chevron-right')}`} />
            <span className='imageparser-problem-name'>{name}</span>
            <span className='imageparser-problem-reason'>{reason}</span>
            {subfolder && <span className='imageparser-problem-subfolder'>{subfolder}</span>}
        </div>
        {expanded && <div className='imageparser-problem-details'>
            {problem.message && <div className='imageparser-problem-message' lang='en'>{problem.message}</div>}
            <table>
                <tbody>
                    <tr><th>{nls.localize('imageparser/search-view/problems/path', 'Path')}</th><td>{AssetLocation.display(problem.location)}</td></tr>
                    <tr><th>{nls.localize('imageparser/search-view/problems/size', 'Size')}</th><td>{formatBytes(problem.size, nls.locale)}</td></tr>
                    <tr>
                        <th>{problem.state === 'failed' ? nls.localize('imageparser/search-view/problems/failedAt', 'Failed') : nls.localize('imageparser/search-view/problems/missingAt', 'Missing since')}</th>
                        <td>{formatDateTime(problem.since)}</td>
                    </tr>
                </tbody>
            </table>
            {problem.state === 'failed' && <button type='button' className='theia-button secondary imageparser-problem-retry' onClick={() => onRetry([problem.fileId])}>
                {nls.localize('imageparser/search-view/problems/retry', 'Retry')}
            </button>}
        </div>}
    </li>;
}


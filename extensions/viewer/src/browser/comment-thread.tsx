import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core/lib/common/nls';
import { plural } from '@imageparser/archive-core/lib/common/plural';
import type { AssetComment } from '@imageparser/archive-core/lib/common/annotation-protocol';
import { formatDateTime } from '@imageparser/archive-core/lib/browser/display-date';

export interface CommentThreadProps {
    readonly comments: readonly AssetComment[];
    readonly onAdd: (body: string) => Promise<unknown>;
    readonly onEdit: (comment: AssetComment, body: string) => Promise<unknown>;
    readonly onDelete: (comment: AssetComment) => Promise<unknown>;
}

function when(iso: string): string {
    return formatDateTime(iso);
}

/** Comments with author and time; an edited one shows "edited" and, on request, every earlier version. */
export function CommentThread({ comments, onAdd, onEdit, onDelete }: CommentThreadProps): React.ReactElement {
    const [draft, setDraft] = React.useState('');
    const [editing, setEditing] = React.useState<{ id: number; body: string } | undefined>();
    const [history, setHistory] = React.useState<number | undefined>();
    const [busy, setBusy] = React.useState(false);
    const run = async (work: () => Promise<unknown>) => {
        setBusy(true);
        try {
            await work();
        } catch {
            // Reported by the viewer; the text stays in the box.
        } finally {
            setBusy(false);
        }
    };
    return <div className='imageparser-viewer-comments'>
        {!comments.length && <div className='imageparser-viewer-empty'>{nls.localize('imageparser/viewer/noComments', 'No comments yet')}</div>}
        {comments.map(comment => <div key={comment.id} className='imageparser-viewer-comment' data-comment-id={comment.id}>
            <div className='imageparser-viewer-comment-head'>
                <strong>{comment.author}</strong>
                <span>{when(comment.createdAt)}</span>
                {comment.revisions.length > 1 && <button type='button' className='imageparser-link' aria-expanded={history === comment.id}
                    onClick={() => setHistory(history === comment.id ? undefined : comment.id)}>
                    {plural(comment.revisions.length - 1,
                        nls.localize('imageparser/viewer/edited/one', 'edited: {0} earlier version', comment.revisions.length - 1),
                        nls.localize('imageparser/viewer/edited/other', 'edited: {0} earlier versions', comment.revisions.length - 1))}
                </button>}
            </div>
            {editing?.id === comment.id
                ? <div className='imageparser-viewer-comment-edit'>
                    <textarea className='theia-input' value={editing.body} rows={3} aria-label={nls.localize('imageparser/viewer/editComment', 'Edit comment')}
                        onChange={event => setEditing({ id: comment.id, body: event.target.value })} autoFocus />
                    <button type='button' className='theia-button' disabled={busy || !editing.body.trim()}
                        onClick={() => run(async () => { await onEdit(comment, editing.body); setEditing(undefined); })}>
                        {nls.localize('imageparser/viewer/save', 'Save')}
                    </button>
                    <button type='button' className='theia-button secondary' onClick={() => setEditing(undefined)}>{nls.localize('imageparser/viewer/cancel', 'Cancel')}</button>
                </div>
                : <div className='imageparser-viewer-comment-body'>{comment.body}</div>}
            {editing?.id !== comment.id && <div className='imageparser-viewer-comment-actions'>
                <button type='button' className='imageparser-link' onClick={() => setEditing({ id: comment.id, body: comment.body })}>{nls.localize('imageparser/viewer/edit', 'Edit')}</button>
                <button type='button' className='imageparser-link' disabled={busy} onClick={() => run(() => onDelete(comment))}>{nls.localize('imageparser/viewer/delete', 'Delete')}</button>
            </div>}
            {history === comment.id && <ol className='imageparser-viewer-comment-history' aria-label={nls.localize('imageparser/viewer/history', 'Earlier versions')}>
                {comment.revisions.map(revision => <li key={revision.revision}>
                    <div className='imageparser-viewer-comment-head'>
                        <span>{nls.localize('imageparser/viewer/version', 'Version {0}', revision.revision)}</span>
                        <strong>{revision.author}</strong>
                        <span>{when(revision.writtenAt)}</span>
                    </div>
                    <div className='imageparser-viewer-comment-body'>{revision.body}</div>
                </li>)}
            </ol>}
        </div>)}
        <textarea className='theia-input imageparser-viewer-comment-draft' rows={3} value={draft}
            placeholder={nls.localize('imageparser/viewer/commentPlaceholder', 'Write a comment (Ctrl+Enter posts it)')}
            aria-label={nls.localize('imageparser/viewer/newComment', 'New comment')}
            onChange={event => setDraft(event.target.value)}
            onKeyDown={event => {
                if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && draft.trim()) {
                    event.preventDefault();
                    run(async () => { await onAdd(draft); setDraft(''); });
                }
            }} />
        <button type='button' className='theia-button' disabled={busy || !draft.trim()} onClick={() => run(async () => { await onAdd(draft); setDraft(''); })}>
            {nls.localize('imageparser/viewer/postComment', 'Comment')}
        </button>
    </div>;
}

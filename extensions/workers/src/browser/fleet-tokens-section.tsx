import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core/lib/common/nls';
import type { IssuedWorkerToken, WorkerTokenInfo } from '../common/fleet-service';
import { formatCount } from '../common/fleet-text';

export interface FleetTokensSectionProps {
    readonly tokens: readonly WorkerTokenInfo[];
    readonly issued: IssuedWorkerToken | undefined;
    /** The server's address, for the command line a worker machine runs. */
    readonly serverUrl: string;
    readonly issue: (label: string) => void;
    readonly revoke: (id: string) => void;
    readonly copy: (text: string) => void;
    readonly dismissIssued: () => void;
}

function formatDate(iso: string): string {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(nls.locale || nls.defaultLocale, { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * Worker tokens: a label and Issue; the secret of the token just issued,
 * shown once with a copy button and the command line that uses it; the
 * tokens with their sessions, revoked ones marked, live ones revocable.
 */
export function FleetTokensSection(props: FleetTokensSectionProps): React.ReactElement {
    const label = React.useRef<HTMLInputElement>(null);
    const onSubmit = (event: React.FormEvent) => {
        event.preventDefault();
        const value = label.current?.value.trim();
        if (value) {
            props.issue(value);
            label.current!.value = '';
        }
    };
    return <section className='imageparser-fleet-tokens' aria-labelledby='imageparser-fleet-tokens-heading'>
        <h2 id='imageparser-fleet-tokens-heading'>{nls.localize('imageparser/workers/tokens/heading', 'Worker tokens')}</h2>
        <form className='imageparser-fleet-issue' onSubmit={onSubmit}>
            <input ref={label} className='theia-input' maxLength={100}
                aria-label={nls.localize('imageparser/workers/tokens/labelAria', 'Label of the new token')}
                placeholder={nls.localize('imageparser/workers/issue/placeholder', 'Token label, e.g. studio-gpu-3')} />
            <button type='submit' className='theia-button'>{nls.localize('imageparser/workers/tokens/issue', 'Issue token')}</button>
        </form>
        {props.issued && renderIssued(props.issued, props)}
        {props.tokens.length
            ? <table className='imageparser-fleet-token-list'>
                <thead><tr>
                    <th>{nls.localize('imageparser/workers/tokens/label', 'Label')}</th>
                    <th>{nls.localize('imageparser/workers/tokens/created', 'Issued')}</th>
                    <th>{nls.localize('imageparser/workers/tokens/sessions', 'Workers')}</th>
                    <th><span className='theia-visually-hidden'>{nls.localize('imageparser/workers/tokens/actions', 'Actions')}</span></th>
                </tr></thead>
                <tbody>{props.tokens.map(token => <tr key={token.id} data-token={token.id} className={token.revokedAt ? 'imageparser-fleet-token-revoked' : undefined}>
                    <td>{token.label}</td>
                    <td>{formatDate(token.createdAt)}</td>
                    <td>{formatCount(token.sessions)}</td>
                    <td>{token.revokedAt
                        ? nls.localize('imageparser/workers/tokens/revokedAt', 'Revoked {0}', formatDate(token.revokedAt))
                        : <button className='theia-button secondary' onClick={() => props.revoke(token.id)}
                            aria-label={nls.localize('imageparser/workers/tokens/revokeAria', 'Revoke the token {0}', token.label)}>
                            {nls.localize('imageparser/workers/tokens/revoke', 'Revoke…')}
                        </button>}</td>
                </tr>)}</tbody>
            </table>
            : <p className='imageparser-fleet-note'>{nls.localize('imageparser/workers/tokens/none', 'No token issued yet: a worker machine needs one to join.')}</p>}
    </section>;
}

function renderIssued(issued: IssuedWorkerToken, props: FleetTokensSectionProps): React.ReactNode {
    const commandLine = `imageparser worker --server ${props.serverUrl} --token ${issued.token}`;
    return <div className='imageparser-fleet-issued' role='status'>
        <p>{nls.localize('imageparser/workers/tokens/copyNow', 'Copy the token {0} now: it is not shown again.', issued.label)}</p>
        <code className='imageparser-fleet-secret'>{issued.token}</code>
        <div className='imageparser-fleet-issued-controls'>
            <button className='theia-button' onClick={() => props.copy(issued.token)}>{nls.localize('imageparser/workers/tokens/copy', 'Copy token')}</button>
            <button className='theia-button secondary' onClick={() => props.copy(commandLine)}>
                {nls.localize('imageparser/workers/tokens/copyCommand', 'Copy worker command line')}
            </button>
            <button className='theia-button secondary' onClick={props.dismissIssued}>{nls.localize('imageparser/workers/tokens/dismiss', 'Done')}</button>
        </div>
        <p className='imageparser-fleet-note'>{nls.localize('imageparser/workers/tokens/hint', 'On a worker machine, run: {0}', commandLine)}</p>
    </div>;
}

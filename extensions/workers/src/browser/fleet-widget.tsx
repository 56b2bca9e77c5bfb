import * as React from '@theia/core/shared/react';
import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { CommandService } from '@theia/core/lib/common/command';
import { Disposable } from '@theia/core/lib/common/disposable';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import { ClipboardService } from '@theia/core/lib/browser/clipboard-service';
import { ContextMenuRenderer } from '@theia/core/lib/browser/context-menu-renderer';
import { codicon } from '@theia/core/lib/browser/widgets/widget';
import { ReactWidget } from '@theia/core/lib/browser/widgets/react-widget';
import { FLEET_VIEW_ID } from '../common';
import type { FleetPhaseQueue } from '../common/fleet-service';
import { formatCount, formatJobsPerMinute, formatSeconds, phaseName, roleName } from '../common/fleet-text';
import { FleetCommands } from './fleet-commands';
import { FleetModel } from './fleet-model';
import { FleetTokensSection } from './fleet-tokens-section';
import { FleetWorkerCard } from './fleet-worker-card';

/** The context menu of a worker in the fleet panel; its commands get the worker's session id. */
export const FLEET_WORKER_CONTEXT_MENU = ['imageparser-fleet-worker-context-menu'];

/** How often heartbeat ages move on between the backend's notices (a lost worker sends none). */
const AGE_TICK_MS = 1000;

/**
 * The fleet admin panel: the per-phase queues, each worker with its role,
 * state, connection, schedule, resources, current job, throughput and last
 * heartbeat age and its controls, the blocked machines, and the worker
 * tokens. A thin view over {@link FleetModel}; every action runs a command.
 */
@injectable()
export class FleetWidget extends ReactWidget {

    static readonly ID = FLEET_VIEW_ID;
    static readonly LABEL = nls.localize('imageparser/workers/title', 'Worker Fleet');

    @inject(FleetModel)
    protected readonly model: FleetModel;

    @inject(CommandService)
    protected readonly commands: CommandService;

    @inject(ContextMenuRenderer)
    protected readonly contextMenus: ContextMenuRenderer;

    @inject(ClipboardService)
    protected readonly clipboard: ClipboardService;

    @inject(MessageService)
    protected readonly messages: MessageService;

    @postConstruct()
    protected init(): void {
        this.id = FleetWidget.ID;
        this.title.label = FleetWidget.LABEL;
        this.title.caption = nls.localize('imageparser/workers/caption', 'ImageParser: Worker Fleet');
        this.title.iconClass = codicon('server');
        this.title.closable = true;
        this.addClass('imageparser-fleet');
        this.node.tabIndex = 0;
        this.toDispose.push(this.model.onDidChange(() => this.update()));
        const ticker = setInterval(() => {
            if (this.isVisible && this.model.workers.length) {
                this.update();
            }
        }, AGE_TICK_MS);
        this.toDispose.push(Disposable.create(() => clearInterval(ticker)));
        this.model.start();
        this.update();
    }

    protected override onActivateRequest(): void {
        (this.node.querySelector<HTMLElement>('.imageparser-fleet-worker, button:not([disabled])') ?? this.node).focus();
    }

    protected run = (commandId: string, ...args: unknown[]): void => {
        this.commands.executeCommand(commandId, ...args).catch(error => this.messages.error(error instanceof Error ? error.message : String(error)));
    };

    protected openMenu = (sessionId: string, x: number, y: number): void => {
        this.contextMenus.render({ menuPath: FLEET_WORKER_CONTEXT_MENU, anchor: { x, y }, args: [sessionId], context: this.node });
    };

    protected copy = async (text: string): Promise<void> => {
        try {
            await this.clipboard.writeText(text);
            this.messages.info(nls.localize('imageparser/workers/copied', 'Copied to the clipboard.'));
        } catch (error) {
            this.messages.error(nls.localize('imageparser/workers/copyFailed', 'Could not copy to the clipboard: {0}', error instanceof Error ? error.message : String(error)));
        }
    };

    protected render(): React.ReactNode {
        switch (this.model.state) {
            case 'loading':
                return <p className='imageparser-fleet-note'>{nls.localize('imageparser/workers/loading', 'Asking the server about its workers…')}</p>;
            case 'unavailable':
                return <p className='imageparser-fleet-note imageparser-fleet-error' role='alert'>
                    {nls.localize('imageparser/workers/unavailable', 'The fleet could not be shown: {0}', this.model.error)}
                </p>;
            default:
                return <div className='imageparser-fleet-content'>
                    {this.renderHeader()}
                    {this.renderQueues()}
                    {this.renderWorkers()}
                    {this.renderBlocked()}
                    <FleetTokensSection tokens={this.model.tokens} issued={this.model.issued} serverUrl={window.location.origin}
                        issue={label => this.run(FleetCommands.ISSUE_TOKEN.id, label)} revoke={id => this.run(FleetCommands.REVOKE_TOKEN.id, id)}
                        copy={this.copy} dismissIssued={() => this.model.dismissIssued()} />
                </div>;
        }
    }

    protected renderHeader(): React.ReactNode {
        const local = this.model.localWorker;
        const engine = this.model.engine === 'bullmq'
            ? nls.localize('imageparser/workers/engine/bullmq', 'Queue: BullMQ on Redis')
            : nls.localize('imageparser/workers/engine/embedded', 'Queue: embedded (SQLite)');
        return <header className='imageparser-fleet-header'>
            <span className='imageparser-fleet-engine'>{engine}</span>
            {local
                ? <>
                    <span className='imageparser-fleet-local'>{nls.localize('imageparser/workers/localRunning', 'This machine contributes: {0}', roleName(local.role))}</span>
                    <button className='theia-button secondary' disabled={this.model.contributionBusy} onClick={() => this.run(FleetCommands.STOP_CONTRIBUTING.id)}>
                        {FleetCommands.STOP_CONTRIBUTING.label}
                    </button>
                </>
                : <button className='theia-button' disabled={this.model.contributionBusy} onClick={() => this.run(FleetCommands.CONTRIBUTE.id)}>
                    {FleetCommands.CONTRIBUTE.label}
                </button>}
        </header>;
    }

    protected renderQueues(): React.ReactNode {
        const phases = this.model.phases;
        return <section className='imageparser-fleet-queues' aria-labelledby='imageparser-fleet-queues-heading'>
            <h2 id='imageparser-fleet-queues-heading'>{nls.localize('imageparser/workers/queues/heading', 'Queues')}</h2>
            {phases.length
                ? <table className='imageparser-fleet-queue-table'>
                    <thead><tr>
                        <th scope='col'>{nls.localize('imageparser/workers/queues/phase', 'Phase')}</th>
                        <th scope='col'>{nls.localize('imageparser/workers/queues/queued', 'Queued')}</th>
                        <th scope='col'>{nls.localize('imageparser/workers/queues/leased', 'In progress')}</th>
                        <th scope='col'>{nls.localize('imageparser/workers/queues/done', 'Done')}</th>
                        <th scope='col'>{nls.localize('imageparser/workers/queues/failed', 'Failed')}</th>
                        <th scope='col'>{nls.localize('imageparser/workers/queues/rate', 'Rate')}</th>
                        <th scope='col'>{nls.localize('imageparser/workers/queues/oldest', 'Oldest pending')}</th>
                        <th scope='col'>{nls.localize('imageparser/workers/queues/workers', 'Workers')}</th>
                    </tr></thead>
                    <tbody>{phases.map(queue => this.renderQueue(queue))}</tbody>
                </table>
                : <p className='imageparser-fleet-note'>{nls.localize('imageparser/workers/queues/none', 'The server runs no phases.')}</p>}
        </section>;
    }

    protected renderQueue(queue: FleetPhaseQueue): React.ReactNode {
        const cells: [string, string][] = [
            ['queued', formatCount(queue.queued)],
            ['leased', formatCount(queue.leased)],
            ['done', formatCount(queue.done)],
            ['failed', formatCount(queue.failed)],
            ['rate', formatJobsPerMinute(queue.ratePerMinute)],
            ['oldest', queue.oldestPendingSeconds === undefined ? '–' : formatSeconds(queue.oldestPendingSeconds)],
            ['workers', formatCount(queue.workers)]
        ];
        return <tr key={queue.phase} data-phase={queue.phase}>
            <th scope='row' title={queue.model || undefined}>{phaseName(queue.phase)}</th>
            {cells.map(([kind, value]) => <td key={kind} className={`imageparser-fleet-queue-${kind}`}>{value}</td>)}
        </tr>;
    }

    protected renderWorkers(): React.ReactNode {
        const workers = this.model.workers;
        return <section className='imageparser-fleet-workers' aria-labelledby='imageparser-fleet-workers-heading'>
            <h2 id='imageparser-fleet-workers-heading'>{nls.localize('imageparser/workers/workers/heading', 'Workers')}</h2>
            {workers.length
                ? <div className='imageparser-fleet-worker-list'>{workers.map(worker => <FleetWorkerCard key={worker.sessionId} worker={worker}
                    heartbeatAgeMs={this.model.heartbeatAgeMs(worker)} busy={this.model.isBusy(worker.sessionId)} run={this.run} openMenu={this.openMenu} />)}
                </div>
                : <p className='imageparser-fleet-note'>{nls.localize('imageparser/workers/workers/none',
                    'No worker is connected. Issue a token below and start a worker with it, or contribute this machine.')}</p>}
        </section>;
    }

    protected renderBlocked(): React.ReactNode {
        const blocked = this.model.blocked;
        return blocked.length > 0 && <section className='imageparser-fleet-blocked' aria-labelledby='imageparser-fleet-blocked-heading'>
            <h2 id='imageparser-fleet-blocked-heading'>{nls.localize('imageparser/workers/blocked/heading', 'Blocked machines')}</h2>
            <ul>{blocked.map(hostname => <li key={hostname} data-hostname={hostname}>
                <span>{hostname}</span>
                <button className='theia-button secondary' onClick={() => this.run(FleetCommands.UNBLOCK_MACHINE.id, hostname)}
                    aria-label={nls.localize('imageparser/workers/unblockAria', 'Unblock {0}', hostname)}>
                    {nls.localize('imageparser/workers/unblock', 'Unblock')}
                </button>
            </li>)}</ul>
        </section>;
    }
}

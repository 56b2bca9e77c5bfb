import { inject, injectable } from '@theia/core/shared/inversify';
import { CommandRegistry } from '@theia/core/lib/common/command';
import { MenuModelRegistry } from '@theia/core/lib/common/menu';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import { QuickInputService, QuickPickItem } from '@theia/core/lib/common/quick-pick-service';
import { ConfirmDialog } from '@theia/core/lib/browser/dialogs';
import { AbstractViewContribution } from '@theia/core/lib/browser/shell/view-contribution';
import { WORKER_ROLES, WorkerRole } from '../common/fleet-protocol';
import type { FleetWorker } from '../common/fleet-service';
import { connectionText, roleDescription, roleName, workerName, workerStateText } from '../common/fleet-text';
import { FleetCommands } from './fleet-commands';
import { FleetModel } from './fleet-model';
import { FLEET_WORKER_CONTEXT_MENU, FleetWidget } from './fleet-widget';

/**
 * The fleet panel in the main area (View menu, "ImageParser: Show Worker
 * Fleet") and every fleet action as a command: the panel's buttons and its
 * worker context menu pass the worker, the palette asks for it.
 */
@injectable()
export class FleetViewContribution extends AbstractViewContribution<FleetWidget> {

    @inject(FleetModel)
    protected readonly model: FleetModel;

    @inject(QuickInputService)
    protected readonly quickInput: QuickInputService;

    @inject(MessageService)
    protected readonly messages: MessageService;

    constructor() {
        super({
            widgetId: FleetWidget.ID,
            widgetName: FleetWidget.LABEL,
            defaultWidgetOptions: { area: 'main' },
            toggleCommandId: 'imageparser.fleet.toggle'
        });
    }

    override registerCommands(registry: CommandRegistry): void {
        super.registerCommands(registry);
        registry.registerCommand(FleetCommands.SHOW, { execute: () => this.openView({ activate: true, reveal: true }) });
        registry.registerCommand(FleetCommands.PAUSE_WORKER, {
            execute: (sessionId?: string) => this.withWorker(sessionId, worker => worker.state !== 'paused' && worker.state !== 'stopping',
                worker => this.model.pause(worker.sessionId),
                (name, reason) => nls.localize('imageparser/workers/pauseFailed', 'Could not pause {0}: {1}', name, reason))
        });
        registry.registerCommand(FleetCommands.RESUME_WORKER, {
            execute: (sessionId?: string) => this.withWorker(sessionId, worker => worker.state === 'paused',
                worker => this.model.resume(worker.sessionId),
                (name, reason) => nls.localize('imageparser/workers/resumeFailed', 'Could not resume {0}: {1}', name, reason))
        });
        registry.registerCommand(FleetCommands.STOP_WORKER, {
            execute: (sessionId?: string) => this.withWorker(sessionId, worker => worker.state !== 'stopping',
                worker => this.model.stop(worker.sessionId),
                (name, reason) => nls.localize('imageparser/workers/stopFailed', 'Could not stop {0}: {1}', name, reason))
        });
        registry.registerCommand(FleetCommands.BLOCK_WORKER, {
            execute: (sessionId?: string) => this.withWorker(sessionId, () => true, async worker => {
                if (await this.confirmBlock(worker)) {
                    await this.model.block(worker.sessionId);
                }
            }, (name, reason) => nls.localize('imageparser/workers/blockFailed', 'Could not block {0}: {1}', name, reason))
        });
        registry.registerCommand(FleetCommands.CHANGE_ROLE, {
            execute: (sessionId?: string, role?: WorkerRole) => this.withWorker(sessionId, worker => worker.connection === 'connected', async worker => {
                const target = role ?? await this.pickRole(worker.role,
                    nls.localize('imageparser/workers/pickRole/placeholder', 'Pick the role of {0}', workerName(worker)));
                if (target) {
                    await this.model.changeRole(worker.sessionId, target);
                }
            }, (name, reason) => nls.localize('imageparser/workers/changeRoleFailed', 'Could not change the role of {0}: {1}', name, reason))
        });
        registry.registerCommand(FleetCommands.UNBLOCK_MACHINE, {
            execute: (hostname?: string) => this.withMachine(hostname),
            isEnabled: () => this.model.blocked.length > 0
        });
        registry.registerCommand(FleetCommands.ISSUE_TOKEN, { execute: (label?: string) => this.issueToken(label) });
        registry.registerCommand(FleetCommands.REVOKE_TOKEN, { execute: (id?: string) => this.revokeToken(id) });
        registry.registerCommand(FleetCommands.CONTRIBUTE, {
            execute: (role?: WorkerRole) => this.contribute(role),
            isEnabled: () => !this.model.contributionBusy
        });
        registry.registerCommand(FleetCommands.STOP_CONTRIBUTING, {
            execute: () => this.run(() => this.model.stopContributing(),
                reason => nls.localize('imageparser/workers/stopContributingFailed', 'Could not stop the worker of this machine: {0}', reason)),
            isEnabled: () => !this.model.contributionBusy
        });
    }

    override registerMenus(menus: MenuModelRegistry): void {
        super.registerMenus(menus);
        const entries = [FleetCommands.PAUSE_WORKER, FleetCommands.RESUME_WORKER, FleetCommands.CHANGE_ROLE, FleetCommands.STOP_WORKER, FleetCommands.BLOCK_WORKER];
        entries.forEach((command, index) => menus.registerMenuAction(FLEET_WORKER_CONTEXT_MENU, {
            commandId: command.id, label: command.label, order: String.fromCharCode(97 + index)
        }));
    }

    /**
     * Runs an action on the given worker, or on the one the user picks among
     * those it applies to; a refusal of the backend becomes an error message.
     */
    protected async withWorker(sessionId: string | undefined, applies: (worker: FleetWorker) => boolean,
        action: (worker: FleetWorker) => Promise<void>, failed: (name: string, reason: string) => string): Promise<void> {
        const worker = typeof sessionId === 'string' ? this.model.find(sessionId) : await this.pickWorker(applies);
        if (!worker) {
            if (typeof sessionId === 'string') {
                this.messages.error(nls.localize('imageparser/workers/workerGone', 'That worker is no longer connected.'));
            }
            return;
        }
        await this.run(() => action(worker), reason => failed(workerName(worker), reason));
    }

    protected async pickWorker(applies: (worker: FleetWorker) => boolean): Promise<FleetWorker | undefined> {
        await this.model.refresh();
        const candidates = this.model.workers.filter(applies);
        if (!candidates.length) {
            this.messages.info(nls.localize('imageparser/workers/noWorkerApplies', 'No worker to do that for now.'));
            return undefined;
        }
        const items: (QuickPickItem & { worker: FleetWorker })[] = candidates.map(worker => ({
            worker,
            label: workerName(worker),
            description: nls.localize('imageparser/workers/pick/description', '{0}, {1}, {2}',
                roleName(worker.role), workerStateText(worker.state), connectionText(worker.connection)),
            detail: worker.tokenLabel
        }));
        const picked = await this.quickInput.showQuickPick(items, {
            placeholder: nls.localize('imageparser/workers/pick/placeholder', 'Pick a worker')
        });
        return picked?.worker;
    }

    protected async pickRole(current: WorkerRole | undefined, placeholder: string): Promise<WorkerRole | undefined> {
        const items: (QuickPickItem & { role: WorkerRole })[] = WORKER_ROLES.map(role => ({
            role,
            label: roleName(role),
            description: role === current ? nls.localize('imageparser/workers/pickRole/current', 'current role') : undefined,
            detail: roleDescription(role)
        }));
        const picked = await this.quickInput.showQuickPick(items, { placeholder });
        return picked?.role;
    }

    protected confirmBlock(worker: FleetWorker): Promise<boolean | undefined> {
        return new ConfirmDialog({
            title: nls.localize('imageparser/workers/block/title', 'Block {0}?', workerName(worker)),
            msg: nls.localize('imageparser/workers/block/message',
                'The worker on {0} gives its jobs back and stops, and the server refuses this machine until you unblock it.', workerName(worker)),
            ok: nls.localize('imageparser/workers/block/ok', 'Block')
        }).open();
    }

    protected async withMachine(hostname: string | undefined): Promise<void> {
        let target = hostname;
        if (typeof target !== 'string') {
            await this.model.refresh();
            if (!this.model.blocked.length) {
                this.messages.info(nls.localize('imageparser/workers/noneBlocked', 'No machine is blocked.'));
                return;
            }
            target = (await this.quickInput.showQuickPick(this.model.blocked.map(each => ({ label: each })), {
                placeholder: nls.localize('imageparser/workers/pickMachine/placeholder', 'Pick a machine to unblock')
            }))?.label;
        }
        if (target) {
            const machine = target;
            await this.run(() => this.model.unblock(machine),
                reason => nls.localize('imageparser/workers/unblockFailed', 'Could not unblock {0}: {1}', machine, reason));
        }
    }

    protected async issueToken(label: string | undefined): Promise<void> {
        const chosen = typeof label === 'string' ? label : await this.quickInput.input({
            prompt: nls.localize('imageparser/workers/issue/prompt', 'Name the token after the machine or the person that will use it'),
            placeHolder: nls.localize('imageparser/workers/issue/placeholder', 'Token label, e.g. studio-gpu-3'),
            validateInput: async value => value.trim() ? undefined : nls.localize('imageparser/workers/tokenLabelRequired', 'A worker token needs a label.')
        });
        if (chosen === undefined) {
            return;
        }
        await this.run(async () => {
            await this.model.issueToken(chosen);
            // The secret is shown once, in the panel, with its copy button.
            await this.openView({ activate: true, reveal: true });
        }, reason => nls.localize('imageparser/workers/issueFailed', 'Could not issue a worker token: {0}', reason));
    }

    protected async revokeToken(id: string | undefined): Promise<void> {
        await this.model.refreshTokens().catch(() => undefined);
        const live = this.model.tokens.filter(token => !token.revokedAt);
        const token = typeof id === 'string'
            ? this.model.tokens.find(each => each.id === id)
            : await this.quickInput.showQuickPick(live.map(each => ({ ...each, label: each.label, description: each.createdAt })), {
                placeholder: nls.localize('imageparser/workers/pickToken/placeholder', 'Pick a token to revoke')
            });
        if (!token) {
            if (typeof id !== 'string' && !live.length) {
                this.messages.info(nls.localize('imageparser/workers/noTokens', 'No worker token to revoke.'));
            }
            return;
        }
        const confirmed = await new ConfirmDialog({
            title: nls.localize('imageparser/workers/revoke/title', 'Revoke {0}?', token.label),
            msg: nls.localize('imageparser/workers/revoke/message', 'Workers using {0} are refused from their next call; their jobs go back to the queue.', token.label),
            ok: nls.localize('imageparser/workers/revoke/ok', 'Revoke')
        }).open();
        if (confirmed) {
            await this.run(() => this.model.revokeToken(token.id),
                reason => nls.localize('imageparser/workers/revokeFailed', 'Could not revoke {0}: {1}', token.label, reason));
        }
    }

    protected async contribute(role: WorkerRole | undefined): Promise<void> {
        const target = role ?? await this.pickRole(this.model.localWorker?.role,
            nls.localize('imageparser/workers/contribute/placeholder', 'Pick the role this machine takes'));
        if (target) {
            await this.run(async () => {
                await this.model.contribute(target);
                this.messages.info(nls.localize('imageparser/workers/contributing', 'This machine works for the archive as a worker: {0}.', roleName(target)));
            }, reason => nls.localize('imageparser/workers/contributeFailed', 'Could not start a worker on this machine: {0}', reason));
        }
    }

    protected async run(action: () => Promise<void>, failed: (reason: string) => string): Promise<void> {
        try {
            await action();
        } catch (error) {
            this.messages.error(failed(error instanceof Error ? error.message : String(error)));
        }
    }
}

import { inject, injectable } from '@theia/core/shared/inversify';
import { Command, CommandContribution, CommandRegistry } from '@theia/core/lib/common/command';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';
import { PreferenceService } from '@theia/core/lib/common/preferences';
import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { AiModelStatus, AiService } from '../common/ai-protocol';
import { describeAiModel } from './ai-model-messages';

export namespace AiModelCommands {
    export const CHECK = Command.toLocalizedCommand({
        id: 'imageparser.ai.checkModels',
        label: 'Check AI Models',
        category: 'ImageParser'
    }, 'imageparser/archive-core/commands/checkAiModels', 'imageparser/archive-core/category');
}

/** How long the AI settings must stay still before they are checked (typing a path changes them at every key). */
const SETTLE_MS = 1500;

/**
 * Tells the user when an AI setting is invalid (a missing folder, wrong
 * files, an unknown provider), at start and after the AI settings change,
 * once per problem; and "ImageParser: Check AI Models" checks the models now
 * and shows every role's status.
 */
@injectable()
export class AiModelsContribution implements FrontendApplicationContribution, CommandContribution {

    @inject(AiService)
    protected readonly aiService: AiService;

    @inject(MessageService)
    protected readonly messages: MessageService;

    @inject(PreferenceService)
    protected readonly preferences: PreferenceService;

    /** The problems already shown, so the same one is not shown again until it is fixed. */
    protected shown = new Set<string>();
    protected settleTimer: ReturnType<typeof setTimeout> | undefined;

    onStart(): void {
        // Checked, not just read: at start the backend may still be checking the settings.
        this.aiService.validate().then(statuses => this.notifyInvalid(statuses), () => undefined);
        this.preferences.onPreferenceChanged(change => {
            if (/^imageparser\.(caption|visual|text)\./.test(change.preferenceName)) {
                clearTimeout(this.settleTimer);
                this.settleTimer = setTimeout(() => this.aiService.validate().then(statuses => this.notifyInvalid(statuses), () => undefined), SETTLE_MS);
            }
        });
    }

    registerCommands(registry: CommandRegistry): void {
        registry.registerCommand(AiModelCommands.CHECK, { execute: () => this.check() });
    }

    /** Checks the models now and shows each role's status; answers the statuses. */
    protected async check(): Promise<AiModelStatus[]> {
        try {
            const statuses = await this.aiService.validate();
            // One notification per role (notifications show no line breaks), a warning for a role that cannot run.
            for (const status of statuses) {
                if (status.health.state === 'invalid' || status.health.state === 'down') {
                    this.messages.warn(describeAiModel(status));
                } else {
                    this.messages.info(describeAiModel(status));
                }
            }
            this.shown = new Set(statuses.filter(isInvalid).map(problemKey));
            return statuses;
        } catch (error) {
            this.messages.error(nls.localize('imageparser/archive-core/ai/checkFailed', 'Cannot check the AI models: {0}',
                error instanceof Error ? error.message : String(error)));
            return [];
        }
    }

    protected notifyInvalid(statuses: AiModelStatus[]): void {
        const invalid = statuses.filter(isInvalid);
        for (const status of invalid) {
            if (!this.shown.has(problemKey(status))) {
                this.messages.warn(describeAiModel(status));
            }
        }
        this.shown = new Set(invalid.map(problemKey));
    }
}

function isInvalid(status: AiModelStatus): boolean {
    return status.health.state === 'invalid';
}

function problemKey(status: AiModelStatus): string {
    return `${status.role}:${status.health.code ?? ''}:${status.health.message ?? ''}`;
}

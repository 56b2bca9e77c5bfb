import { inject, injectable, optional } from '@theia/core/shared/inversify';
import { Emitter, Event } from '@theia/core/lib/common/event';
import { nls } from '@theia/core/lib/common/nls';
import { AiModelStatus, AiRole, AiService } from '@imageparser/archive-core/lib/common/ai-protocol';

/** One line of the axis weights panel: which model serves a role now, and what is on its way. */
export interface AxisModelLine {
    readonly role: AiRole;
    /** The role's name and its model, for people. */
    readonly text: string;
    /** Whether the provider is down or invalid (the line is shown as a warning). */
    readonly problem: boolean;
}

/**
 * The models behind the search axes for the axis weights panel: the image
 * model serving V (Look), the text model serving M (Meaning), and the
 * caption model whose captions both read. Answers nothing when the AI
 * service is not bound or does not answer: the panel then shows the weights alone.
 */
@injectable()
export class AxisModels {

    @inject(AiService) @optional()
    protected readonly ai: AiService | undefined;

    protected readonly onDidChangeEmitter = new Emitter<void>();
    /** Fires when the models were asked again. */
    readonly onDidChange: Event<void> = this.onDidChangeEmitter.event;

    protected statuses: readonly AiModelStatus[] = [];

    /** Asks the backend which models serve now; keeps the last answer when it cannot. */
    async refresh(): Promise<void> {
        if (!this.ai) {
            return;
        }
        try {
            this.statuses = await this.ai.models();
        } catch {
            return;
        }
        this.onDidChangeEmitter.fire();
    }

    /** Caption, Look (V) and Meaning (M), in that order, for the roles the backend reported. */
    get lines(): AxisModelLine[] {
        const order: AiRole[] = ['visual', 'text', 'caption'];
        return order.map(role => this.statuses.find(status => status.role === role)).filter((status): status is AiModelStatus => !!status).map(status => ({
            role: status.role,
            text: describeModel(status),
            problem: status.health.state === 'down' || status.health.state === 'invalid'
        }));
    }
}

function roleName(role: AiRole): string {
    switch (role) {
        case 'visual': return nls.localize('imageparser/search-view/models/visual', 'Look (V)');
        case 'text': return nls.localize('imageparser/search-view/models/text', 'Meaning (M)');
        default: return nls.localize('imageparser/search-view/models/caption', 'Captions');
    }
}

/** "Look (V): siglip2 (indexing clip-l; old vectors serve until it is done)", "Captions: none configured", "…: qwen-vl (endpoint down)". */
export function describeModel(status: AiModelStatus): string {
    const role = roleName(status.role);
    const serving = status.serving ?? status.model;
    if (!serving) {
        return nls.localize('imageparser/search-view/models/none', '{0}: no model configured', role);
    }
    if (status.health.state === 'down' || status.health.state === 'invalid') {
        return nls.localize('imageparser/search-view/models/problem', '{0}: {1} ({2})', role, serving, status.health.state === 'down'
            ? nls.localize('imageparser/search-view/models/down', 'not reachable')
            : nls.localize('imageparser/search-view/models/invalid', 'settings not valid'));
    }
    if (status.model && status.serving && status.model !== status.serving) {
        return nls.localize('imageparser/search-view/models/switching', '{0}: {1} (indexing with {2}; the current vectors serve until it is done)', role, status.serving, status.model);
    }
    return nls.localize('imageparser/search-view/models/serving', '{0}: {1}', role, serving);
}

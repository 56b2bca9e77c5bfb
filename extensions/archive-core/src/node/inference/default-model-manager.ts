import * as os from 'os';
import { inject, injectable, named, optional } from '@theia/core/shared/inversify';
import { ILogger } from '@theia/core/lib/common/logger';
import { PreferenceService } from '@theia/core/lib/common/preferences';
import type { ModelState } from '../../common/job-protocol';
import { DEFAULT_IDLE_UNLOAD_MINUTES, MODELS_IDLE_UNLOAD_PREFERENCE } from '../../common/inference-preferences';
import { MemoryBudget } from '../memory/memory-budget';
import { processMemoryBudget } from '../memory/process-memory-budget';
import { AiSettings } from './ai-settings';
import { ManagedModel, ModelManager, ModelSpec } from './model-manager';
import { ModelMemory } from './model-memory';
import { ResidentModel } from './resident-model';

/** The environment variable that sets the idle unload time in minutes (wins over the preference; the CLI and tests use it). */
export const IDLE_UNLOAD_ENV = 'IMAGEPARSER_MODEL_IDLE_MINUTES';

/**
 * The backend's models: idle time from `IMAGEPARSER_MODEL_IDLE_MINUTES`, else
 * the `imageparser.models.idleUnloadMinutes` preference, else 10 minutes.
 * The models loaded together, with their batches' working memory, stay
 * within the AI settings' models memory budget (`memoryBudgetBytes`;
 * unlimited without AI settings): idle models unload to make room, least
 * recently used first, and a model that does not fit waits. Batches are
 * sized from what that budget has left, half the free system memory or what
 * the decode memory budget has left, whichever is least.
 */
@injectable()
export class DefaultModelManager implements ModelManager {

    @inject(ILogger) @named('archive-core:ModelManager')
    protected readonly logger: ILogger;

    @inject(PreferenceService) @optional()
    protected readonly preferences?: PreferenceService;

    @inject(MemoryBudget) @optional()
    protected readonly budget?: MemoryBudget;

    @inject(AiSettings) @optional()
    protected readonly aiSettings?: AiSettings;

    protected readonly models = new Map<string, ResidentModel<unknown>>();

    /** The memory the models hold together. */
    readonly memory = new ModelMemory(() => this.aiSettings?.memoryBudgetBytes() ?? Number.POSITIVE_INFINITY, message => this.logger.info(message));

    register<M>(spec: ModelSpec<M>): ManagedModel<M> {
        let model = this.models.get(spec.id);
        if (!model) {
            model = new ResidentModel<M>(spec, {
                idleUnloadMs: () => this.idleUnloadMinutes() * 60_000,
                freeBytes: () => this.freeBytes(),
                memory: this.memory,
                log: message => this.logger.info(message)
            }) as ResidentModel<unknown>;
            model.onDidChangeState(state => this.logger.debug(`Model ${spec.id}: ${state}`));
            this.models.set(spec.id, model);
        }
        return model as ManagedModel<M>;
    }

    state(id: string): ModelState {
        return this.models.get(id)?.state ?? 'missing';
    }

    async dispose(): Promise<void> {
        await Promise.all([...this.models.values()].map(model => model.unload()));
    }

    protected idleUnloadMinutes(): number {
        const fromEnv = Number(process.env[IDLE_UNLOAD_ENV]);
        if (process.env[IDLE_UNLOAD_ENV] && Number.isFinite(fromEnv) && fromEnv >= 0) {
            return fromEnv;
        }
        const preferred = this.preferences?.get<number>(MODELS_IDLE_UNLOAD_PREFERENCE);
        return typeof preferred === 'number' && Number.isFinite(preferred) && preferred >= 0 ? preferred : DEFAULT_IDLE_UNLOAD_MINUTES;
    }

    protected freeBytes(): number {
        const budget = this.budget ?? processMemoryBudget();
        return Math.max(0, Math.min(os.freemem() / 2, budget.totalBytes - budget.usedBytes));
    }
}

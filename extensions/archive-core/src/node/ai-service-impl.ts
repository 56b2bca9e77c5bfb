import { inject, injectable } from '@theia/core/shared/inversify';
import type { AiModelStatus, AiService } from '../common/ai-protocol';
import { AiModels } from './inference/ai-models';

/** The AI models' status over RPC: what {@link AiModels} knows, and a check on demand. */
@injectable()
export class AiServiceImpl implements AiService {

    @inject(AiModels)
    protected readonly aiModels: AiModels;

    async models(): Promise<AiModelStatus[]> {
        return this.aiModels.status();
    }

    async validate(): Promise<AiModelStatus[]> {
        await this.aiModels.refresh();
        return this.aiModels.status();
    }
}

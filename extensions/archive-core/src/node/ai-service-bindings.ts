import { interfaces } from '@theia/core/shared/inversify';
import { ConnectionHandler, RpcConnectionHandler } from '@theia/core/lib/common/messaging';
import { AI_SERVICE_PATH, AiService } from '../common/ai-protocol';

/** The {@link AiService}'s RPC handler (the service itself is bound with the AI models, by `bindAiModels`). */
export function bindAiServiceHandler(bind: interfaces.Bind): void {
    bind(ConnectionHandler).toDynamicValue(ctx =>
        new RpcConnectionHandler(AI_SERVICE_PATH, () => ctx.container.get<AiService>(AiService))
    ).inSingletonScope();
}

import { interfaces } from '@theia/core/shared/inversify';
import { MemoryBudget } from './memory-budget';
import { PreferenceMemoryBudget } from './preference-memory-budget';

/** The process's memory budget, sized by the user's preference; the parse and render threads share it. */
export function bindMemoryBudget(bind: interfaces.Bind): void {
    bind(PreferenceMemoryBudget).toSelf().inSingletonScope();
    bind(MemoryBudget).toService(PreferenceMemoryBudget);
}

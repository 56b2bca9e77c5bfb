import { inject, injectable } from '@theia/core/shared/inversify';
import { PreferenceService } from '@theia/core/lib/common/preferences';
import { MEMORY_BUDGET_PREFERENCE } from '../../common/archive-preferences';
import { configuredMemoryBudgetBytes, SemaphoreMemoryBudget } from './memory-budget';

/**
 * The backend's memory budget: `IMAGEPARSER_MEMORY_BUDGET_MB`, else the
 * user's `imageparser.memory.budget` preference (MiB, followed as it
 * changes), else 2 GiB.
 */
@injectable()
export class PreferenceMemoryBudget extends SemaphoreMemoryBudget {

    @inject(PreferenceService)
    protected readonly preferences: PreferenceService;

    protected configured?: Promise<void>;

    protected override ready(): Promise<void> {
        this.configured ??= this.preferences.ready.then(() => {
            this.apply();
            this.preferences.onPreferenceChanged(change => {
                if (change.preferenceName === MEMORY_BUDGET_PREFERENCE) {
                    this.apply();
                }
            });
        });
        return this.configured;
    }

    protected apply(): void {
        this.setTotal(configuredMemoryBudgetBytes(process.env, this.preferences.get<number>(MEMORY_BUDGET_PREFERENCE)));
    }
}

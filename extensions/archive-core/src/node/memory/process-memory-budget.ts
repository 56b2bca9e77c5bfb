import { configuredMemoryBudgetBytes, MemoryBudget, SemaphoreMemoryBudget } from './memory-budget';

let shared: MemoryBudget | undefined;

/**
 * The budget of this process, from the environment, for pools created
 * outside dependency injection (the CLI, tests); the backend binds
 * {@link MemoryBudget} to one that also reads the preference.
 */
export function processMemoryBudget(): MemoryBudget {
    shared ??= new SemaphoreMemoryBudget(configuredMemoryBudgetBytes(process.env));
    return shared;
}

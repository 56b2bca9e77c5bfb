import { ContainerModule } from '@theia/core/shared/inversify';

/**
 * The collection search filter's backend half: a `SearchFilterCompiler` for
 * clauses of kind `collection`, bound as any third-party filter is.
 */
export default new ContainerModule(() => {
    // Bindings arrive with the collection filter compiler.
});

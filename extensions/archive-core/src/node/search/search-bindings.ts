import { interfaces } from '@theia/core/shared/inversify';
import { bindRootContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { SearchService } from '../../common/search-protocol';
import { BUILTIN_FILTER_COMPILERS } from './builtin-filter-compilers';
import { MeaningSearchAxis } from './meaning-axis';
import { SearchAxisContribution } from './search-axis';
import { DefaultSearchEngine, SearchRanking } from './search-engine';
import { SearchFilterCompiler } from './search-filter-compiler';
import { TextSearchAxis } from './text-axis';
import { QueryEmbeddingCache } from './query-embedding-cache';
import { DefaultVectorAxisServing, VectorAxisServing, VectorAxisServingModels } from './vector-axis-serving';
import { AiServingModels } from '../inference/ai-serving-models';
import { VisualSearchAxis } from './visual-axis';
import { AxisServingRepository, SqliteAxisServingRepository } from '../store/axis-serving-repository';

/**
 * The search engine (one for the process) and its contribution points with
 * the built-in filters and axes, which model's index serves V and M, and the
 * cache of query embeddings. The points are root contribution
 * providers: they collect what the modules bind in the root container,
 * whichever container (a frontend connection's, say) first asks for the
 * engine, and never hold on to that container.
 */
export function bindSearch(bind: interfaces.Bind): void {
    bindRootContributionProvider(bind, SearchFilterCompiler);
    for (const compiler of BUILTIN_FILTER_COMPILERS) {
        bind(SearchFilterCompiler).toConstantValue(compiler);
    }
    bindRootContributionProvider(bind, SearchAxisContribution);
    bind(SqliteAxisServingRepository).toSelf().inSingletonScope();
    bind(AxisServingRepository).toService(SqliteAxisServingRepository);
    bind(DefaultVectorAxisServing).toSelf().inSingletonScope();
    bind(VectorAxisServing).toService(DefaultVectorAxisServing);
    bind(AiServingModels).toDynamicValue(({ container }) => new VectorAxisServingModels(() => container.get<VectorAxisServing>(VectorAxisServing))).inSingletonScope();
    bind(QueryEmbeddingCache).toSelf().inSingletonScope();
    for (const axis of [TextSearchAxis, VisualSearchAxis, MeaningSearchAxis]) {
        bind(axis).toSelf().inSingletonScope();
        bind(SearchAxisContribution).toService(axis);
    }
    bind(DefaultSearchEngine).toSelf().inSingletonScope();
    bind(SearchService).toService(DefaultSearchEngine);
    bind(SearchRanking).toService(DefaultSearchEngine);
}

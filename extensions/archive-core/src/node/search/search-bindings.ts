import { interfaces } from '@theia/core/shared/inversify';
import { bindContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { SearchService } from '../../common/search-protocol';
import { SearchIndexRepository, SqliteSearchIndexRepository } from '../store/search-index-repository';
import { SqliteTagRepository, TagRepository } from '../store/tag-repository';
import { BUILTIN_FILTER_COMPILERS } from './builtin-filter-compilers';
import { MeaningSearchAxis } from './meaning-axis';
import { SearchAxisContribution } from './search-axis';
import { DefaultSearchEngine } from './search-engine';
import { SearchFilterCompiler } from './search-filter-compiler';
import { TextSearchAxis } from './text-axis';
import { BuiltinVisualIndexProvider, VisualIndexProvider, VisualSearchAxis } from './visual-axis';

/** The search engine, its contribution points with the built-in filters and axes, and the tag store and index it searches. */
export function bindSearch(bind: interfaces.Bind): void {
    bind(SqliteTagRepository).toSelf().inSingletonScope();
    bind(TagRepository).toService(SqliteTagRepository);
    bind(SqliteSearchIndexRepository).toSelf().inSingletonScope();
    bind(SearchIndexRepository).toService(SqliteSearchIndexRepository);

    bindContributionProvider(bind, SearchFilterCompiler);
    for (const compiler of BUILTIN_FILTER_COMPILERS) {
        bind(SearchFilterCompiler).toConstantValue(compiler);
    }
    bindContributionProvider(bind, SearchAxisContribution);
    bind(BuiltinVisualIndexProvider).toSelf().inSingletonScope();
    bind(VisualIndexProvider).toService(BuiltinVisualIndexProvider);
    for (const axis of [TextSearchAxis, VisualSearchAxis, MeaningSearchAxis]) {
        bind(axis).toSelf().inSingletonScope();
        bind(SearchAxisContribution).toService(axis);
    }
    bind(DefaultSearchEngine).toSelf().inSingletonScope();
    bind(SearchService).toService(DefaultSearchEngine);
}

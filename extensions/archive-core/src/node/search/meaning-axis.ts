import { injectable } from '@theia/core/shared/inversify';
import { AxisContext, AxisOutcome, SearchAxisContribution } from './search-axis';
import { rankingTerms } from './text-axis';

/**
 * The M axis: similarity between the query text and caption vectors. It needs
 * a caption model and a text-embedding model, which arrive with the AI
 * issue; until one is configured the axis is skipped and says so.
 */
@injectable()
export class MeaningSearchAxis implements SearchAxisContribution {
    readonly axis = 'M' as const;

    async candidates({ terms }: AxisContext): Promise<AxisOutcome> {
        if (!rankingTerms(terms).length) {
            return { used: false, skipped: 'no-words' };
        }
        return { used: false, skipped: 'no-caption-model' };
    }
}

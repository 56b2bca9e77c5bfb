import { injectable } from '@theia/core/shared/inversify';
import type { QueryTerm } from '../../common/query-text';
import type { SearchIndexReader, TextTable } from '../store/search-index-reader';
import { TextConditions } from '../store/search-index-repository';
import { TextColumn } from '../store/text-grams';
import { AxisCandidate, AxisContext, AxisOutcome, SearchAxisContribution } from './search-axis';
import type { SqlCondition } from './search-filter-compiler';
import { hasBigramPhrase, isShort, matchExpression } from './text-match';

/** bm25 column weights: name, path, layers, text, tags, captions, comments, ocr (text read in the image). */
const COLUMN_WEIGHTS: readonly number[] = [10, 2, 6, 5, 8, 3, 3, 4];

/**
 * Above this many matches, an axis asked for its top few (a fused query)
 * ranks a bounded share of them: bm25 over every match of a word found in
 * most of a million assets takes most of a second in FTS5.
 */
export const EXACT_RANK_MATCHES = 10_000;
/** How many matches the bounded ranking scores, and how many it looks at to find them past the filters. */
const BOUNDED_RANKED = 2_000;
const BOUNDED_SCANNED = 200_000;
/**
 * The bounded ranking's first tier: matches in the strongest fields (the
 * highest bm25 weights). More tiers cost a pass over the words' whole
 * posting lists each, whether they fill or not.
 */
const FIRST_TIER: readonly TextColumn[] = ['name', 'tags'];
const FILTER_CHUNK = 2_000;

/** Terms that rank: positive words and phrases (ext: is a constraint only). */
export function rankingTerms(terms: readonly QueryTerm[]): QueryTerm[] {
    return terms.filter(term => !term.negated && term.field !== 'ext');
}

/** The query's plain positive words (no field prefix), as one text for an embedding model; '' when it has none. */
export function queryWords(terms: readonly QueryTerm[]): string {
    return rankingTerms(terms).filter(term => !term.field).map(term => term.value.trim()).filter(value => value).join(' ');
}

interface TextPlan {
    readonly index: SearchIndexReader;
    /** The table that ranks, and the FTS5 expression of its terms. */
    readonly table: TextTable;
    readonly expression: string;
    readonly filter: SqlCondition;
    /** The assets the other table's terms allow, when the query has both long and short terms. */
    readonly allowed?: ReadonlySet<number>;
    readonly limit: number;
}

/**
 * The S axis: SQLite FTS5 with bm25 over file names, folders, layer names,
 * text-layer text, tags, comments and text read in images (captions fill in later). Every
 * positive term must match; terms of one or two characters (Korean's
 * two-syllable words) go through the bigram table.
 *
 * Alone, the axis ranks every match exactly. Fused with other axes it answers
 * its top few; when the words match more than {@link EXACT_RANK_MATCHES}
 * assets it scores a bounded share (matches in the file name or tags first,
 * then any others, newest first) and says so in its report.
 */
@injectable()
export class TextSearchAxis implements SearchAxisContribution {
    readonly axis = 'S' as const;

    async candidates({ index, terms, filter, candidateLimit }: AxisContext): Promise<AxisOutcome> {
        const positive = rankingTerms(terms);
        if (!positive.length) {
            return { used: false, skipped: 'no-words' };
        }
        const long = positive.filter(term => !isShort(term));
        const short = positive.filter(isShort);
        const limit = Math.floor(candidateLimit);
        let plan: TextPlan;
        if (!long.length || (short.length && long.every(hasBigramPhrase))) {
            // Short terms alone, or mixed with long ones the bigram table can match as phrases: one table.
            plan = { index, filter, limit, table: 'asset_grams', expression: matchExpression(positive, 'AND', 'asset_grams') };
        } else {
            plan = {
                index, filter, limit, table: 'asset_text', expression: matchExpression(long, 'AND'),
                // Short terms restrict the long terms' matches; intersected here, as SQLite re-runs an IN (MATCH) subquery per row.
                allowed: short.length
                    ? index.textMatches('asset_grams', matchExpression(short, 'AND'))
                    : undefined
            };
        }
        const { table } = plan;
        if (plan.limit <= BOUNDED_RANKED) {
            const matches = index.countTextMatches(table, plan.expression, EXACT_RANK_MATCHES + 1);
            if (matches > EXACT_RANK_MATCHES) {
                return this.rankBounded(plan);
            }
        }
        return { used: true, candidates: this.rankExact(plan) };
    }

    /** bm25 over every match that passes the filters. */
    protected rankExact({ index, table, expression, filter, allowed, limit }: TextPlan): AxisCandidate[] {
        return index.rankTextMatches(table, expression, COLUMN_WEIGHTS, filter, limit, allowed).map(([assetId, score]) => ({ assetId, score }));
    }

    /**
     * Up to {@link BOUNDED_RANKED} matches that pass the filters, taken tier by
     * tier (all the words in the file name or tags, then the rest), newest
     * first within a tier; ranked by tier, then by bm25 within it.
     */
    protected rankBounded(plan: TextPlan): AxisOutcome {
        const { index, table, expression } = plan;
        const taken = new Map<number, { tier: number; score: number }>();
        let scanned = 0;
        const tiers = [`{${FIRST_TIER.join(' ')}} : (${expression})`, expression];
        for (let tier = 0; tier < tiers.length && taken.size < BOUNDED_RANKED && scanned < BOUNDED_SCANNED; tier++) {
            const rows = index.textMatchesNewestFirst(table, tiers[tier], COLUMN_WEIGHTS);
            let chunk: [number, number][] = [];
            const flush = () => {
                for (const [id, score] of this.passing(plan, chunk)) {
                    if (taken.size < BOUNDED_RANKED) {
                        taken.set(id, { tier, score });
                    }
                }
                chunk = [];
            };
            for (const row of rows) {
                if (taken.has(row[0]) || (plan.allowed && !plan.allowed.has(row[0]))) {
                    continue;
                }
                chunk.push(row);
                scanned++;
                if (chunk.length >= FILTER_CHUNK) {
                    flush();
                    if (taken.size >= BOUNDED_RANKED || scanned >= BOUNDED_SCANNED) {
                        break;
                    }
                }
            }
            if (chunk.length) {
                flush();
            }
            // Leave the statement's iterator before the next tier (better-sqlite3 allows one open per statement).
            rows.return?.();
        }
        const candidates = [...taken].sort(([a, x], [b, y]) => x.tier - y.tier || x.score - y.score || b - a)
            .slice(0, plan.limit).map(([assetId, { score }]) => ({ assetId, score }));
        return { used: true, candidates, bounded: { ranked: taken.size, over: EXACT_RANK_MATCHES } };
    }

    /** The rows of a chunk whose assets pass the filters, in the chunk's order. */
    protected passing({ index, filter }: TextPlan, chunk: readonly [number, number][]): readonly [number, number][] {
        if (!chunk.length) {
            return chunk;
        }
        const pass = index.passing(chunk.map(([id]) => id), filter);
        return chunk.filter(([id]) => pass.has(id));
    }
}

/** Negated words and ext: prefixes as conditions every hit must meet, whatever the axes. */
export function textConstraints(terms: readonly QueryTerm[]): SqlCondition[] {
    const conditions: SqlCondition[] = [];
    for (const term of terms) {
        if (term.field === 'ext') {
            conditions.push(TextConditions.fileExtension(term.value, !!term.negated));
        } else if (term.negated) {
            conditions.push(TextConditions.notMatching(isShort(term) ? 'asset_grams' : 'asset_text', matchExpression([term], 'AND')));
        }
    }
    return conditions;
}

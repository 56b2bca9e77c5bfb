/** What an embedding model wants before a search query and before a stored document (a caption). */
export interface EmbeddingPrefixes {
    readonly query: string;
    readonly document: string;
}

const NO_PREFIXES: EmbeddingPrefixes = { query: '', document: '' };

/**
 * The prefixes of the model families trained with them, recognized by the
 * model's name (its file name and its `general.name`):
 * - Qwen3-Embedding: an instruction before queries, documents as they are;
 * - E5 (`multilingual-e5-*`, `e5-*`): `query: ` and `passage: `;
 * - nomic-embed: `search_query: ` and `search_document: `.
 * Any other model gets the texts as they are.
 */
export function embeddingPrefixesFor(modelName: string): EmbeddingPrefixes {
    const name = modelName.toLowerCase();
    if (/qwen3[-_ .]?embedding/.test(name)) {
        return { query: 'Instruct: Given a search query, retrieve image captions that match it\nQuery:', document: '' };
    }
    if (/(^|[^a-z0-9])e5([^a-z0-9]|$)/.test(name)) {
        return { query: 'query: ', document: 'passage: ' };
    }
    if (/nomic[-_ ]?embed/.test(name)) {
        return { query: 'search_query: ', document: 'search_document: ' };
    }
    return NO_PREFIXES;
}

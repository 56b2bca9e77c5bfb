import { injectable } from '@theia/core/shared/inversify';

/** Query embeddings kept; a few hundred vectors of a few thousand floats each. */
const CAPACITY = 512;

/**
 * The embeddings of recent search queries, least recently used dropped
 * first, keyed by the tower (an image model's text tower or a text
 * embedder), the model and the text: typing the same words again, paging or
 * changing a filter never runs the model again. A query being embedded is
 * shared by the searches that ask for it meanwhile; a failure is not kept.
 */
@injectable()
export class QueryEmbeddingCache {

    protected readonly entries = new Map<string, Promise<Float32Array>>();

    embed(tower: 'image-text' | 'text', model: string, text: string, compute: () => Promise<Float32Array>): Promise<Float32Array> {
        const key = `${tower}\u0000${model}\u0000${text}`;
        let entry = this.entries.get(key);
        if (entry) {
            this.entries.delete(key);
        } else {
            entry = compute();
            entry.catch(() => this.entries.get(key) === entry && this.entries.delete(key));
        }
        this.entries.set(key, entry);
        while (this.entries.size > CAPACITY) {
            this.entries.delete(this.entries.keys().next().value!);
        }
        return entry;
    }
}

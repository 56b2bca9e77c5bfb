import { runEmbeddingBenchSection } from '../phases-embedding-section';
import { PhasesBenchSection } from './bench-section';

/**
 * Embeddings per second through the transformers providers (tiny CLIP and
 * SigLIP image and text towers, a tiny sentence model) against calling
 * onnxruntime-node directly on the same models and inputs
 * (`--embed-images N`, default 512; `--embed-texts N`, default 4096;
 * `--embed-batch N`, default 32; `--embed-rounds N`, default 5).
 */
export const embeddingSection: PhasesBenchSection = {
    id: 'embedding',
    run(context) {
        return runEmbeddingBenchSection({
            images: Number(context.option('embed-images', '512')),
            texts: Number(context.option('embed-texts', '4096')),
            batch: Number(context.option('embed-batch', '32')),
            rounds: Number(context.option('embed-rounds', '5')),
            data: context.data,
            log: line => context.log(line)
        });
    }
};

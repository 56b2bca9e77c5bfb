import { inject, injectable, named, optional, postConstruct } from '@theia/core/shared/inversify';
import { ContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { ILogger } from '@theia/core/lib/common/logger';
import { PhaseIds } from '../../common/job-protocol';
import type { AxisSkipReason } from '../../common/search-protocol';
import { QUANTIZE_AT } from '../ingest/archive-ingester';
import { VISUAL_DESCRIPTOR_MODEL } from '../ingest/visual-descriptor';
import { ActiveModel, AiModels } from '../inference/ai-models';
import type { AiServingModels } from '../inference/ai-serving-models';
import type { ImageEmbedder } from '../inference/image-embedder';
import type { TextEmbedder } from '../inference/text-embedder';
import { PhaseContribution } from '../jobs/phase-contribution';
import { AxisServingRepository } from '../store/axis-serving-repository';
import { VectorAxis, vectorIndexName, VectorIndexRepository } from '../store/vector-index-repository';

/** The index a vector axis searches now, and the model that made it. */
export interface ServedIndex<M> {
    readonly model: string;
    /** The vector index's name (`vec_visual_<model>`, `vec_meaning_<model>`). */
    readonly index: string;
    /** Whether the index exists (a model whose phase had nothing to embed has none). */
    readonly exists: boolean;
    /** The serving model itself, to embed queries with: when it is configured now, or was in this process (the old model during a switch). */
    readonly embedder?: ActiveModel<M>;
    /** The configured model whose index is being built meanwhile, when it is not the serving one. */
    readonly building?: string;
}

export type AxisServingAnswer<M> = ServedIndex<M> | { readonly skipped: AxisSkipReason };

export const VectorAxisServing = Symbol('VectorAxisServing');

/**
 * Which model's index the V and M axes search. The configured model serves
 * once its phase has reached every current asset; until then the model that
 * served before keeps serving (for V the built-in colour descriptor
 * `builtin-colour-v1` when none did), so switching models never leaves an
 * axis half empty. The switch is recorded in the archive (`axis_serving`)
 * and survives a restart.
 */
export interface VectorAxisServing {
    /** V always has an index: the built-in descriptor's at least. */
    visual(): Promise<ServedIndex<ImageEmbedder>>;
    /** Skipped `no-text-model` when no text-embedding model is configured, `index-not-ready` while the first one's index is built. */
    meaning(): Promise<AxisServingAnswer<TextEmbedder>>;
    /** The model serving an axis now, for status views; undefined when none does. */
    servingModel(axis: VectorAxis): Promise<string | undefined>;
}

@injectable()
export class DefaultVectorAxisServing implements VectorAxisServing {

    @inject(AxisServingRepository)
    protected readonly repository: AxisServingRepository;

    @inject(VectorIndexRepository)
    protected readonly vectors: VectorIndexRepository;

    @inject(AiModels) @optional()
    protected readonly models?: AiModels;

    @inject(ContributionProvider) @named(PhaseContribution) @optional()
    protected readonly phases?: ContributionProvider<PhaseContribution>;

    @inject(ILogger) @named('archive-core:VectorAxisServing')
    protected readonly logger: ILogger;

    /** The models each axis was configured with in this process, by id: the old one embeds queries while the new index is built. */
    protected readonly known: Record<VectorAxis, Map<string, ActiveModel<unknown>>> = { visual: new Map(), meaning: new Map() };
    /** The indexes whose size was checked for quantizing in this process (at their switch, or first use after a start). */
    protected readonly sizeChecked = new Set<string>();
    /** The last completeness answer per axis and model, with the archive's data version it holds for. */
    protected readonly completeness = new Map<string, { readonly version: number; readonly complete: boolean }>();

    @postConstruct()
    protected init(): void {
        this.remember();
        this.models?.onDidChange(() => {
            this.remember();
            // A model removed or changed back may serve at once: decide now, so the next search sees it.
            this.visual().then(() => this.meaning()).catch(error => this.logger.warn(`Choosing the serving models failed: ${messageOf(error)}`));
        });
    }

    async visual(): Promise<ServedIndex<ImageEmbedder>> {
        const answer = await this.resolve('visual', this.models?.visual()?.modelId ?? VISUAL_DESCRIPTOR_MODEL, VISUAL_DESCRIPTOR_MODEL);
        return answer as ServedIndex<ImageEmbedder>;
    }

    async meaning(): Promise<AxisServingAnswer<TextEmbedder>> {
        const configured = this.models?.text()?.modelId;
        if (configured === undefined) {
            return { skipped: 'no-text-model' };
        }
        return (await this.resolve('meaning', configured, undefined) ?? { skipped: 'index-not-ready' }) as AxisServingAnswer<TextEmbedder>;
    }

    async servingModel(axis: VectorAxis): Promise<string | undefined> {
        const answer = axis === 'visual' ? await this.visual() : await this.meaning();
        return 'model' in answer ? answer.model : undefined;
    }

    protected async resolve(axis: VectorAxis, configured: string, fallback: string | undefined): Promise<ServedIndex<unknown> | undefined> {
        this.remember();
        let serving = await this.repository.serving(axis) ?? fallback;
        if (configured !== serving && await this.isComplete(axis, configured)) {
            await this.repository.serve(axis, configured);
            this.logger.info(`The ${axis} axis is served by ${configured} from now on${serving ? ` (it was ${serving})` : ''}`);
            serving = configured;
            this.sizeChecked.delete(vectorIndexName(axis, configured));
        }
        if (serving === undefined) {
            return undefined;
        }
        const index = vectorIndexName(axis, serving);
        if (!this.sizeChecked.has(index) && serving !== VISUAL_DESCRIPTOR_MODEL) {
            this.sizeChecked.add(index);
            await this.quantizeWhenLarge(index);
        }
        return {
            model: serving, index, exists: await this.repository.hasIndex(index),
            embedder: this.known[axis].get(serving), building: configured !== serving ? configured : undefined
        };
    }

    /** Whether the model's phase has reached every current asset; the built-in descriptor is made at ingest, so always. */
    protected async isComplete(axis: VectorAxis, model: string): Promise<boolean> {
        if (axis === 'visual' && model === VISUAL_DESCRIPTOR_MODEL) {
            return true;
        }
        const phaseId = axis === 'visual' ? PhaseIds.VISUAL : PhaseIds.TEXT;
        const phases = this.phases?.getContributions() ?? [];
        const phase = phases.find(each => each.id === phaseId);
        if (!phase || phase.model?.id !== model) {
            return false;
        }
        const key = `${axis}\u0000${model}`;
        const version = await this.repository.dataVersion();
        const known = this.completeness.get(key);
        if (known?.version === version) {
            return known.complete;
        }
        const needs = phase.needs.map(need => ({ phase: need, model: phases.find(each => each.id === need)?.model?.id ?? '' }));
        const complete = await this.repository.isComplete({ phase: phaseId, model, needs });
        this.completeness.set(key, { version, complete });
        return complete;
    }

    /** Gives a large model index its bit quantizer (the ingester does so for the built-in descriptor's); writes keep it current. */
    protected async quantizeWhenLarge(index: string): Promise<void> {
        try {
            if (await this.vectors.count(index) >= QUANTIZE_AT && !await this.vectors.isQuantized(index)) {
                await this.vectors.quantize(index);
            }
        } catch (error) {
            this.logger.warn(`Quantizing ${index} failed; it is searched exactly: ${messageOf(error)}`);
        }
    }

    protected remember(): void {
        const visual = this.models?.visual();
        const text = this.models?.text();
        if (visual) {
            this.known.visual.set(visual.modelId, visual);
        }
        if (text) {
            this.known.meaning.set(text.modelId, text);
        }
    }
}

function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

/**
 * Tells the AI status (the axis weights panel, the Phases view) which model
 * serves V and M, from {@link VectorAxisServing}. It asks for the serving
 * logic only when asked (the serving logic needs `AiModels`, which asks this).
 */
export class VectorAxisServingModels implements AiServingModels {

    constructor(protected readonly axes: () => VectorAxisServing) { }

    serving(role: 'visual' | 'text'): Promise<string | undefined> {
        return this.axes().servingModel(role === 'visual' ? 'visual' : 'meaning');
    }
}

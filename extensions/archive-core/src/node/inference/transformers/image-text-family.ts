import { ModelFolderError } from './transformers-model-folder';

/** The image-text model families the transformers provider runs, told apart by `config.json`'s `model_type`. */
export type ImageTextFamily = 'clip' | 'siglip';

/** What differs between the families: their transformers.js classes' names, outputs and how texts are padded. */
export interface ImageTextFamilyTraits {
    readonly family: ImageTextFamily;
    readonly visionClass: 'CLIPVisionModelWithProjection' | 'SiglipVisionModel';
    readonly textClass: 'CLIPTextModelWithProjection' | 'SiglipTextModel';
    /** The outputs holding the embedding, first found wins. */
    readonly imageOutputs: readonly string[];
    readonly textOutputs: readonly string[];
    /** SigLIP was trained on texts padded to the full length (64); CLIP pads to the longest text of a batch. */
    readonly padding: true | 'max_length';
}

const TRAITS: Record<ImageTextFamily, ImageTextFamilyTraits> = {
    clip: {
        family: 'clip',
        visionClass: 'CLIPVisionModelWithProjection',
        textClass: 'CLIPTextModelWithProjection',
        imageOutputs: ['image_embeds', 'pooler_output'],
        textOutputs: ['text_embeds', 'pooler_output'],
        padding: true
    },
    siglip: {
        family: 'siglip',
        visionClass: 'SiglipVisionModel',
        textClass: 'SiglipTextModel',
        imageOutputs: ['pooler_output', 'image_embeds'],
        textOutputs: ['pooler_output', 'text_embeds'],
        padding: 'max_length'
    }
};

/** SigLIP2 exports at a fixed resolution say `siglip`; the NaFlex ones say `siglip2` and need a processor transformers.js lacks. */
const FAMILY_OF_MODEL_TYPE: Readonly<Record<string, ImageTextFamily>> = { clip: 'clip', siglip: 'siglip' };

/** The family `config.json` names; a `wrong-family` error otherwise. */
export function imageTextFamily(config: Readonly<Record<string, unknown>>, folder: string): ImageTextFamilyTraits {
    const modelType = typeof config.model_type === 'string' ? config.model_type : undefined;
    const family = modelType === undefined ? undefined : FAMILY_OF_MODEL_TYPE[modelType];
    if (family !== undefined) {
        return TRAITS[family];
    }
    if (modelType === 'siglip2') {
        throw new ModelFolderError('wrong-family', `The model in ${folder} is a SigLIP2 NaFlex model (model_type "siglip2"), which transformers.js cannot preprocess; use a fixed-resolution SigLIP2 export (model_type "siglip").`);
    }
    const named = modelType === undefined ? 'names no model_type' : `says model_type "${modelType}"`;
    throw new ModelFolderError('wrong-family', `config.json in ${folder} ${named}: not a CLIP or SigLIP image-text model.`);
}

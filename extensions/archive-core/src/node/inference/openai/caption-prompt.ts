import type { CaptionLanguage } from '../../../common/ai-protocol';

/**
 * The version of what the caption phase asks a model: change it with the
 * prompt or the schema, and the stored captions are made again (it is part
 * of the phase's config version).
 */
export const CAPTION_PROMPT_VERSION = 'prompt-1';

const LANGUAGE_NAMES: Record<CaptionLanguage, string> = { en: 'English', ko: 'Korean (한국어)' };

/** The key each language's caption is asked under. */
export function captionKey(language: CaptionLanguage): string {
    return `caption_${language}`;
}

/** The system message: what the archive wants from an image. */
export const CAPTION_SYSTEM_PROMPT = 'You describe images for a searchable archive of artwork (illustrations, photos, Photoshop files). '
    + 'Answer with one JSON object only, no prose and no code fence.';

/** The user message beside the image. */
export function captionInstruction(languages: readonly CaptionLanguage[]): string {
    const captions = languages.map(language => `"${captionKey(language)}": one caption in ${LANGUAGE_NAMES[language]}`).join(', ');
    return `Describe this image. Give ${captions} (one or two sentences: subject, setting, style, dominant colours), `
        + 'and "tags": 5 to 20 short lower-case tags (objects, people, style, colours, mood), each {"name": …, "confidence": 0..1}. '
        + `Write Korean tags in Korean when a Korean caption is asked. JSON keys: ${languages.map(captionKey).join(', ')}, tags.`;
}

/** The JSON schema the answer is asked in (`response_format: json_schema`). */
export function captionSchema(languages: readonly CaptionLanguage[]): Record<string, unknown> {
    const properties: Record<string, unknown> = {};
    for (const language of languages) {
        properties[captionKey(language)] = { type: 'string', description: `The caption in ${LANGUAGE_NAMES[language]}` };
    }
    properties.tags = {
        type: 'array',
        maxItems: 30,
        items: {
            type: 'object',
            properties: { name: { type: 'string' }, confidence: { type: 'number', minimum: 0, maximum: 1 } },
            required: ['name', 'confidence'],
            additionalProperties: false
        }
    };
    return { type: 'object', properties, required: [...languages.map(captionKey), 'tags'], additionalProperties: false };
}

import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core/lib/common/nls';
import type { AiTag, AssetAiDetails, CaptionLanguage } from '@imageparser/archive-core/lib/common/ai-protocol';
import { confidenceText } from './ai-tag-suggestions';

export function captionLanguageName(language: CaptionLanguage): string {
    return language === 'ko' ? nls.localize('imageparser/viewer/ai/korean', 'Korean') : nls.localize('imageparser/viewer/ai/english', 'English');
}

export function aiTagStateName(state: AiTag['state']): string {
    switch (state) {
        case 'accepted': return nls.localize('imageparser/viewer/ai/state/accepted', 'Accepted');
        case 'rejected': return nls.localize('imageparser/viewer/ai/state/rejected', 'Rejected');
        default: return nls.localize('imageparser/viewer/ai/state/suggested', 'Suggested');
    }
}

function byModel(model: string): string {
    return nls.localize('imageparser/viewer/ai/byModel', 'by {0}', model);
}

/**
 * What the AI phases made of one asset: its captions (English, Korean), its
 * AI tags with confidence, state and model, the text OCR read in it, and
 * the models whose vectors of it serve the Look (V) and Meaning (M) axes.
 * Hooks for tests: `data-ai-section` on each section, `data-language` on
 * each caption, `data-ai-tag` and `data-state` on each AI tag.
 */
export function AiDetailsPanel({ ai }: { readonly ai: AssetAiDetails | undefined }): React.ReactElement {
    if (!ai) {
        return <div className='imageparser-viewer-ai'>
            <div className='imageparser-viewer-note'>
                {nls.localize('imageparser/viewer/ai/none', 'No AI results for this image yet: captions, AI tags and vectors appear once their models have worked on it.')}
            </div>
        </div>;
    }
    const none = nls.localize('imageparser/viewer/ai/noModel', 'none yet');
    return <div className='imageparser-viewer-ai'>
        <section data-ai-section='captions'>
            <div className='imageparser-viewer-section-label'>{nls.localize('imageparser/viewer/ai/captions', 'Captions')}</div>
            {!ai.captions.length && <div className='imageparser-viewer-empty'>{nls.localize('imageparser/viewer/ai/noCaptions', 'No caption yet')}</div>}
            {ai.captions.map(caption => <div key={caption.language} className='imageparser-viewer-ai-caption' data-language={caption.language} lang={caption.language}>
                <div className='imageparser-viewer-ai-meta'>{captionLanguageName(caption.language)} · {byModel(caption.model)}</div>
                <div className='imageparser-viewer-ai-text'>{caption.text}</div>
            </div>)}
        </section>
        <section data-ai-section='tags'>
            <div className='imageparser-viewer-section-label'>{nls.localize('imageparser/viewer/ai/tags', 'AI tags')}</div>
            {!ai.aiTags.length && <div className='imageparser-viewer-empty'>{nls.localize('imageparser/viewer/ai/noTags', 'No AI tags')}</div>}
            {ai.aiTags.length > 0 && <table className='imageparser-viewer-ai-tags'>
                <thead><tr>
                    <th>{nls.localize('imageparser/viewer/ai/tag', 'Tag')}</th>
                    <th>{nls.localize('imageparser/viewer/ai/confidenceHeader', 'Confidence')}</th>
                    <th>{nls.localize('imageparser/viewer/ai/stateHeader', 'State')}</th>
                    <th>{nls.localize('imageparser/viewer/ai/model', 'Model')}</th>
                </tr></thead>
                <tbody>
                    {ai.aiTags.map(tag => <tr key={tag.name} data-ai-tag={tag.name} data-state={tag.state} className={`imageparser-viewer-ai-tag ${tag.state}`}>
                        <td>{tag.name}</td>
                        <td>{confidenceText(tag.confidence) ?? '—'}</td>
                        <td>{aiTagStateName(tag.state)}</td>
                        <td>{tag.model || '—'}</td>
                    </tr>)}
                </tbody>
            </table>}
        </section>
        <section data-ai-section='ocr'>
            <div className='imageparser-viewer-section-label'>{nls.localize('imageparser/viewer/ai/ocr', 'Text in the image (OCR)')}</div>
            {ai.ocr
                ? <>
                    <div className='imageparser-viewer-ai-meta'>{byModel(ai.ocr.model)}</div>
                    <div className='imageparser-viewer-ai-text imageparser-viewer-ai-ocr'>{ai.ocr.text}</div>
                </>
                : <div className='imageparser-viewer-empty'>{nls.localize('imageparser/viewer/ai/noOcr', 'No text read')}</div>}
        </section>
        <section data-ai-section='vectors'>
            <div className='imageparser-viewer-section-label'>{nls.localize('imageparser/viewer/ai/vectors', 'Searchable by')}</div>
            <table className='imageparser-viewer-ai-vectors'>
                <tbody>
                    <tr data-axis='V'><th>{nls.localize('imageparser/viewer/ai/visual', 'Look (image model)')}</th><td>{ai.visualModel ?? none}</td></tr>
                    <tr data-axis='M'><th>{nls.localize('imageparser/viewer/ai/meaning', 'Meaning (text model)')}</th><td>{ai.meaningModel ?? none}</td></tr>
                </tbody>
            </table>
        </section>
    </div>;
}

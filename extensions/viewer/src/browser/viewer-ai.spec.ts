import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as React from '@theia/core/shared/react';
// react-dom's server renderer, from the same React @theia/core shares (a test-only use: the root's dev dependencies type it).
import { renderToStaticMarkup } from 'react-dom/server';
import { Container } from '@theia/core/shared/inversify';
import { AnnotationService } from '@imageparser/archive-core/lib/common/annotation-protocol';
// The backend, from archive-core's sources as its own tests use it (its test helpers are not compiled).
import { AnnotationService as BackendAnnotationService } from '../../../archive-core/src/common/annotation-protocol';
import { AssetDetailsService as BackendAssetDetailsService } from '../../../archive-core/src/common/asset-details-protocol';
import { createDistinctImagesArchive } from '../../../archive-core/src/node/test/distinct-images-archive';
import { connectTestFrontend, TestFrontendConnection } from '../../../archive-core/src/node/test/test-frontend-connection';
import { ArchiveStore } from '../../../archive-core/src/node/store/archive-store';
import { writeCaptionResult } from '../../../archive-core/src/node/store/caption-store';
import { writeOcrText } from '../../../archive-core/src/node/store/ocr-text-repository';
import type { AssetDetailsService } from '@imageparser/archive-core/lib/common/asset-details-protocol';
import { AnnotationModel } from './annotation-model';
import { AiDetailsPanel } from './ai-details-panel';
import { AiTagSuggestions } from './ai-tag-suggestions';
import { ViewerModel } from './viewer-model';

/**
 * The viewer's AI panels over a real archive of three indexed PNGs: the frontend's AnnotationModel
 * and ViewerModel on the backend's annotation service (that of a frontend
 * connection) and asset details, as the RPC proxies would serve them; the
 * panels rendered to markup as React renders them.
 */
describe('the viewer\'s AI tags and AI panel', () => {
    let backend: Container;
    let dispose: () => Promise<void>;
    let first: number, second: number, third: number;
    let connection: TestFrontendConnection;
    let annotations: AnnotationModel;
    let viewer: ViewerModel;

    const render = (element: React.ReactElement) => renderToStaticMarkup(element);
    const pending = () => (viewer.details?.ai?.aiTags ?? []).filter(tag => tag.state === 'suggested').map(tag => ({ name: tag.name, assetCount: 1, confidence: tag.confidence }));

    beforeEach(async () => {
        let ids: number[];
        ({ backend, byName: ids, dispose } = await createDistinctImagesArchive(3));
        [first, second, third] = ids;
        const { database } = await backend.get<ArchiveStore>(ArchiveStore).open();
        // As the caption and OCR phases store their results.
        database.write(db => {
            writeCaptionResult(db, first, {
                model: 'qwen2.5-vl', captions: [{ language: 'en', text: 'A red umbrella at night' }, { language: 'ko', text: '밤에 펼친 빨간 우산' }],
                tags: [{ name: 'umbrella', confidence: 0.92 }, { name: '밤', confidence: 0.61 }]
            });
            writeCaptionResult(db, second, { model: 'qwen2.5-vl', captions: [{ language: 'en', text: 'An umbrella' }], tags: [{ name: 'umbrella', confidence: 0.5 }] });
            writeOcrText(db, first, { model: 'tesseract-kor+eng', text: '우산 세일', lineCount: 1, droppedLayerLines: 0 });
        });
        connection = connectTestFrontend(backend);
        const frontend = new Container();
        frontend.bind(AnnotationService).toConstantValue(connection.container.get(BackendAnnotationService));
        frontend.bind(AnnotationModel).toSelf().inSingletonScope();
        annotations = frontend.get(AnnotationModel);
        viewer = new ViewerModel(backend.get<AssetDetailsService>(BackendAssetDetailsService), annotations);
    });

    afterEach(async () => {
        viewer.dispose();
        await connection.close();
        await dispose();
    });

    it('shows the captions in both languages, the AI tags with confidence and state, the OCR text and the models', async () => {
        await viewer.open(first);
        const markup = render(React.createElement(AiDetailsPanel, { ai: viewer.details?.ai }));
        expect(markup).toContain('A red umbrella at night');
        expect(markup).toContain('밤에 펼친 빨간 우산');
        expect(markup).toMatch(/data-language="ko"[^>]*>.*Korean · by qwen2\.5-vl/);
        expect(markup).toMatch(/data-ai-tag="umbrella" data-state="suggested".*<td>92%<\/td><td>Suggested<\/td><td>qwen2\.5-vl<\/td>/);
        expect(markup).toContain('우산 세일');
        expect(markup).toContain('by tesseract-kor+eng');
        await viewer.open(third);
        // Indexing gave it the built-in colour descriptor's vector (V), nothing else yet.
        const bare = render(React.createElement(AiDetailsPanel, { ai: viewer.details?.ai }));
        expect(bare).toContain('No caption yet');
        expect(bare).toContain('No AI tags');
        expect(bare).toContain('<tr data-axis="V"><th>Look (image model)</th><td>builtin-colour-v1</td></tr>');
        expect(bare).toContain('<tr data-axis="M"><th>Meaning (text model)</th><td>none yet</td></tr>');
        expect(render(React.createElement(AiDetailsPanel, { ai: undefined }))).toContain('No AI results for this image yet');
    });

    it('accepts a suggestion from the tags panel: the viewer shows it as a tag at once, and undo makes it a suggestion again', async () => {
        await viewer.open(first);
        const accept = async (names: string[]) => annotations.acceptAiTags([first], names);
        const markup = render(React.createElement(AiTagSuggestions, { suggestions: pending(), imageCount: 1, onAccept: accept, onReject: accept }));
        expect(markup).toMatch(/data-ai-tag="umbrella".*92%.*aria-label="Accept the AI tag umbrella".*aria-label="Reject the AI tag umbrella"/);
        expect(markup).toContain('data-action="accept-all"');

        let refreshed = new Promise<void>(resolve => viewer.onDidChange(() => resolve()));
        await annotations.acceptAiTags([first], ['umbrella']);
        await refreshed;
        expect(viewer.details?.tags).toEqual(['umbrella']);
        expect(pending().map(tag => tag.name)).toEqual(['밤']);
        expect(viewer.details?.ai?.aiTags.map(tag => `${tag.name}:${tag.state}`)).toEqual(['umbrella:accepted', '밤:suggested']);

        refreshed = new Promise<void>(resolve => viewer.onDidChange(() => resolve()));
        expect((await annotations.undo())?.kind).toBe('ai-tags-accepted');
        await refreshed;
        expect(viewer.details?.tags).toEqual([]);
        expect(pending().map(tag => tag.name)).toEqual(['umbrella', '밤']);
    });

    it('reviews a selection: each suggestion says for how many of the images it is, and reject all turns them all down', async () => {
        const suggestions = await annotations.aiTagSuggestions([first, second, third]);
        expect(suggestions.map(tag => [tag.name, tag.assetCount])).toEqual([['umbrella', 2], ['밤', 1]]);
        const reject = async (names: string[]) => annotations.rejectAiTags([first, second, third], names);
        const markup = render(React.createElement(AiTagSuggestions, { suggestions, imageCount: 3, onAccept: reject, onReject: reject }));
        expect(markup).toMatch(/data-ai-tag="umbrella".*2 of 3 images/);
        expect(markup).toMatch(/data-ai-tag="밤".*1 of 3 images/);
        expect((await annotations.rejectAiTags([first, second, third], suggestions.map(tag => tag.name))).changed).toBe(3);
        expect(await annotations.aiTagSuggestions([first, second, third])).toEqual([]);
        expect(render(React.createElement(AiTagSuggestions, { suggestions: [], imageCount: 3, onAccept: reject, onReject: reject, emptyText: 'Nothing waiting' })))
            .toContain('Nothing waiting');
        expect(render(React.createElement(AiTagSuggestions, { suggestions: [], imageCount: 1, onAccept: reject, onReject: reject }))).toBe('');
    });
});

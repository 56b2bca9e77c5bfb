import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as React from '@theia/core/shared/react';
// react-dom's server renderer, from the same React @theia/core shares (a test-only use: the root's dev dependencies type it).
import { renderToStaticMarkup } from 'react-dom/server';
import { Container } from '@theia/core/shared/inversify';
import { AnnotationService } from '@imageparser/archive-core/lib/common/annotation-protocol';
// The backend, from archive-core's sources as its own tests use it (its test helpers are not compiled).
import { AnnotationService as BackendAnnotationService } from '../../../archive-core/src/common/annotation-protocol';
import { AssetDetailsService as BackendAssetDetailsService } from '../../../archive-core/src/common/asset-details-protocol';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../../../archive-core/src/node/test/archive-test-container';
import { connectTestFrontend, TestFrontendConnection } from '../../../archive-core/src/node/test/test-frontend-connection';
import { ArchiveStore } from '../../../archive-core/src/node/store/archive-store';
import { refreshAssetText } from '../../../archive-core/src/node/store/asset-text';
import { writeCaptionResult } from '../../../archive-core/src/node/store/caption-store';
import type { AssetDetailsService } from '@imageparser/archive-core/lib/common/asset-details-protocol';
import { AnnotationModel } from './annotation-model';
import { AiDetailsPanel } from './ai-details-panel';
import { AiTagSuggestions } from './ai-tag-suggestions';
import { ViewerModel } from './viewer-model';

/**
 * The viewer's AI panels over a real archive: the frontend's AnnotationModel
 * and ViewerModel on the backend's annotation service (that of a frontend
 * connection) and asset details, as the RPC proxies would serve them; the
 * panels rendered to markup as React renders them.
 */
describe('the viewer\'s AI tags and AI panel', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let backend: Container;
    let connection: TestFrontendConnection;
    let annotations: AnnotationModel;
    let viewer: ViewerModel;

    const render = (element: React.ReactElement) => renderToStaticMarkup(element);
    const pending = () => (viewer.details?.ai?.aiTags ?? []).filter(tag => tag.state === 'suggested').map(tag => ({ name: tag.name, assetCount: 1, confidence: tag.confidence }));

    beforeEach(async () => {
        temp = makeTempFolder();
        backend = createArchiveTestContainer(temp.folder);
        const { database } = await backend.get<ArchiveStore>(ArchiveStore).open();
        database.write(db => {
            const now = new Date().toISOString();
            db.prepare('INSERT INTO roots (id, path, added_at) VALUES (1, ?, ?)').run('/art', now);
            for (let id = 1; id <= 3; id++) {
                const hash = id.toString(16).padStart(64, '0');
                db.prepare(`INSERT INTO assets (id, content_hash, kind, width, height, rating, registered_at) VALUES (?, ?, 'png', 10, 10, 0, ?)`).run(id, hash, now);
                db.prepare(`INSERT INTO files (root_id, path, size, mtime_ms, content_hash, asset_id, state, updated_at) VALUES (1, ?, 1, 0, ?, ?, 'indexed', ?)`)
                    .run(`/art/image-${id}.png`, hash, id, now);
                refreshAssetText(db, id);
            }
            writeCaptionResult(db, 1, {
                model: 'qwen2.5-vl', captions: [{ language: 'en', text: 'A red umbrella at night' }, { language: 'ko', text: '밤에 펼친 빨간 우산' }],
                tags: [{ name: 'umbrella', confidence: 0.92 }, { name: '밤', confidence: 0.61 }]
            });
            writeCaptionResult(db, 2, { model: 'qwen2.5-vl', captions: [{ language: 'en', text: 'An umbrella' }], tags: [{ name: 'umbrella', confidence: 0.5 }] });
            db.prepare(`INSERT INTO asset_ocr (asset_id, model, text, line_count, recognized_at) VALUES (1, 'tesseract-kor+eng', '우산 세일', 1, ?)`).run(now);
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
        await disposeArchiveTestContainer(backend);
        temp.remove();
    });

    it('shows the captions in both languages, the AI tags with confidence and state, the OCR text and the models', async () => {
        await viewer.open(1);
        const markup = render(React.createElement(AiDetailsPanel, { ai: viewer.details?.ai }));
        expect(markup).toContain('A red umbrella at night');
        expect(markup).toContain('밤에 펼친 빨간 우산');
        expect(markup).toMatch(/data-language="ko"[^>]*>.*Korean · by qwen2\.5-vl/);
        expect(markup).toMatch(/data-ai-tag="umbrella" data-state="suggested".*<td>92%<\/td><td>Suggested<\/td><td>qwen2\.5-vl<\/td>/);
        expect(markup).toContain('우산 세일');
        expect(markup).toContain('by tesseract-kor+eng');
        await viewer.open(3);
        expect(render(React.createElement(AiDetailsPanel, { ai: viewer.details?.ai }))).toContain('No AI results for this image yet');
    });

    it('accepts a suggestion from the tags panel: the viewer shows it as a tag at once, and undo makes it a suggestion again', async () => {
        await viewer.open(1);
        const accept = async (names: string[]) => annotations.acceptAiTags([1], names);
        const markup = render(React.createElement(AiTagSuggestions, { suggestions: pending(), imageCount: 1, onAccept: accept, onReject: accept }));
        expect(markup).toMatch(/data-ai-tag="umbrella".*92%.*aria-label="Accept the AI tag umbrella".*aria-label="Reject the AI tag umbrella"/);
        expect(markup).toContain('data-action="accept-all"');

        let refreshed = new Promise<void>(resolve => viewer.onDidChange(() => resolve()));
        await annotations.acceptAiTags([1], ['umbrella']);
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
        const suggestions = await annotations.aiTagSuggestions([1, 2, 3]);
        expect(suggestions.map(tag => [tag.name, tag.assetCount])).toEqual([['umbrella', 2], ['밤', 1]]);
        const reject = async (names: string[]) => annotations.rejectAiTags([1, 2, 3], names);
        const markup = render(React.createElement(AiTagSuggestions, { suggestions, imageCount: 3, onAccept: reject, onReject: reject }));
        expect(markup).toMatch(/data-ai-tag="umbrella".*2 of 3 images/);
        expect(markup).toMatch(/data-ai-tag="밤".*1 of 3 images/);
        expect((await annotations.rejectAiTags([1, 2, 3], suggestions.map(tag => tag.name))).changed).toBe(3);
        expect(await annotations.aiTagSuggestions([1, 2, 3])).toEqual([]);
        expect(render(React.createElement(AiTagSuggestions, { suggestions: [], imageCount: 3, onAccept: reject, onReject: reject, emptyText: 'Nothing waiting' })))
            .toContain('Nothing waiting');
        expect(render(React.createElement(AiTagSuggestions, { suggestions: [], imageCount: 1, onAccept: reject, onReject: reject }))).toBe('');
    });
});

import * as http from 'http';
import * as path from 'path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { HttpSafety } from '../../common/http-safety-protocol';
import { MediaRoutes } from '../../common/media-protocol';
import { UploadRoutes } from '../../common/upload-protocol';
import { ArchiveStore } from '../store/archive-store';
import { AssetRepository } from '../store/asset-repository';
import { createArchiveTestContainer, makeTempFolder } from '../test/archive-test-container';
import { startTestHttpApp, TestHttpApp } from '../test/http-test-app';
import { DefaultUploadInbox, UploadInbox } from '../upload/upload-inbox';
import { MediaEndpoint } from './media-endpoint';
import { UploadEndpoint } from './upload-endpoint';

interface Answer {
    readonly status: number;
    readonly headers: http.IncomingHttpHeaders;
    readonly body: string;
}

/** A request with headers fetch would not let a test set (Host, Origin, Sec-Fetch-Site). */
function send(app: TestHttpApp, method: string, url: string, headers: http.OutgoingHttpHeaders, body?: Buffer): Promise<Answer> {
    return new Promise((resolve, reject) => {
        const request = http.request({ host: '127.0.0.1', port: app.port, method, path: url, headers, setHost: !('host' in headers) }, response => {
            let text = '';
            response.setEncoding('utf8');
            response.on('data', chunk => text += chunk);
            response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: text }));
        });
        request.on('error', reject);
        request.end(body);
    });
}

/**
 * The backend's first line on every route, over real HTTP: host names it
 * does not answer to (DNS rebinding) and state changes from other origins
 * (another port of the same machine) are refused; every response forbids
 * other origins to embed it.
 */
describe('HttpSafetyContribution', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let container: Container;
    let app: TestHttpApp;
    let cookie: string;
    let thumbnail: string;
    let png: Buffer;

    beforeAll(async () => {
        temp = makeTempFolder();
        container = createArchiveTestContainer(path.join(temp.folder, 'archive'));
        container.bind(MediaEndpoint).toSelf().inSingletonScope();
        container.bind(DefaultUploadInbox).toSelf().inSingletonScope();
        container.bind(UploadInbox).toService(DefaultUploadInbox);
        container.bind(UploadEndpoint).toSelf().inSingletonScope();
        app = await startTestHttpApp(container, [MediaEndpoint, UploadEndpoint], { allowedHosts: ['Archive.Studio.Lan', 'proxy.studio.lan:8443'] });
        cookie = await app.cookie();
        png = await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 5, g: 6, b: 7 } } }).png().toBuffer();
        const { media } = await container.get<ArchiveStore>(ArchiveStore).open();
        const thumbnailHash = media.put(png);
        const id = await container.get<AssetRepository>(AssetRepository)
            .add({ contentHash: 'd'.repeat(64), kind: 'png', width: 16, height: 16, thumbnailHash, thumbnailMime: 'image/png' });
        thumbnail = MediaRoutes.url('thumbnail', id);
    });

    afterAll(async () => {
        await app.close();
        container.get<ArchiveStore>(ArchiveStore).close();
        temp.remove();
    });

    it('answers only to its own host names: a page under another name gets neither the app, the cookie nor the images', async () => {
        for (const host of ['evil.example', `evil.example:${app.port}`, `localhost:${app.port + 1}`, `127.0.0.2:${app.port}`, `localhost.:${app.port}`, '']) {
            for (const url of ['/', thumbnail, UploadRoutes.LIMITS_URL]) {
                const answer = await send(app, 'GET', url, { host, cookie });
                expect(answer.status).toBe(403);
                expect(answer.body).toBe('This ImageParser backend does not answer to this host name. Open it as localhost or 127.0.0.1, '
                    + 'or add the name to IMAGEPARSER_ALLOWED_HOSTS (or --allowed-hosts).');
                expect(answer.headers['set-cookie']).toBeUndefined();
            }
        }
        for (const host of [`127.0.0.1:${app.port}`, `localhost:${app.port}`, `LocalHost:${app.port}`, `[::1]:${app.port}`,
            `archive.studio.lan:${app.port}`, 'archive.studio.lan', 'proxy.studio.lan:8443']) {
            expect((await send(app, 'GET', '/', { host })).status).toBe(200);
            expect((await send(app, 'GET', thumbnail, { host, cookie })).status).toBe(200);
        }
        expect((await send(app, 'GET', '/', { host: 'proxy.studio.lan:8444' })).status).toBe(403);
    });

    it('accepts changes only from the ImageParser page itself', async () => {
        const own = `http://127.0.0.1:${app.port}`;
        const otherPort = `http://127.0.0.1:${app.port + 1}`;
        const upload = (name: string, headers: http.OutgoingHttpHeaders) =>
            send(app, 'POST', UploadRoutes.url('forgery', name), { cookie, 'content-type': 'application/octet-stream', ...headers }, png);
        const refusals = [
            await upload('plain.png', {}),
            await upload('form.png', { 'content-type': 'text/plain' }),
            await upload('other-port.png', { origin: otherPort, ...HttpSafety.requestHeaders() }),
            await upload('other-port-fetch.png', { origin: otherPort, 'sec-fetch-site': 'same-site' }),
            await upload('same-site.png', { 'sec-fetch-site': 'same-site', ...HttpSafety.requestHeaders() }),
            await upload('null-origin.png', { origin: 'null' }),
            await upload('wrong-value.png', { [HttpSafety.REQUEST_HEADER]: 'yes' })
        ];
        for (const refusal of refusals) {
            expect(refusal.status).toBe(403);
            expect(refusal.body).toMatch(/^Changes to the archive are accepted only from the ImageParser page itself/);
        }
        expect((await send(app, 'DELETE', '/anything', { cookie })).status).toBe(403);
        expect((await send(app, 'PUT', '/files', { cookie, origin: otherPort })).status).toBe(403);

        expect((await upload('header.png', HttpSafety.requestHeaders())).status).toBe(201);
        expect((await upload('same-origin.png', { origin: own, 'sec-fetch-site': 'same-origin' })).status).toBe(201);
        expect((await upload('fetch-metadata.png', { 'sec-fetch-site': 'same-origin' })).status).toBe(201);
    });

    it('forbids other origins to embed any response, so they cannot probe which assets exist', async () => {
        for (const url of ['/', thumbnail, MediaRoutes.url('thumbnail', 987_654), UploadRoutes.LIMITS_URL]) {
            const answer = await send(app, 'GET', url, { cookie });
            expect(answer.headers['cross-origin-resource-policy']).toBe('same-origin');
        }
    });
});

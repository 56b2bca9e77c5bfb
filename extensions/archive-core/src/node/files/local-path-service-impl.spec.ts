import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Container } from '@theia/core/shared/inversify';
import { BackendApplicationCliContribution } from '@theia/core/lib/node/backend-application';
import { AssetDetailsService } from '../../common/asset-details-protocol';
import { AssetUri } from '../../common/asset-uri';
import { LocalPathErrors, LocalPathService } from '../../common/local-path-protocol';
import { ArchiveIngester } from '../ingest/archive-ingester';
import { createArchiveTestContainer, disposeArchiveTestContainer, makeTempFolder } from '../test/archive-test-container';
import { BackendLocalPathPolicy, LocalPathPolicy } from './local-path-policy';
import { LocalPathServiceImpl } from './local-path-service-impl';

/**
 * The one call that answers OS paths, over a real archive, with the
 * backend's own policy: a backend that listens on loopback only (the
 * browser app on this machine) tells the path of an asset's file; one that
 * listens on every address (a team deployment) refuses, whatever it is asked.
 */
describe('LocalPathService', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let art: string;
    let container: Container;
    let cli: BackendApplicationCliContribution;
    const setting = process.env.IMAGEPARSER_LOCAL_PATHS;

    beforeAll(async () => {
        temp = makeTempFolder();
        art = path.join(temp.folder, 'art');
        fs.mkdirSync(path.join(art, 'chars'), { recursive: true });
        await sharp({ create: { width: 24, height: 16, channels: 3, background: '#336699' } }).png().toFile(path.join(art, 'chars', 'hero-0.png'));
        fs.copyFileSync(path.join(art, 'chars', 'hero-0.png'), path.join(art, 'copy of hero.png'));
        container = createArchiveTestContainer(path.join(temp.folder, 'archive'), { threads: 1 });
        cli = new BackendApplicationCliContribution();
        container.bind(BackendApplicationCliContribution).toConstantValue(cli);
        container.bind(LocalPathPolicy).to(BackendLocalPathPolicy).inSingletonScope();
        container.bind(LocalPathService).to(LocalPathServiceImpl).inSingletonScope();
        const ingester = container.get<ArchiveIngester>(ArchiveIngester);
        expect(await ingester.finished(await ingester.start(art))).toMatchObject({ indexed: 2 });
    });

    afterEach(() => {
        if (setting === undefined) {
            delete process.env.IMAGEPARSER_LOCAL_PATHS;
        } else {
            process.env.IMAGEPARSER_LOCAL_PATHS = setting;
        }
    });

    afterAll(async () => {
        await disposeArchiveTestContainer(container);
        temp.remove();
    });

    const service = () => container.get<LocalPathService>(LocalPathService);
    const asset = AssetUri.create(1).toString();

    it('answers the OS path of each file of an asset for a backend only this machine reaches', async () => {
        delete process.env.IMAGEPARSER_LOCAL_PATHS;
        cli.hostname = '127.0.0.1';
        expect(await service().isAvailable()).toBe(true);
        const files = (await container.get<AssetDetailsService>(AssetDetailsService).details(1))!.files;
        expect(files.map(file => file.location.relativePath).sort()).toEqual(['chars/hero-0.png', 'copy of hero.png']);
        for (const file of files) {
            expect(await service().resolveLocalPath(asset, file.location.fileId)).toBe(path.join(art, file.location.relativePath));
        }
        expect(await service().resolveLocalPath(asset)).toBe(path.join(art, files[0].location.relativePath));
        cli.hostname = 'localhost';
        expect(await service().resolveLocalPath(asset)).toBe(path.join(art, files[0].location.relativePath));
    });

    it('answers nothing for what names no file of the asset: another asset\'s file, a missing asset, something not an asset URI', async () => {
        cli.hostname = '::1';
        const other = (await container.get<AssetDetailsService>(AssetDetailsService).details(1))!.files[0].location.fileId;
        expect(await service().resolveLocalPath(AssetUri.create(2).toString(), other)).toBeUndefined();
        expect(await service().resolveLocalPath(AssetUri.create(99).toString())).toBeUndefined();
        expect(await service().resolveLocalPath(`file://${art}/chars/hero-0.png`)).toBeUndefined();
        expect(await service().resolveLocalPath(42 as unknown as string)).toBeUndefined();
        expect(await service().resolveLocalPath(asset, 'x' as unknown as number)).toBeUndefined();
    });

    it('refuses in a team deployment (a backend listening on every address or a network name), and when the setting says off', async () => {
        delete process.env.IMAGEPARSER_LOCAL_PATHS;
        for (const hostname of ['0.0.0.0', '::', '192.168.1.20', 'archive.studio.example']) {
            cli.hostname = hostname;
            expect(await service().isAvailable(), hostname).toBe(false);
            const refusal = await service().resolveLocalPath(asset).then(() => undefined, error => error);
            expect(LocalPathErrors.NotLocal.is(refusal), hostname).toBe(true);
            expect(String(refusal.message)).not.toContain(art);
        }
        cli.hostname = '127.0.0.1';
        process.env.IMAGEPARSER_LOCAL_PATHS = 'off';
        expect(await service().isAvailable()).toBe(false);
        expect(LocalPathErrors.NotLocal.is(await service().resolveLocalPath(asset).catch(error => error))).toBe(true);
        process.env.IMAGEPARSER_LOCAL_PATHS = 'on';
        cli.hostname = '0.0.0.0';
        expect(await service().resolveLocalPath(asset)).toMatch(/\.png$/);
    });
});

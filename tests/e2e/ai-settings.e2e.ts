import * as fs from 'fs';
import * as path from 'path';
import { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/temp-folder';
import { openAppPage, runCommand, saveScreenshot } from './app-page';
import { AppServer } from './app-server';
import { launchChromium } from './chromium';

/**
 * The AI settings in the app: a wrong image model in the user's settings
 * file is named in a notification, in English and in Korean, and
 * "ImageParser: Check AI Models" shows what each role runs on.
 */
describe('AI model settings in the app', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let server: AppServer;
    let browser: Browser;
    let missing: string;

    beforeAll(async () => {
        temp = makeTempFolder('imageparser-e2e-');
        missing = path.join(temp.folder, 'no-such-model');
        const config = path.join(temp.folder, 'theia-config');
        fs.mkdirSync(config, { recursive: true });
        fs.writeFileSync(path.join(config, 'settings.json'), JSON.stringify({
            'imageparser.visual.provider': 'transformers',
            'imageparser.visual.modelPath': missing
        }));
        server = await AppServer.start({ IMAGEPARSER_HOME: path.join(temp.folder, 'archive'), THEIA_CONFIG_DIR: config });
        browser = await launchChromium();
    });

    afterAll(async () => {
        await browser?.close();
        await server?.stop();
        temp?.remove();
    });

    it('names the invalid image model setting at start and checks every model from the command palette', async () => {
        const page = await openAppPage(browser, server.url);
        try {
            const warning = page.locator('.theia-notification-toasts .theia-notification-message', { hasText: 'Image model (looks like): invalid setting.' });
            await warning.first().waitFor({ timeout: 30_000 });
            // The provider's details name what is wrong: the folder, or a provider that is not installed.
            expect(await warning.first().innerText()).toMatch(/no-such-model|"transformers"/);
            await saveScreenshot(page, 'ai-settings-invalid');

            await runCommand(page, 'ImageParser: Check AI Models');
            const messages = page.locator('.theia-notification-toasts .theia-notification-message');
            await messages.filter({ hasText: 'Captions: off (not configured)' }).first().waitFor({ timeout: 30_000 });
            await messages.filter({ hasText: 'Text model (means): off (not configured)' }).first().waitFor({ timeout: 30_000 });
            await saveScreenshot(page, 'ai-settings-check');
        } finally {
            await page.context().close();
        }
    });

    it('says it in Korean when the app is in Korean', async () => {
        const page = await openAppPage(browser, server.url, { korean: true });
        try {
            const warning = page.locator('.theia-notification-toasts .theia-notification-message', { hasText: '이미지 모델 (외형): 잘못된 설정.' });
            await warning.first().waitFor({ timeout: 30_000 });
        } finally {
            await page.context().close();
        }
    });
});

import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { ContainerModule } from '@theia/core/shared/inversify';

const root = path.resolve(__dirname, '../..');
const rootPackage = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const extensions = fs.readdirSync(path.join(root, 'extensions'));
const theiaVersion = '1.74.1';

function readPackage(folder: string): { name: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string>; theiaExtensions?: { frontend?: string; backend?: string }[] } {
    return JSON.parse(fs.readFileSync(path.join(root, folder, 'package.json'), 'utf8'));
}

describe('extension packages', () => {
    it('are the extensions of the design (and the Phases view), under one package prefix', () => {
        expect(extensions.sort()).toEqual(['archive-core', 'phases-view', 'search-view', 'viewer', 'workers']);
        for (const extension of extensions) {
            expect(readPackage(`extensions/${extension}`).name).toBe(`@imageparser/${extension}`);
        }
    });

    it('pin every dependency exactly, with one Theia version throughout', () => {
        for (const folder of ['.', 'browser-app', 'electron-app', ...extensions.map(extension => `extensions/${extension}`)]) {
            const pkg = readPackage(folder);
            for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
                expect(version, `${folder}: ${name}`).toMatch(/^\d+\.\d+\.\d+$/);
                if (name.startsWith('@theia/')) {
                    expect(version, `${folder}: ${name}`).toBe(theiaVersion);
                }
            }
        }
        expect(fs.existsSync(path.join(root, 'package-lock.json'))).toBe(true);
        expect(rootPackage.workspaces).toEqual(expect.arrayContaining(['browser-app', 'electron-app']));
    });

    it('are composed by both apps', () => {
        for (const app of ['browser-app', 'electron-app']) {
            const dependencies = readPackage(app).dependencies ?? {};
            for (const extension of extensions) {
                expect(dependencies[`@imageparser/${extension}`], `${app} uses ${extension}`).toBeDefined();
            }
        }
    });

    it('declare Theia modules that exist and load as container modules', async () => {
        for (const extension of extensions) {
            const declared = readPackage(`extensions/${extension}`).theiaExtensions ?? [];
            expect(declared.length, extension).toBeGreaterThan(0);
            for (const entry of declared) {
                for (const [side, modulePath] of Object.entries(entry)) {
                    const source = path.join(root, 'extensions', extension, modulePath.replace(/^lib\//, 'src/'));
                    const file = [`${source}.ts`, `${source}.tsx`].find(candidate => fs.existsSync(candidate));
                    expect(file, `${extension} ${side} module ${modulePath}`).toBeDefined();
                    expect(path.basename(file!)).toBe(`${extension}-${side}-module.ts`);
                    if (side === 'backend') {
                        const loaded = await import(file!);
                        expect(loaded.default).toBeInstanceOf(ContainerModule);
                    }
                }
            }
        }
    });

    it('keep the platform split: browser code never imports node code, nor the reverse', () => {
        for (const extension of extensions) {
            const src = path.join(root, 'extensions', extension, 'src');
            for (const entry of fs.readdirSync(src, { withFileTypes: true, recursive: true })) {
                if (!entry.isFile()) {
                    continue;
                }
                const relative = path.relative(src, path.join(entry.parentPath, entry.name));
                const text = fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
                const imports = [...text.matchAll(/from '([^']+)'/g)].map(match => match[1]);
                const side = relative.split(path.sep)[0];
                const forbidden = side === 'browser' ? /\/node\// : side === 'node' ? /\/browser\// : side === 'common' ? /\/(node|browser)\// : undefined;
                for (const imported of imports) {
                    if (forbidden && imported.startsWith('.')) {
                        expect(forbidden.test(`/${path.join(side, imported)}/`), `${extension}/${relative} imports ${imported}`).toBe(false);
                    }
                }
            }
        }
    });
});

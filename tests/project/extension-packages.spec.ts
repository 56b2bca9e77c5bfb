import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extensionPackages, moduleProblems, platformSplitProblems, workspacePackages } from './package-rules';

const root = path.resolve(__dirname, '../..');
const theiaVersion = '1.74.1';

/**
 * Rules every workspace package follows, whatever packages there are: a new
 * extension or library package passes as long as it keeps them.
 */
describe('workspace packages', () => {
    const packages = workspacePackages(root);

    it('are found from the root workspaces, the extensions among them', () => {
        expect(packages.map(pkg => pkg.folder)).toEqual(expect.arrayContaining(['browser-app', 'electron-app', 'extensions/archive-core']));
        expect(extensionPackages(root).length).toBeGreaterThan(0);
    });

    it('are named @imageparser/<folder> under extensions/, and @imageparser/… everywhere', () => {
        for (const pkg of packages) {
            expect(pkg.name, pkg.folder).toMatch(/^@imageparser\/[a-z0-9-]+$/);
            if (pkg.folder.startsWith('extensions/')) {
                expect(pkg.name, pkg.folder).toBe(`@imageparser/${path.basename(pkg.folder)}`);
            }
        }
    });

    it('pin every dependency exactly, with one Theia version throughout', () => {
        for (const pkg of [{ folder: '.', ...JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) }, ...packages]) {
            for (const [name, version] of Object.entries<string>({ ...pkg.dependencies, ...pkg.devDependencies })) {
                expect(version, `${pkg.folder}: ${name}`).toMatch(/^\d+\.\d+\.\d+$/);
                if (name.startsWith('@theia/')) {
                    expect(version, `${pkg.folder}: ${name}`).toBe(theiaVersion);
                }
            }
        }
        expect(fs.existsSync(path.join(root, 'package-lock.json'))).toBe(true);
    });

    it('every extension outside tests/ is composed by both apps', () => {
        const apps = packages.filter(pkg => pkg.folder === 'browser-app' || pkg.folder === 'electron-app');
        expect(apps).toHaveLength(2);
        for (const app of apps) {
            for (const extension of extensionPackages(root).filter(pkg => !pkg.folder.startsWith('tests/'))) {
                expect(app.dependencies[extension.name], `${app.folder} uses ${extension.name}`).toBeDefined();
            }
        }
    });

    it('every extension declares Theia modules that exist and load (backend modules as ContainerModules)', () => {
        const problems = extensionPackages(root).flatMap(pkg => moduleProblems(root, pkg));
        expect(problems).toEqual([]);
    });

    it('keep the platform split: browser code never imports node code, common code neither node nor browser code', () => {
        expect(platformSplitProblems(root)).toEqual([]);
    });
});

/** Each rule above, shown catching a violation planted in a small copy of the layout. */
describe('the package rules catch planted violations', () => {
    let planted: string;

    function write(relative: string, text: string): void {
        fs.mkdirSync(path.dirname(path.join(planted, relative)), { recursive: true });
        fs.writeFileSync(path.join(planted, relative), text);
    }

    beforeAll(() => {
        planted = fs.mkdtempSync(path.join(os.tmpdir(), 'imageparser-package-rules-'));
        write('package.json', JSON.stringify({ workspaces: ['extensions/good', 'extensions/bad', 'packages/*'] }));
        const inversify = JSON.stringify(require.resolve('@theia/core/shared/inversify', { paths: [root] }));
        // A well-formed extension: a backend ContainerModule that loads, a frontend module that resolves, both with sources.
        write('extensions/good/package.json', JSON.stringify({
            name: '@imageparser/good', main: 'lib/common/index.js',
            theiaExtensions: [{ frontend: 'lib/browser/good-frontend-module', backend: 'lib/node/good-backend-module' }]
        }));
        write('extensions/good/lib/node/good-backend-module.js', `const { ContainerModule } = require(${inversify}); exports.default = new ContainerModule(() => {});`);
        write('extensions/good/src/node/good-backend-module.ts', '');
        write('extensions/good/lib/browser/good-frontend-module.js', 'exports.default = {};');
        write('extensions/good/src/browser/good-frontend-module.ts', "import { ContainerModule } from '@theia/core/shared/inversify';\nimport { x } from '../common/x';\n");
        write('extensions/good/src/common/index.ts', "export * from './x';\n");
        write('extensions/good/src/browser/uses-test-code.spec.ts', "import * as fs from 'fs';\nimport '../node/good-backend-module';\n");
        // A broken one: a backend module exporting no ContainerModule, a frontend module with no compiled file.
        write('extensions/bad/package.json', JSON.stringify({
            name: '@imageparser/bad', main: 'lib/node/index.js',
            theiaExtensions: [{ frontend: 'lib/browser/bad-frontend-module', backend: 'lib/node/bad-backend-module' }, { backend: 'lib/node/throws-module' }]
        }));
        write('extensions/bad/lib/node/bad-backend-module.js', 'exports.default = { registry: () => undefined };');
        write('extensions/bad/src/node/bad-backend-module.ts', '');
        write('extensions/bad/lib/node/throws-module.js', "throw new Error('broken on load');");
        write('extensions/bad/src/browser/bad-frontend-module.ts', '');
        // A plain library: no theiaExtensions, no rule about modules.
        write('packages/psd/package.json', JSON.stringify({ name: '@imageparser/psd', main: 'lib/index.js' }));
        write('packages/psd/src/index.ts', "import * as fs from 'fs';\n");
    });
    afterAll(() => fs.rmSync(planted, { recursive: true, force: true }));

    it('finds the extensions by their theiaExtensions field, plain libraries apart', () => {
        expect(workspacePackages(planted).map(pkg => pkg.name)).toEqual(['@imageparser/good', '@imageparser/bad', '@imageparser/psd']);
        expect(extensionPackages(planted).map(pkg => pkg.name)).toEqual(['@imageparser/good', '@imageparser/bad']);
    });

    it('passes a well-formed extension and names each broken module', () => {
        const [good, bad] = extensionPackages(planted);
        expect(moduleProblems(planted, good)).toEqual([]);
        expect(moduleProblems(planted, bad)).toEqual([
            '@imageparser/bad: frontend module lib/browser/bad-frontend-module: no compiled file (lib/browser/bad-frontend-module.js)',
            '@imageparser/bad: backend module lib/node/bad-backend-module: its default export is not a ContainerModule',
            '@imageparser/bad: backend module lib/node/throws-module: no source file (extensions/bad/src/node/throws-module.ts)',
            '@imageparser/bad: backend module lib/node/throws-module: does not load: broken on load'
        ]);
        expect(moduleProblems(planted, { ...bad, theiaExtensions: [] })).toEqual(['@imageparser/bad: declares no Theia module in theiaExtensions']);
    });

    it('names every import across the platform split, through relative paths, package names and Node modules', () => {
        expect(platformSplitProblems(planted)).toEqual([]);
        write('extensions/good/src/browser/relative.ts', "import { store } from '../node/store';\n");
        write('extensions/good/src/browser/other-package.ts', "import { Store } from '@imageparser/bad/lib/node/store';\nconst later = import('@theia/core/lib/node/backend-application');\n");
        write('extensions/good/src/browser/main-of-package.ts', "export { thing } from '@imageparser/bad';\n");
        write('extensions/good/src/browser/node-modules.ts', "import * as fs from 'fs';\nimport { Worker } from 'node:worker_threads';\nimport Database = require('better-sqlite3');\nimport 'sharp';\n");
        write('extensions/good/src/common/up.ts', "import { view } from '../browser/view';\nimport { store } from '../node/store';\nimport * as path from 'path';\n");
        expect(platformSplitProblems(planted).sort()).toEqual([
            'extensions/good/src/browser/main-of-package.ts: imports node code (@imageparser/bad, whose main is lib/node/index.js)',
            "extensions/good/src/browser/node-modules.ts: imports Node's own module fs",
            "extensions/good/src/browser/node-modules.ts: imports Node's own module node:worker_threads",
            'extensions/good/src/browser/node-modules.ts: imports the Node-only package better-sqlite3',
            'extensions/good/src/browser/node-modules.ts: imports the Node-only package sharp',
            'extensions/good/src/browser/other-package.ts: imports node code (@imageparser/bad/lib/node/store)',
            'extensions/good/src/browser/other-package.ts: imports node code (@theia/core/lib/node/backend-application)',
            'extensions/good/src/browser/relative.ts: imports node code (../node/store)',
            "extensions/good/src/common/up.ts: imports Node's own module path",
            'extensions/good/src/common/up.ts: imports browser code (../browser/view)',
            'extensions/good/src/common/up.ts: imports node code (../node/store)'
        ]);
    });
});

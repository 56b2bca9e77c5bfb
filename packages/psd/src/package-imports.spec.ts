import * as fs from 'fs';
import * as path from 'path';
import { createRequire } from 'module';
import { builtinModules } from 'module';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..');
/** What a remote worker must not need to read a PSD: no Theia, no database, no DI container. */
const FORBIDDEN = /^(@theia\/|better-sqlite3$|sqlite-vec|inversify$|reflect-metadata$)/;

interface Manifest {
    readonly name: string;
    readonly main?: string;
    readonly dependencies?: Record<string, string>;
    readonly peerDependencies?: Record<string, string>;
}

function manifestOf(folder: string): Manifest {
    return JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8'));
}

/** Every module specifier in a TypeScript source: imports, re-exports, `import()` and `require()`. */
function specifiersOf(file: string): string[] {
    const text = fs.readFileSync(file, 'utf8');
    return [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)].map(match => match[1]);
}

/** The package that a bare specifier names: `@scope/name` or `name`. */
function packageName(specifier: string): string {
    const parts = specifier.split('/');
    return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Every package the given one needs at run time, its own dependencies' dependencies included, resolved as Node does from where each is installed. */
function runtimeClosure(folder: string): Map<string, string> {
    const seen = new Map<string, string>();
    const visit = (from: string) => {
        const manifest = manifestOf(from);
        const require = createRequire(path.join(from, 'package.json'));
        for (const name of Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })) {
            if (seen.has(name)) {
                continue;
            }
            const location = path.dirname(require.resolve(`${name}/package.json`));
            seen.set(name, location);
            visit(location);
        }
    };
    visit(folder);
    return seen;
}

describe('the PSD package', () => {
    const sources = (fs.readdirSync(path.join(root, 'src'), { recursive: true }) as string[])
        .filter(name => /\.tsx?$/.test(name) && !/\.spec\.ts$/.test(name))
        .map(name => path.join(root, 'src', name));

    it('imports only its own files, Node built-ins and its declared dependencies, none of them Theia, SQLite or inversify', () => {
        const manifest = manifestOf(root);
        const declared = new Set(Object.keys(manifest.dependencies ?? {}));
        const require = createRequire(path.join(root, 'package.json'));
        const bare = new Set<string>();
        expect(sources.length).toBeGreaterThanOrEqual(15);
        for (const file of sources) {
            for (const specifier of specifiersOf(file)) {
                const where = `${path.relative(root, file)} imports ${specifier}`;
                expect(FORBIDDEN.test(specifier), where).toBe(false);
                if (specifier.startsWith('.')) {
                    // Inside the package: never up into a Theia extension's sources.
                    const target = path.resolve(path.dirname(file), specifier);
                    expect(target.startsWith(path.join(root, 'src') + path.sep), where).toBe(true);
                    expect(['.ts', '.tsx', '/index.ts'].some(ending => fs.existsSync(target + ending)), where).toBe(true);
                    continue;
                }
                if (builtinModules.includes(specifier.replace(/^node:/, ''))) {
                    continue;
                }
                bare.add(packageName(specifier));
                expect(declared.has(packageName(specifier)), `${where}: not a dependency of ${manifest.name}`).toBe(true);
                expect(FORBIDDEN.test(require.resolve(specifier)), where).toBe(false);
            }
        }
        expect([...bare]).toEqual(['ag-psd']);
    });

    it('needs no Theia, SQLite or inversify package at run time, through any dependency', () => {
        const closure = runtimeClosure(root);
        expect(closure.has('ag-psd')).toBe(true);
        const forbidden = [...closure.keys()].filter(name => FORBIDDEN.test(name));
        expect(forbidden).toEqual([]);
    });

    // Runs the compiled package (lib/, built by `tsc -b` in setup), as a worker would.
    it('loads and reads a PSD in a process where Theia, SQLite and inversify cannot be found', async () => {
        const { execFileSync } = await import('child_process');
        const probe = `
            const Module = require('module');
            const resolve = Module._resolveFilename;
            Module._resolveFilename = function (request, ...rest) {
                if (${FORBIDDEN}.test(request)) { throw new Error('forbidden import: ' + request); }
                return resolve.call(this, request, ...rest);
            };
            const psd = require(${JSON.stringify(path.join(root, 'lib/index.js'))});
            const bytes = require('fs').readFileSync(${JSON.stringify(path.resolve(root, '../../../shared/corpus/psd/2layers.psd'))});
            const decoded = psd.decodePsd(bytes, psd.DEFAULT_PARSE_LIMITS);
            const rendered = psd.compositeLayers(psd.readLayeredPsd(bytes));
            console.log(JSON.stringify({ width: decoded.composite.width, rendered: rendered.width, layers: psd.flattenLayers(decoded.psd.children).length,
                loaded: Object.keys(require.cache).filter(file => /node_modules/.test(file)).map(file => file.split('node_modules/').pop().split('/')[0]) }));
        `;
        const output = JSON.parse(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' }));
        expect(output.width).toBeGreaterThan(0);
        expect(output.rendered).toBe(output.width);
        expect(output.layers).toBe(2);
        // What it loaded from node_modules is ag-psd and what ag-psd itself needs, nothing forbidden.
        const loaded = [...new Set<string>(output.loaded)];
        expect(loaded).toContain('ag-psd');
        expect(loaded.filter(name => !runtimeClosure(root).has(name) || FORBIDDEN.test(name))).toEqual([]);
    });
});

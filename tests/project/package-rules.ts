import * as fs from 'fs';
import { builtinModules } from 'module';
import * as path from 'path';

/**
 * The rules every workspace package of the repository follows, as checks
 * that answer what breaks them (an empty list when none does), so the
 * structure test asserts rules rather than a frozen list of packages, and
 * can show each rule catching a planted violation in a copy.
 */

export interface TheiaExtensionEntry {
    readonly frontend?: string;
    readonly backend?: string;
    readonly [side: string]: string | undefined;
}

export interface WorkspacePackage {
    /** The package's folder, relative to the root, with forward slashes. */
    readonly folder: string;
    readonly name: string;
    readonly dependencies: Record<string, string>;
    readonly devDependencies: Record<string, string>;
    /** Only extensions have it; plain library packages (no Theia) do not. */
    readonly theiaExtensions?: readonly TheiaExtensionEntry[];
}

/** Packages that only run in Node (native code, the file system or a database): browser and common code never imports them. */
export const NODE_ONLY_PACKAGES = ['better-sqlite3', 'sqlite-vec', 'sharp', 'cli-progress', 'onnxruntime-node'];

/** Node's own modules (`fs`, `path`, `worker_threads`, … and `node:` ones). */
const NODE_BUILTINS = new Set(builtinModules.flatMap(name => [name, `node:${name}`]));

function readJson(file: string): Record<string, unknown> {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The workspace packages the root `package.json` names (folders or `folder/*`), apps included. */
export function workspacePackages(root: string): WorkspacePackage[] {
    const workspaces = (readJson(path.join(root, 'package.json')).workspaces ?? []) as string[];
    const folders = workspaces.flatMap(pattern => {
        if (!pattern.endsWith('/*')) {
            return [pattern];
        }
        const parent = pattern.slice(0, -2);
        return fs.existsSync(path.join(root, parent))
            ? fs.readdirSync(path.join(root, parent), { withFileTypes: true }).filter(entry => entry.isDirectory()).map(entry => `${parent}/${entry.name}`)
            : [];
    });
    return folders.filter(folder => fs.existsSync(path.join(root, folder, 'package.json'))).map(folder => {
        const pkg = readJson(path.join(root, folder, 'package.json'));
        return {
            folder,
            name: String(pkg.name),
            dependencies: (pkg.dependencies ?? {}) as Record<string, string>,
            devDependencies: (pkg.devDependencies ?? {}) as Record<string, string>,
            theiaExtensions: pkg.theiaExtensions as TheiaExtensionEntry[] | undefined
        };
    });
}

/** The workspace packages that are Theia extensions: those with a `theiaExtensions` field. */
export function extensionPackages(root: string): WorkspacePackage[] {
    return workspacePackages(root).filter(pkg => pkg.theiaExtensions !== undefined);
}

/**
 * What is wrong with an extension's declared modules: none declared, a
 * module whose compiled file under `lib/` does not resolve or has no source
 * under `src/` (a leftover of an old build), or a backend module that does
 * not load or whose default export is not an inversify ContainerModule.
 * Frontend modules need a browser to run, so they are only resolved.
 */
export function moduleProblems(root: string, pkg: WorkspacePackage): string[] {
    const problems: string[] = [];
    const entries = pkg.theiaExtensions ?? [];
    if (!entries.length || entries.every(entry => !Object.keys(entry).length)) {
        problems.push(`${pkg.name}: declares no Theia module in theiaExtensions`);
    }
    for (const entry of entries) {
        for (const [side, modulePath] of Object.entries(entry)) {
            const where = `${pkg.name}: ${side} module ${modulePath}`;
            if (typeof modulePath !== 'string' || !modulePath.startsWith('lib/')) {
                problems.push(`${where}: not a path under lib/`);
                continue;
            }
            let compiled: string;
            try {
                compiled = require.resolve(path.join(root, pkg.folder, modulePath));
            } catch {
                problems.push(`${where}: no compiled file (${modulePath}.js)`);
                continue;
            }
            const source = path.join(root, pkg.folder, modulePath.replace(/^lib\//, 'src/'));
            if (!['.ts', '.tsx'].some(extension => fs.existsSync(`${source}${extension}`))) {
                problems.push(`${where}: no source file (${path.relative(root, source)}.ts)`);
            }
            if (side === 'backend') {
                try {
                    const loaded = require(compiled);
                    const candidate = loaded?.default;
                    // Not instanceof: the module loads its own copy of inversify through Node, not through the test's.
                    if (!candidate || candidate.constructor?.name !== 'ContainerModule' || typeof candidate.registry !== 'function') {
                        problems.push(`${where}: its default export is not a ContainerModule`);
                    }
                } catch (error) {
                    problems.push(`${where}: does not load: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
                }
            }
        }
    }
    return problems;
}

/** The modules a TypeScript file imports: `import … from`, `import '…'`, `export … from`, `require(…)` and `import(…)`. */
export function importsOf(text: string): string[] {
    const patterns = [
        /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
        /\bimport\s*['"]([^'"]+)['"]/g,
        /\b(?:require|import)\s*\(\s*['"]([^'"]+)['"]\s*\)/g
    ];
    return patterns.flatMap(pattern => [...text.matchAll(pattern)].map(match => match[1]));
}

/** Source files under a folder (not tests: they run in Node whatever they test). */
function sourceFiles(folder: string): string[] {
    if (!fs.existsSync(folder)) {
        return [];
    }
    return (fs.readdirSync(folder, { recursive: true, withFileTypes: true }) as fs.Dirent[])
        .filter(entry => entry.isFile() && /\.tsx?$/.test(entry.name) && !/\.(spec|slow-spec|e2e)\.tsx?$/.test(entry.name))
        .map(entry => path.join(entry.parentPath, entry.name));
}

/**
 * Why an import is not allowed in code of `side` ('browser' or 'common'),
 * or undefined when it is. `file` is the importing file, to place relative
 * imports: browser code imports no node code (a `node/` folder of its own
 * package or another, through a relative path or a package name, nor Node's
 * modules or Node-only packages); common code imports neither node nor
 * browser code.
 */
export function importProblem(side: 'browser' | 'common', file: string, specifier: string): string | undefined {
    const forbiddenFolders = side === 'browser' ? ['node'] : ['node', 'browser'];
    const target = specifier.startsWith('.') ? path.resolve(path.dirname(file), specifier).split(path.sep).join('/') : specifier;
    const segments = target.split('/');
    const folder = forbiddenFolders.find(each => segments.includes(each));
    if (folder) {
        return `imports ${folder} code (${specifier})`;
    }
    if (!specifier.startsWith('.') && (NODE_BUILTINS.has(specifier) || NODE_BUILTINS.has(specifier.split('/')[0]))) {
        return `imports Node's own module ${specifier}`;
    }
    if (NODE_ONLY_PACKAGES.some(name => specifier === name || specifier.startsWith(`${name}/`))) {
        return `imports the Node-only package ${specifier}`;
    }
    return undefined;
}

/**
 * Every import that breaks the platform split in the browser and common
 * code of every workspace package (`src/browser/**`, `src/common/**`), as
 * `folder/file: problem`. Also follows package names: a bare import of a
 * workspace package must not lead (through its `main`) into node code.
 */
export function platformSplitProblems(root: string): string[] {
    const packages = workspacePackages(root);
    const mainOf = new Map(packages.map(pkg => {
        const main = readJson(path.join(root, pkg.folder, 'package.json')).main;
        return [pkg.name, typeof main === 'string' ? main : 'index.js'];
    }));
    const problems: string[] = [];
    for (const pkg of packages) {
        for (const side of ['browser', 'common'] as const) {
            for (const file of sourceFiles(path.join(root, pkg.folder, 'src', side))) {
                const text = fs.readFileSync(file, 'utf8');
                for (const specifier of importsOf(text)) {
                    const bare = mainOf.get(specifier);
                    const problem = importProblem(side, file, specifier)
                        ?? (bare !== undefined ? importProblem(side, file, `${specifier}/${bare}`)?.replace(`${specifier}/${bare}`, `${specifier}, whose main is ${bare}`) : undefined);
                    if (problem) {
                        problems.push(`${path.relative(root, file).split(path.sep).join('/')}: ${problem}`);
                    }
                }
            }
        }
    }
    return problems;
}

import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';

/**
 * Repositories are the only code that runs SQL: every statement lives under
 * an extension's `src/node/store/` (repositories, `database.ts`) or its
 * `store/migrations/`. Services, search axes, HTTP routes, jobs, the CLI and
 * contributed filters ask a repository; filter compilers only build
 * condition text (see `SearchFilterCompiler`), which the store runs.
 *
 * The rule, for every `.ts`/`.tsx` file under `extensions/* /src`,
 * `packages/* /src` and `tests/sample-orientation-filter/src` outside those
 * two folders, spec files included (a spec seeds and inspects data through
 * repositories or the store-side test helpers in `store/`, never with SQL of
 * its own):
 *
 * - no `.prepare(`, `.exec(`, `.function(` or `.transaction(` on a
 *   database-like receiver (`db`, `database`, `reader`, `writer`,
 *   `connection`, `raw`, `sqlite`, or a name ending in `Db`/`Database`/
 *   `Connection`), and no `.prepare(`/`.exec(` whose first argument is an SQL
 *   text (a string starting with SELECT, INSERT, UPDATE, DELETE, CREATE, ...);
 * - no `.pragma(` at all;
 * - no call of the store's statement helpers `prepared(` or `selectValue(`;
 * - no value import of `better-sqlite3` (opening a connection; `import type`
 *   is fine: jobs hand a transaction's connection to store functions).
 *
 * `RegExp.prototype.exec` is not SQL: a regex literal or constant
 * (`/x/.exec(s)`, `TOKEN.exec(s)`) is neither a database-like receiver nor an
 * SQL text, so it passes. Comments are not scanned.
 */

const root = path.resolve(__dirname, '../..');

const DATABASE_LIKE = /^(?:db|database|reader|writer|connection|conn|raw|sqlite|[\w$]*(?:Db|DB|Database|Connection))$/;
const SQL_TEXT = /^\s*(?:SELECT|INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|WITH|PRAGMA|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|VACUUM|ATTACH|DETACH|ANALYZE|REINDEX|EXPLAIN)\b/i;

export interface SqlFinding {
    readonly line: number;
    readonly text: string;
    readonly why: string;
}

/** Block and line comments blanked out (newlines kept, so line numbers hold). */
function withoutComments(source: string): string {
    return source
        .replace(/\/\*[\s\S]*?\*\//g, comment => comment.replace(/[^\n]/g, ' '))
        .replace(/^(\s*)\/\/.*$/gm, '$1');
}

/** Where `source` runs SQL (see the rule above). */
export function findSql(source: string): SqlFinding[] {
    const code = withoutComments(source);
    const findings: SqlFinding[] = [];
    const lineOf = (index: number) => code.slice(0, index).split('\n').length;
    const add = (index: number, why: string) => {
        const line = lineOf(index);
        findings.push({ line, text: source.split('\n')[line - 1].trim(), why });
    };
    for (const match of code.matchAll(/([\w$]+)?(\)?)\s*\.\s*(prepare|exec|pragma|function|transaction)\s*\(\s*(['"`])?/g)) {
        const [, receiver, closing, method, quote] = match;
        if (method === 'pragma') {
            add(match.index!, '.pragma(');
            continue;
        }
        const databaseLike = !!receiver && !closing && DATABASE_LIKE.test(receiver);
        const argument = quote ? code.slice(match.index! + match[0].length) : '';
        const sqlText = (method === 'prepare' || method === 'exec') && SQL_TEXT.test(argument);
        if (databaseLike || sqlText) {
            add(match.index!, `.${method}(${databaseLike ? ` on ${receiver}` : ' with SQL text'}`);
        }
    }
    for (const match of code.matchAll(/(?<![\w$.])(prepared|selectValue)\s*(?:<[^<>()]*>)?\s*\(/g)) {
        if (!/function\s*$/.test(code.slice(0, match.index))) {
            add(match.index!, `${match[1]}( (the store's statement helper)`);
        }
    }
    for (const match of code.matchAll(/import\s+(?!type\b)[^;]*?(?:from\s*|require\(\s*)['"]better-sqlite3['"]/g)) {
        add(match.index!, 'opens SQLite (value import of better-sqlite3)');
    }
    return findings;
}

/** The folders where SQL may run: an extension's store and its migrations. */
function isStore(file: string): boolean {
    return /[\\/]src[\\/]node[\\/]store[\\/]/.test(path.relative(root, file));
}

function sourceFiles(folder: string): string[] {
    if (!fs.existsSync(folder)) {
        return [];
    }
    return fs.readdirSync(folder, { withFileTypes: true, recursive: true })
        .filter(entry => entry.isFile() && /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
        .map(entry => path.join(entry.parentPath, entry.name));
}

function packageSources(parent: string): string[] {
    const folder = path.join(root, parent);
    return fs.existsSync(folder) ? fs.readdirSync(folder).flatMap(name => sourceFiles(path.join(folder, name, 'src'))) : [];
}

const scanned = [
    ...packageSources('extensions'),
    ...packageSources('packages'),
    ...sourceFiles(path.join(root, 'tests/sample-orientation-filter/src'))
];

describe('SQL runs only in store/ and its migrations', () => {

    it('finds no SQL outside the store in the extensions, packages and the sample filter', () => {
        expect(scanned.filter(isStore).length).toBeGreaterThan(20);
        const outside = scanned.filter(file => !isStore(file));
        expect(outside.length).toBeGreaterThan(100);
        const findings = outside.flatMap(file => findSql(fs.readFileSync(file, 'utf8'))
            .map(finding => `${path.relative(root, file)}:${finding.line}: ${finding.why}: ${finding.text}`));
        expect(findings, `SQL outside store/ (move it into a repository):\n${findings.join('\n')}`).toEqual([]);
    });

    it('tells SQL from regular expressions and other calls of the same names', () => {
        const flagged = [
            `db.prepare(sql).run()`,
            `database.reader.prepare('SELECT path FROM files').all()`,
            `(await this.host.database()).reader\n    .prepare(query)`,
            `writer.exec(\`CREATE TABLE t (x)\`)`,
            `openRaw().exec('DELETE FROM files')`,
            `raw.pragma('user_version', { simple: true })`,
            `this.handle.pragma('data_version')`,
            `database.writer.function('f', () => 1)`,
            `const row = prepared(database.reader, 'SELECT 1').get()`,
            `return selectValue<number>(db, 'SELECT 2')`,
            `import BetterSqlite3 = require('better-sqlite3');`,
            `import Database from 'better-sqlite3';`
        ];
        for (const snippet of flagged) {
            expect(findSql(snippet), snippet).toHaveLength(1);
        }
        const passing = [
            `const match = /^(\\d+)$/i.exec(text);`,
            `const match = /color mode: (\\w+)/.exec(message)?.[1];`,
            `const match = TOKEN.exec(leaseToken);`,
            `const found = pattern.exec(name);`,
            `const ready = await this.imagePool().prepare(request.file, request.kind);`,
            `// db.prepare('SELECT 1') in a comment`,
            `/** Runs \`db.exec(sql)\` on the writer */`,
            `const prepared = await pool.prepare(file);`,
            `import type { Database } from 'better-sqlite3';`,
            `function selectValue<T>(db: Connection, sql: string): T {`
        ];
        for (const snippet of passing) {
            expect(findSql(snippet), snippet).toEqual([]);
        }
    });
});

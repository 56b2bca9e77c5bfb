import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempFolder } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { CLI, queryValue } from '../ingest/cli-process';

/**
 * The `imageparser` command as a user runs it: a real child process of the
 * compiled tool (built by the unit project's global setup), its output and
 * its exit status.
 */
describe('the imageparser command: arguments and exit status', () => {
    let temp: ReturnType<typeof makeTempFolder>;
    let art: string;
    let home: string;

    /** Runs the tool with a home of its own, so no argument ever reaches the user's ~/.imageparser. */
    function imageparser(...args: string[]) {
        const result = spawnSync(process.execPath, [CLI, ...args], {
            encoding: 'utf8', timeout: 60_000, env: { ...process.env, HOME: home, IMAGEPARSER_HOME: path.join(home, 'default-archive'), THEIA_CONFIG_DIR: path.join(home, '.theia') }
        });
        return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    }

    beforeAll(async () => {
        temp = makeTempFolder();
        home = path.join(temp.folder, 'home');
        art = path.join(temp.folder, 'art');
        fs.mkdirSync(home);
        fs.mkdirSync(art);
        await sharp({ create: { width: 24, height: 24, channels: 3, background: { r: 10, g: 200, b: 30 } } }).png().toFile(path.join(art, 'green.png'));
        fs.writeFileSync(path.join(art, 'broken.png'), 'not a png at all');
    }, 30_000);
    afterAll(() => temp.remove());

    it('prints its usage on stdout with --help or -h and exits 0, touching no archive', () => {
        for (const flag of ['--help', '-h']) {
            const result = imageparser(flag);
            expect(result.status).toBe(0);
            expect(result.stdout).toMatch(/^usage: imageparser index <folder>/);
            expect(result.stdout).toContain('exit status: 0');
            expect(result.stderr).toBe('');
        }
        expect(imageparser('index', art, '--help').status).toBe(0);
        expect(fs.existsSync(path.join(home, 'default-archive'))).toBe(false);
    }, 180_000);

    it('refuses unknown options, missing values, bad numbers and unknown commands with exit 2, a reason and the usage, touching no archive', () => {
        const cases: [string[], string][] = [
            [[], 'imageparser: no command given'],
            [['index', art, '--verbose'], 'imageparser: unknown option --verbose'],
            [['index', art, '--archive'], 'imageparser: --archive needs a folder'],
            [['index', art, '--archive', '--threads', '2'], 'imageparser: --archive needs a folder'],
            [['index', art, '--threads'], 'imageparser: --threads needs a whole number of at least 1'],
            [['index', art, '--threads', '0'], 'imageparser: --threads needs a whole number of at least 1, not 0'],
            [['index', art, '--threads', 'many'], 'imageparser: --threads needs a whole number of at least 1, not many'],
            [['index'], 'imageparser: index needs the folder to index'],
            [['index', art, art], `imageparser: unknown command: index ${art} ${art}`],
            [['publish'], 'imageparser: unknown command: publish'],
            [['phases', 'now'], 'imageparser: unknown command: phases now']
        ];
        // One at a time: each start of the tool loads the backend's modules, and the other test files share the cores.
        for (const [args, reason] of cases) {
            const result = imageparser(...args);
            expect(result.status, args.join(' ')).toBe(2);
            expect(result.stderr.split('\n')[0], args.join(' ')).toBe(reason);
            expect(result.stderr, args.join(' ')).toContain('usage: imageparser index <folder>');
            expect(result.stdout, args.join(' ')).toBe('');
        }
        expect(fs.existsSync(path.join(home, 'default-archive'))).toBe(false);
    }, 180_000);

    it('exits 0 after a run, listing the files that failed with their reasons; a second run reads nothing again and still names them', () => {
        const archive = path.join(temp.folder, 'archive-ok');
        const first = imageparser('index', art, '--archive', archive, '--threads', '1');
        expect(first.status, first.stderr).toBe(0);
        expect(first.stdout.split('\n')[0]).toBe('1 indexed, 1 failed');
        expect(first.stdout).toMatch(/\n {2}broken\.png: \S+: .+\n/);
        expect(queryValue<number>(path.join(archive, 'archive.sqlite'), "SELECT count(*) FROM files WHERE state = 'indexed'")).toBe(1);

        const second = imageparser('index', art, '--archive', archive, '--threads', '1');
        expect(second.status, second.stderr).toBe(0);
        expect(second.stdout.split('\n')[0]).toBe('0 indexed, 0 failed');
        expect(second.stdout).toContain('1 file that failed before still fails\n  broken.png: ');
    }, 180_000);

    it('exits 1 with the reason when the folder does not exist or the archive cannot be opened, and writes nothing there', () => {
        const missing = imageparser('index', path.join(temp.folder, 'no-such-folder'), '--archive', path.join(temp.folder, 'archive-missing'), '--threads', '1');
        expect(missing.status).toBe(1);
        expect(missing.stderr).toBe(`imageparser: no such folder or file: ${path.join(temp.folder, 'no-such-folder')}\n`);
        expect(missing.stdout).toBe('');
        expect(fs.existsSync(path.join(temp.folder, 'archive-missing'))).toBe(false);

        // An archive "folder" that is a file, and an archive whose database is not SQLite.
        const file = path.join(temp.folder, 'archive-is-a-file');
        fs.writeFileSync(file, 'just a file');
        const corrupt = path.join(temp.folder, 'archive-corrupt');
        fs.mkdirSync(corrupt);
        fs.writeFileSync(path.join(corrupt, 'archive.sqlite'), Buffer.alloc(8192, 0x5a));
        for (const archive of [file, corrupt]) {
            for (const command of [['index', art], ['phases'], ['run']]) {
                const result = imageparser(...command, '--archive', archive, '--threads', '1');
                expect(result.status, `${command[0]} ${archive}: ${result.stderr}`).toBe(1);
                expect(result.stderr.trimEnd().split('\n').pop(), `${command[0]} ${archive}`).toMatch(/^imageparser: \S.+/);
                expect(result.stderr, `${command[0]} ${archive}`).not.toMatch(/\n\s+at /);
            }
        }
        expect(fs.readFileSync(file, 'utf8')).toBe('just a file');
        expect(fs.readFileSync(path.join(corrupt, 'archive.sqlite'))).toEqual(Buffer.alloc(8192, 0x5a));
    }, 180_000);
});

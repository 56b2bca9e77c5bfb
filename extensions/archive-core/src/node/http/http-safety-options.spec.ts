import { afterEach, describe, expect, it } from 'vitest';
import { CliHttpSafetyOptions, DEFAULT_MAX_UPLOAD_BYTES, parseByteSize } from './http-safety-options';

describe('CliHttpSafetyOptions', () => {
    const saved = { ...process.env };

    afterEach(() => {
        for (const name of ['IMAGEPARSER_ALLOWED_HOSTS', 'IMAGEPARSER_MAX_UPLOAD_SIZE', 'THEIA_HOSTS']) {
            if (saved[name] === undefined) {
                delete process.env[name];
            } else {
                process.env[name] = saved[name];
            }
        }
    });

    it('reads sizes as bytes or with binary units, and refuses anything else', () => {
        expect(parseByteSize('4GiB')).toBe(4 * 1024 ** 3);
        expect(parseByteSize('500 MB')).toBe(500 * 1024 ** 2);
        expect(parseByteSize('1.5k')).toBe(1536);
        expect(parseByteSize('1000')).toBe(1000);
        for (const bad of ['', 'lots', '-1', '0', '4 GB extra', '1e9']) {
            expect(parseByteSize(bad)).toBeUndefined();
        }
    });

    it('takes the command line over the environment, adds THEIA_HOSTS, and says which size it cannot read', () => {
        const options = new CliHttpSafetyOptions();
        expect(options.maxUploadBytes).toBe(DEFAULT_MAX_UPLOAD_BYTES);
        expect(options.allowedHosts).toEqual([]);
        process.env.IMAGEPARSER_ALLOWED_HOSTS = ' archive.lan , archive.lan:8443,';
        process.env.THEIA_HOSTS = 'theia.lan';
        process.env.IMAGEPARSER_MAX_UPLOAD_SIZE = '200MiB';
        expect(options.allowedHosts).toEqual(['archive.lan', 'archive.lan:8443', 'theia.lan']);
        expect(options.maxUploadBytes).toBe(200 * 1024 ** 2);
        options.setArguments({ 'allowed-hosts': 'cli.lan', 'max-upload-size': '1GiB', _: [], $0: '' });
        expect(options.allowedHosts).toEqual(['cli.lan', 'theia.lan']);
        expect(options.maxUploadBytes).toBe(1024 ** 3);
        options.setArguments({ 'max-upload-size': 'huge', _: [], $0: '' });
        expect(() => options.maxUploadBytes).toThrow('The maximum upload size "huge" is not a size: write bytes, or a number with KiB, MiB or GiB (e.g. 500MiB).');
    });
});

import { injectable } from '@theia/core/shared/inversify';
import type { Arguments, Argv } from '@theia/core/shared/yargs';
import { CliContribution } from '@theia/core/lib/node/cli';

/** The upload size cap when none is configured: 4 GiB, above Photoshop's 2 GB PSD limit and most PSBs artists keep. */
export const DEFAULT_MAX_UPLOAD_BYTES = 4 * 1024 ** 3;

export const HttpSafetyOptions = Symbol('HttpSafetyOptions');

/** How the backend's HTTP routes protect themselves; see the README's "What protects the app". */
export interface HttpSafetyOptions {
    /**
     * Host names (optionally `name:port`) the backend answers to besides
     * `localhost`, `127.0.0.1` and `[::1]` on its own port; `*` answers to any.
     */
    readonly allowedHosts: readonly string[];
    /** The largest upload accepted, in bytes. */
    readonly maxUploadBytes: number;
}

/**
 * The options from the backend's command line (`--allowed-hosts`,
 * `--max-upload-size`) or, when not given there, the environment
 * (`IMAGEPARSER_ALLOWED_HOSTS`, `IMAGEPARSER_MAX_UPLOAD_SIZE`). Host lists
 * are comma-separated; Theia's own `THEIA_HOSTS` are allowed too. Sizes are
 * bytes, or a number with `KiB`, `MiB`, `GiB` (or `K`, `M`, `G`, `KB`, `MB`,
 * `GB`, all powers of 1024).
 */
@injectable()
export class CliHttpSafetyOptions implements HttpSafetyOptions, CliContribution {

    protected cliHosts: string | undefined;
    protected cliMaxUpload: string | undefined;

    configure(conf: Argv): void {
        conf.option('allowed-hosts', {
            type: 'string',
            description: 'Comma-separated host names (name or name:port) the ImageParser backend answers to besides localhost, 127.0.0.1 and [::1]; * for any.'
        });
        conf.option('max-upload-size', {
            type: 'string',
            description: 'The largest file that can be uploaded into the archive, e.g. 4GiB or 500MiB (default 4GiB).'
        });
    }

    setArguments(args: Arguments): void {
        this.cliHosts = typeof args['allowed-hosts'] === 'string' ? args['allowed-hosts'] : undefined;
        this.cliMaxUpload = typeof args['max-upload-size'] === 'string' ? args['max-upload-size'] : undefined;
    }

    get allowedHosts(): readonly string[] {
        return [this.cliHosts ?? process.env.IMAGEPARSER_ALLOWED_HOSTS, process.env.THEIA_HOSTS]
            .flatMap(list => (list ?? '').split(','))
            .map(host => host.trim())
            .filter(Boolean);
    }

    get maxUploadBytes(): number {
        const text = this.cliMaxUpload ?? process.env.IMAGEPARSER_MAX_UPLOAD_SIZE;
        if (!text?.trim()) {
            return DEFAULT_MAX_UPLOAD_BYTES;
        }
        const bytes = parseByteSize(text);
        if (bytes === undefined) {
            throw new Error(`The maximum upload size "${text}" is not a size: write bytes, or a number with KiB, MiB or GiB (e.g. 500MiB).`);
        }
        return bytes;
    }
}

/** "4GiB" → 4294967296, "500 MB" → 524288000, "1000" → 1000; anything else → undefined. */
export function parseByteSize(text: string): number | undefined {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(k|m|g|t)?(?:i?b)?\s*$/i.exec(text);
    if (!match) {
        return undefined;
    }
    const unit = match[2] ? 1024 ** ('kmgt'.indexOf(match[2].toLowerCase()) + 1) : 1;
    const bytes = Math.floor(Number(match[1]) * unit);
    return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

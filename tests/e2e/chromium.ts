import { Browser, chromium } from 'playwright-core';
import { watchPageErrors } from './page-errors';

/**
 * Debian's Chromium, headless, kept off the network: this machine reaches only
 * loopback, and Chromium's background services would keep knocking elsewhere.
 * `extraArgs` add switches, e.g. `--host-resolver-rules` to point a name at
 * this machine as a DNS rebinding attack would. Uncaught errors of its pages
 * fail the running test ({@link watchPageErrors}).
 */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
    return watchPageErrors(await chromium.launch({
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        args: [
            '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs
        ]
    }));
}

import type { IncomingMessage } from 'http';
import { HttpSafety } from '../../common/http-safety-protocol';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Why a request that changes state (any method but GET, HEAD and OPTIONS)
 * is refused, or undefined when it may go on. It must show it comes from the
 * ImageParser page itself: the {@link HttpSafety.REQUEST_HEADER} header (a
 * page of another origin cannot send it without asking first), or an
 * `Origin` of this very host, or `Sec-Fetch-Site: same-origin`. An `Origin`
 * of another host, or a `Sec-Fetch-Site` other than `same-origin`, is
 * refused whatever else the request carries: a page on another port of the
 * same machine is another origin, even though the browser sends it the
 * connection cookie (same site).
 */
export function stateChangeRefusal(request: IncomingMessage): string | undefined {
    if (SAFE_METHODS.has(request.method ?? 'GET')) {
        return undefined;
    }
    const origin = single(request.headers.origin);
    const site = single(request.headers['sec-fetch-site'])?.toLowerCase();
    const host = single(request.headers.host)?.toLowerCase();
    const sameOrigin = origin !== undefined && host !== undefined && hostOf(origin) === host;
    if (origin !== undefined && !sameOrigin) {
        return 'Changes to the archive are accepted only from the ImageParser page itself; this request came from another web page.';
    }
    if (site !== undefined && site !== 'same-origin') {
        return 'Changes to the archive are accepted only from the ImageParser page itself; this request came from another web site or port.';
    }
    if (single(request.headers[HttpSafety.REQUEST_HEADER.toLowerCase()]) === HttpSafety.REQUEST_HEADER_VALUE || sameOrigin || site === 'same-origin') {
        return undefined;
    }
    return `Changes to the archive are accepted only from the ImageParser page itself: send the ${HttpSafety.REQUEST_HEADER}: ${HttpSafety.REQUEST_HEADER_VALUE} header.`;
}

function hostOf(origin: string): string | undefined {
    try {
        return origin === 'null' ? undefined : new URL(origin).host.toLowerCase();
    } catch {
        return undefined;
    }
}

function single(value: string | string[] | undefined): string | undefined {
    return Array.isArray(value) ? value[0] : value;
}

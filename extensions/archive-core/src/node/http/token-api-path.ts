/**
 * The root of the worker API (`@imageparser/workers`' fleet protocol): its
 * callers are worker machines, not the ImageParser page, and every call
 * carries a worker token (`Authorization: Bearer`) the routes check. A page
 * of another origin cannot read or forge that token, so the browser-page
 * checks (host name, same origin) do not apply there.
 */
export const TOKEN_API_ROOT = '/api/v1/';

/** One path segment: no `.` or `..` alone, no escapes, nothing a static file server would walk out of the API with. */
const SEGMENT = '(?!\\.{1,2}(?:/|$))[A-Za-z0-9._~-]+';
const TOKEN_API_PATH = new RegExp(`^${TOKEN_API_ROOT.replace(/\//g, '\\/')}(?:${SEGMENT}/)*${SEGMENT}$`);

/** Whether a request URL (path and query) names a route of the token-authenticated worker API. */
export function isTokenApiRequest(url: string | undefined): boolean {
    const pathname = (url ?? '').split('?')[0];
    return TOKEN_API_PATH.test(pathname);
}

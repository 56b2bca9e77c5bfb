/**
 * What the backend asks of HTTP requests that change the archive (uploads
 * and any other POST, PUT, PATCH or DELETE): they must come from the
 * ImageParser page itself. The frontend shows this by sending
 * {@link HttpSafety.REQUEST_HEADER}, a header a page of another origin
 * cannot add without the backend's consent (it makes the request
 * "non-simple", so the browser asks first, and the backend never agrees).
 */
export namespace HttpSafety {
    export const REQUEST_HEADER = 'X-ImageParser-Request';
    export const REQUEST_HEADER_VALUE = '1';

    /** The headers the frontend adds to every state-changing request it makes. */
    export function requestHeaders(): Record<string, string> {
        return { [REQUEST_HEADER]: REQUEST_HEADER_VALUE };
    }
}

// @theia/cli depends on puppeteer, whose install script would download a Chrome build
// from outside the npm registry. ImageParser's end-to-end tests drive Debian's Chromium
// through playwright-core instead.
module.exports = { skipDownload: true };

// One formatter for the backend's messages, the UI and the PSD reader's limits: the PSD package owns it (platform-neutral, no imports).
export { formatBytes } from '@imageparser/psd/lib/byte-size';

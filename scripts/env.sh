# Sourced by the project's scripts: settings every install and build needs.
# Nothing may be downloaded from outside the npm registry and Debian's packages:
# puppeteer (through @theia/cli), electron and onnxruntime-node would each
# fetch a binary of their own, so those downloads are switched off.
export PUPPETEER_SKIP_DOWNLOAD=1
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
export ONNXRUNTIME_NODE_INSTALL=skip
export ONNXRUNTIME_NODE_INSTALL_CUDA=skip
# node-llama-cpp uses the prebuilt binaries it ships as npm packages; it never builds or fetches llama.cpp.
export NODE_LLAMA_CPP_SKIP_DOWNLOAD=true
# better-sqlite3 compiles against Node's own headers, which Debian's nodejs ships.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node_version.h ]; then
  export npm_config_nodedir=/usr
fi
export NODE_OPTIONS="${NODE_OPTIONS:-} --max-old-space-size=4096"

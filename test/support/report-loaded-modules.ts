/**
 * Preloaded into the real service by a test (`node -r`): when the process exits, it writes one line to
 * stderr naming every OpenTelemetry module the process loaded, as package-relative paths.
 */
process.on('exit', () => {
  const loaded = Object.keys(require.cache)
    .map((path) => /node_modules\/(@opentelemetry\/.*)$/.exec(path)?.[1])
    .filter((path): path is string => path !== undefined);
  process.stderr.write(`opentelemetry-modules-loaded ${JSON.stringify(loaded)}\n`);
});

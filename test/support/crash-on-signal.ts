/** Preloaded into the real service by a test: SIGUSR2 makes it throw an exception nobody catches. */
process.once('SIGUSR2', () => {
  setImmediate(() => {
    throw new Error('crash requested by the test');
  });
});

// @ts-check
/**
 * A Jest transformer for PGlite's CommonJS build, which loads Node's built-ins with `await import("fs")`:
 * Jest's CommonJS runtime refuses import() without --experimental-vm-modules. Each import() becomes a
 * require() through a helper declared at the top of the file, so it uses the module's own require even inside
 * functions that declare a `require` of their own. Node runs the file as shipped; only the tests need this.
 */
module.exports = {
  process(source) {
    const helper = 'const __requireAsImport = (m) => Promise.resolve().then(() => require(m));\n';
    return { code: helper + source.replace(/\bimport\((?=["'`])/g, '__requireAsImport(') };
  },
};

/** The head of Node's CommonJS module wrapper, as the code cache's loader writes (or finds) it around a file. */
export const CJS_WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) {';

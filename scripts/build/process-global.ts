import type { Plugin } from 'esbuild';

/**
 * Bundles `import process from 'node:process'` as the `process` global (the
 * same object). As an ES module import, Node builds the module's namespace by
 * reading every property of `process`, and reading `process.stdin` creates a
 * stdin stream: ~7 ms of every `tend status`, for env-paths' one import.
 * Named imports fail the build here rather than misbehave; CommonJS
 * `require` calls are not rewritten.
 */
export function processGlobal(): Plugin {
  return {
    name: 'process-global',
    setup(build) {
      // require('process') from CommonJS is left alone: it costs nothing and
      // expects the object itself, not a module namespace.
      build.onResolve({ filter: /^(node:)?process$/ }, (args) =>
        args.kind === 'import-statement' ? { path: args.path, namespace: 'process-global' } : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: 'process-global' }, () => ({ contents: 'export default process;', loader: 'js' }));
    },
  };
}

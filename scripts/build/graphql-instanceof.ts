import type { Plugin } from 'esbuild';

/**
 * Bundles graphql's `instanceOf` as plain `instanceof`, as graphql itself does
 * under NODE_ENV=production. Its development variant only adds a check that
 * two copies of graphql are not mixed, which cannot happen in a bundle holding
 * one; it runs on every type check of every request (~3% of a status query).
 * NODE_ENV itself is left alone: yoga reads it for its own, visible, choices.
 */
export function graphqlInstanceOf(): Plugin {
  return {
    name: 'graphql-instanceof',
    setup(build) {
      build.onLoad({ filter: /[\\/]graphql[\\/]jsutils[\\/]instanceOf\.m?js$/ }, () => ({
        contents: 'export const instanceOf = (value, constructor) => value instanceof constructor;',
        loader: 'js',
      }));
    },
  };
}

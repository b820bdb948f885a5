import type { UiBundle } from '../../kit/server/ui-routes.js';

/**
 * The dashboard's page and assets. In dist this module is replaced at build
 * time by the built strings (scripts/build/ui-bundle.ts); run from source
 * (tsx), it builds them now, with the same code.
 */
export async function uiBundle(): Promise<UiBundle> {
  const { buildUiBundle } = await import('../../../scripts/build/ui-bundle.js');
  return buildUiBundle();
}

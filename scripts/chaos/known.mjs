// Cases that fail because of a bug or a missing limit already reported.
// A known case still runs and still shows in the table (as KNOWN, and as a
// todo in npm test); when it starts passing it shows as XPASS: remove it.
export const KNOWN = {
  'http.slow-loris': 'idle connections (no byte sent) are never closed: no socket timeout and no connection cap; slow headers/bodies live 30/60 s (connectionsCheckingInterval 30 s)',
};

// Cases that fail because of a bug or a missing limit already reported.
// A known case still runs and still shows in the table (as KNOWN, and as a
// todo in npm test); when it starts passing it shows as XPASS: remove it.
export const KNOWN = {
  'http.slow-loris': 'a connection that never sends a byte is never closed by the daemon (header and request timeouts start with the first byte); slow headers and bodies are closed at 10 s and 30 s',
};

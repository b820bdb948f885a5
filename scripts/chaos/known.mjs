// Cases that fail because of a bug or a missing limit already reported.
// A known case still runs and still shows in the table (as KNOWN); when it
// starts passing it shows as XPASS: remove it from here.
export const KNOWN = {};

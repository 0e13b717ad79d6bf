/**
 * Whether a name is an IANA time zone the runtime knows: ECMA-402 makes Intl.DateTimeFormat throw a
 * RangeError for a zone it does not know (CreateDateTimeFormat, IsValidTimeZoneName). Intl also
 * takes legacy abbreviations such as "EST"; only Area/Location names and UTC are accepted here, so
 * that a schedule never rests on an abbreviation whose meaning varies.
 */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return name.includes("/") || name === "UTC";
  } catch {
    return false;
  }
}

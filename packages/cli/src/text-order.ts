/**
 * Code-unit order of two strings, for the identifiers aigov sorts (clouds, kinds, model ids, addresses): the same on
 * every machine, where `localeCompare` follows the locale. It also costs less, and loads no collation data: the
 * first `localeCompare` of a process maps ICU's collation tables, some 3 MiB of RSS (`aigov sweep` sorted its
 * inventory with it at the end of the run, when its memory is highest).
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Rows per multi-row INSERT or IN list: well under SQLite's 32,766 and PostgreSQL's 65,535 bound values. */
export const CHUNK = 400;

/**
 * Cut a list into consecutive pieces, for statements with a bounded number of values.
 * @param items the list
 * @param size the most items per piece (1 or more)
 * @returns the pieces, in order; none for an empty list
 */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let index = 0; index < items.length; index += size) {
    result.push(items.slice(index, index + size));
  }
  return result;
}

/**
 * Errors a client causes with a bad query parameter. The simulator answers them with 400 and CW's
 * error envelope; `param` names the query parameter so the response can name the field.
 */
export class QueryError extends Error {
  readonly param: string;

  constructor(param: string, message: string) {
    super(message);
    this.name = 'QueryError';
    this.param = param;
  }
}

/** A `conditions` string that does not parse or names an unknown field. `position` is 1-based. */
export class ConditionsError extends QueryError {
  readonly position: number | undefined;

  constructor(message: string, position?: number) {
    super('conditions', message);
    this.name = 'ConditionsError';
    this.position = position;
  }
}

/**
 * The tail of CW's error text for a bad literal (verbatim from a real server response, see
 * connectwise-api.md §4). The first sentence varies with what was found.
 */
export const LITERAL_HINT =
  'String values should be enclosed with double or single quotes; DateTime values should be enclosed in square ' +
  'brackets; numbers should consist of only digits, and optionally a decimal point and a negation sign; boolean ' +
  'values should be indicated with the keywords true or false; null values should be indicated by the keyword null.';

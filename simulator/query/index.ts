// The ConnectWise query language as the simulator serves it: conditions, orderBy, fields, paging.
// Pure functions, no I/O; see docs/simulator-query.md for the grammar and the CW behaviour modelled.
export type {
  Comparison,
  ComparisonOp,
  Condition,
  FieldCatalog,
  FieldKind,
  InList,
  Junction,
  Literal,
  LiteralKind,
} from './ast.ts';
export { ConditionsError, LITERAL_HINT, QueryError } from './errors.ts';
export { compileConditions, evaluate, type RecordPredicate } from './evaluate.ts';
export { type Projector, parseFields } from './fields.ts';
export { type OrderBy, type OrderKey, parseOrderBy } from './order-by.ts';
export {
  type ForwardPage,
  type ForwardRange,
  forwardOnly,
  forwardOnlyLinkHeader,
  forwardOnlyRange,
  linkHeader,
  type Page,
  paginate,
  type QueryParams,
} from './pagination.ts';
export { MAX_NESTING, type ParseConditionsOptions, parseConditions } from './parse-conditions.ts';
export { printConditions } from './print-conditions.ts';

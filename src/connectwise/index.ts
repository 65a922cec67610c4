// The ConnectWise PSA client: the only way other areas talk to CW. See docs/connectwise-client.md.
export {
  type ConnectWiseClient,
  type ConnectWiseConfig,
  type ConnectWiseTimeouts,
  createConnectWiseClient,
} from './client.ts';
export type { CompanyInfo } from './codebase.ts';
export {
  and,
  type Condition,
  type ConditionValue,
  dateTime,
  or,
  render as renderConditions,
  where,
} from './conditions.ts';
export {
  diagnosePermissions,
  type PermissionCheck,
  type PermissionDiagnosis,
  type PermissionStatus,
} from './diagnose.ts';
export * from './errors.ts';
export type { PageQuery } from './paginate.ts';
export {
  type PermissionId,
  permissionFix,
  permissionLabel,
  REQUIRED_PERMISSIONS,
  type RequiredPermission,
} from './permissions.ts';
export type { RetryConfig } from './retry-policy.ts';
export type * from './schemas/index.ts';
export { parseSite, type Site, type SitePolicy } from './site.ts';
export {
  type ConnectionField,
  type TestConnectionResult,
  testClientConnection,
  testConnection,
} from './test-connection.ts';
export type { RequestEvent, TransportHooks } from './transport.ts';
